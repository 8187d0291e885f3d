"""Member pages: list with search and filters, create, edit, invite (set-password link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from machinery.pages import paginate_open

from .. import access, selectors, services
from ..enums import EightRole, PoliticalStatus
from ..forms import DATE, InviteForm, MemberForm, OwnMemberForm, add_service_errors
from ..models import Member

OWN_FIELDS = ["phone", "email", "office"]


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    text = request.GET.get("q", "").strip()[:50]
    inactive = request.GET.get("inactive") == "1"
    qs = selectors.members_of(request.user, org, text, include_inactive=inactive)
    qs = selectors.member_filters(qs, request.GET)
    params = {k: request.GET.get(k, "") for k in ("status", "role", "reserve", "inactive")}
    return render(
        request,
        "organizations/members.html",
        {
            "org": org,
            "page": paginate_open(request, qs),
            "q": text,
            "params": params,
            "extra_query": urlencode({k: v for k, v in params.items() if v}),
            "statuses": PoliticalStatus.choices,
            "roles": EightRole.choices,
            "show_phone": access.is_secretary_of(request.user, org),
            "can_edit": access.can_edit(request.user, org),
            "may_import": org.is_branch and access.is_secretary_of(request.user, org),
            "breadcrumbs": selectors.breadcrumbs(request.user, org),
        },
    )


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk, to_edit=True)
    form = MemberForm(request.POST or None, show_phone=access.is_secretary_of(request.user, org))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(organization=org, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已添加 %(name)s") % {"name": member.name})
            return redirect(member.get_absolute_url())
    return render(
        request,
        "organizations/member_form.html",
        {"org": org, "form": form, "can_edit_org": True, "breadcrumbs": selectors.breadcrumbs(request.user, org)},
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, pk, to_edit=True)
    org = member.organization
    can_edit_org = access.can_edit(request.user, org)
    if can_edit_org:
        form = MemberForm(request.POST or None, instance=member, show_phone=access.can_see_phone(request.user, member))
    else:  # the member's own record: contact details only
        own_form = modelform_factory(Member, form=OwnMemberForm, fields=OWN_FIELDS, widgets={"joined_party_on": DATE})
        form = own_form(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        if form.save_unless_stale(
            lambda: services.member_update(member=Member.objects.get(pk=member.pk), **form.cleaned_data)
        ):
            messages.success(request, _("已保存"))
            return redirect(member.get_absolute_url())
    stale = getattr(form, "stale", None)
    return render(
        request,
        "organizations/member_form.html",
        {
            "org": org,
            "form": form,
            "member": member,
            "stale": stale,
            "can_edit_org": can_edit_org,
            "breadcrumbs": selectors.breadcrumbs(request.user, org),
        },
    )


def invite_link(request: HttpRequest, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("organizations:invite_accept", args=[uid, token]))


@login_required
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, pk)
    access.require(access.is_secretary_of(request.user, member.organization))
    form = InviteForm(request.POST or None, initial={"username": member.staff_no or member.name_pinyin})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_invite(member=member, username=form.cleaned_data["username"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已创建登录账号，请把下面的链接发给本人设置密码"))
            return redirect("organizations:member_invite", pk=member.pk)
    link = None
    if member.user_id and not member.user.has_usable_password():
        link = invite_link(request, member.user)
    return render(
        request,
        "organizations/member_invite.html",
        {
            "member": member,
            "form": form,
            "link": link,
            "org": member.organization,
            "breadcrumbs": selectors.breadcrumbs(request.user, member.organization),
        },
    )


class InviteAcceptView(auth_views.PasswordResetConfirmView):
    """Public by design: the one-time link a secretary handed to an invited member (the token is the secret)."""

    template_name = "organizations/invite_accept.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        messages.success(self.request, _("密码已设置，请登录"))
        return super().form_valid(form)


invite_accept = InviteAcceptView.as_view()
