"""推行“四争” (the member's annual aim) and 党员联系群众 (the member's log; counts per member for the secretary)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.pages import paginate
from organizations import access

from .. import selectors
from ..enums import MassGroup
from ..forms import AimForm, MassContactForm
from ..selectors import masses as mass_selectors
from ..services import masses as mass_services
from ._common import add_errors, org_crumbs
from .pages import mine_context


@login_required
@require_POST
def aim_choose(request: HttpRequest) -> HttpResponse:
    member = selectors.own_member_or_403(request.user)
    year = selectors.year_from(request)
    form = AimForm(request.POST)
    error = _("请从“四争”中选择一项")
    if form.is_valid():
        try:
            mass_services.aim_choose(member=member, year=year, aim=form.cleaned_data["aim"], by=request.user)
        except ValidationError as e:
            error = "；".join(e.messages)
        else:
            messages.success(request, _("已保存本年度“四争”目标"))
            return redirect(reverse("posts:mine") + f"?year={year}")
    # the page again, with the message under the choice it is about
    return render(request, "posts/mine.html", mine_context(member, year, aim_error=error), status=400)


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    """The signed-in member's contacts with the masses, and the form to log one."""
    member = selectors.own_member_or_403(request.user)
    form = MassContactForm(request.POST or None, initial={"contacted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            mass_services.mass_contact_add(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("已登记联系群众情况"))
            return redirect("posts:mass_contacts")
    page = paginate(request, mass_selectors.member_contacts(member))
    status = 400 if request.method == "POST" else 200
    return render(request, "posts/mass_contacts.html", {"member": member, "form": form, "page": page}, status=status)


@login_required
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = mass_selectors.get_contact_for_user(request.user, pk)
    try:
        mass_services.mass_contact_delete(contact=contact, by=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, _("已删除该条记录"))
    return redirect("posts:mass_contacts")


@login_required
def contact_counts(request: HttpRequest, org_pk: int) -> HttpResponse:
    """For the secretary: each member's contacts with the masses in the year, per group."""
    org = access.get_organization_for_user(request.user, org_pk)
    year = selectors.year_from(request)
    page = paginate(request, mass_selectors.contact_counts(request.user, org, year))
    groups = [(g.value, g.label) for g in MassGroup]
    for m in page:
        m.by_group = [getattr(m, f"n_{key}") for key, _label in groups]
    context = {"org": org, "breadcrumbs": org_crumbs(request.user, org)[:-1], "year": year, "page": page,
               "groups": groups}  # fmt: skip
    return render(request, "posts/mass_counts.html", context)
