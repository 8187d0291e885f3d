"""Pages for honours (荣誉) and their titles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, selectors, services
from ..enums import Role
from ..forms import (
    HonourForm,
    HonourTitleForm,
    add_service_errors,
)
from ..models import Honour, HonourTitle
from .tree import org_context


@login_required
def honours(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    can_edit = access.can_edit(request.user, org)
    form = HonourForm(request.POST or None)
    if request.method == "POST":
        access.require(can_edit)
        if form.is_valid():
            try:
                services.honour_create(organization=org, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已登记荣誉"))
                return redirect("organizations:honours", pk=org.pk)
    honours = list(selectors.honours_of(org))
    return render(
        request,
        "organizations/honours.html",
        org_context(
            request,
            org,
            honours=honours,
            highest=selectors.highest_per_track(org, honours),
            form=form,
            can_edit=can_edit,
        ),
    )


@login_required
@require_POST
def honour_delete(request: HttpRequest, pk: int) -> HttpResponse:
    honour = access.get_for_user(Honour.objects.select_related("organization"), request.user, pk, to_edit=True)
    org_pk = honour.organization_id
    services.honour_delete(honour=honour)
    messages.success(request, _("已删除荣誉记录"))
    return redirect("organizations:honours", pk=org_pk)


def _is_committee_staff(user) -> bool:
    return access.has_role(user, Role.CITY_STAFF, Role.COUNTY_STAFF)


@login_required
def honour_titles(request: HttpRequest) -> HttpResponse:
    may_add = _is_committee_staff(request.user)
    form = HonourTitleForm(request.POST or None)
    if request.method == "POST":
        access.require(may_add)
        if form.is_valid():
            try:
                services.honour_title_create(**form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已添加荣誉称号"))
                return redirect("organizations:honour_titles")
    return render(
        request,
        "organizations/honour_titles.html",
        {"titles": HonourTitle.objects.all(), "form": form, "may_add": may_add},
    )
