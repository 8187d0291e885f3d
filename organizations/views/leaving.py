"""离任 and 组织关系转接 of a member, by the secretaries and staff of the member's organization."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import access, selectors, services
from ..forms import LeaveForm, TransferForm, add_service_errors
from ..models import Member, Organization


def _member(request: HttpRequest, pk: int) -> Member:
    member = access.get_member_for_user(request.user, pk)
    access.require(access.can_edit(request.user, member.organization) and member.user_id != request.user.pk)
    return member


def _page(request, member: Member, form, title: str, **extra) -> HttpResponse:
    return render(
        request,
        "organizations/member_leave.html",
        {
            "member": member,
            "form": form,
            "title": title,
            "org": member.organization,
            "breadcrumbs": selectors.breadcrumbs(request.user, member.organization),
            **extra,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leave(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s 已离任，登录账号已停用，记录保留") % {"name": member.name})
            return redirect(member.get_absolute_url())
    return _page(request, member, form, _("办理离任"))


def _destinations(request: HttpRequest, member: Member):
    """Branches the user may move the member to: in the user's subtrees, open, holding members."""
    return access.visible_organizations(request.user).filter(closed_on__isnull=True).exclude(pk=member.organization_id)


@login_required
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    top = min(
        (
            g
            for g in access.grants(request.user)
            if g.role in access.MANAGING_ROLES and member.organization.path.startswith(g.path)
        ),
        key=lambda g: g.depth,
        default=None,
    )
    root_pk = top.organization_id if top else Organization.get_first_root_node().pk
    search_url = reverse("organizations:organization_search", args=[root_pk]) + "?scope=grassroots"
    form = TransferForm(request.POST or None, units=_destinations(request, member), search_url=search_url)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.member_transfer(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            where = transfer.to_organization.name if transfer.to_organization else transfer.to_outside
            messages.success(
                request,
                _("已办理组织关系转接至 %(to)s，随转履诺中的承诺 %(n)s 项")
                % {"to": where, "n": transfer.commitments_moved},
            )
            return redirect(member.get_absolute_url())
    return _page(
        request,
        member,
        form,
        _("组织关系转接"),
        transfers=member.transfers.select_related("from_organization", "to_organization"),
    )
