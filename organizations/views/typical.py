"""Pages for typical demonstration units (典型示范单位)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from machinery.pages import paginate

from .. import access, selectors, services
from ..enums import DemoKind
from ..forms import (
    DemonstrationForm,
    PublicityForm,
    add_service_errors,
)
from ..models import DemonstrationUnit, Leader, Organization
from .tree import org_context


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


@login_required
def demonstrations(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    kind = request.GET.get("kind", "")
    kind = kind if kind in DemoKind.values else ""
    text = request.GET.get("q", "").strip()[:50]
    qs = selectors.demonstrations_in(request.user, org, kind=kind, year=_year(request), text=text)
    return render(
        request,
        "organizations/demonstrations.html",
        org_context(
            request,
            org,
            page=paginate(request, qs),
            kind=kind,
            q=text,
            kinds=DemoKind.choices,
            year=_year(request) or "",
            may_designate=access.can_edit(request.user, org) and org.numchild > 0,
            extra_query=f"kind={kind}&year={_year(request) or ''}",
        ),
    )


def _demo_form(request, org: Organization, instance=None):
    units = selectors.units_below(org, grassroots_only=True)
    leaders = Leader.objects.filter(organization=org, is_active=True)
    search_url = reverse("organizations:organization_search", args=[org.pk]) + "?scope=grassroots"
    return DemonstrationForm(
        request.POST or None, instance=instance, units=units, leaders=leaders, search_url=search_url
    )


@login_required
def demonstration_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk, to_edit=True)
    form = _demo_form(request, org)
    if request.method == "POST" and form.is_valid():
        try:
            demo = services.demonstration_create(designated_by=org, **form.fields_to_save())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已确定典型示范单位"))
            return redirect("organizations:demonstration_detail", pk=demo.pk)
    return render(request, "organizations/demonstration_form.html", org_context(request, org, form=form))


def _demo_for_user(request, pk: int) -> DemonstrationUnit:
    qs = DemonstrationUnit.objects.select_related("organization", "designated_by", "leader")
    return access.get_for_user(qs, request.user, pk)


@login_required
def demonstration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demo = _demo_for_user(request, pk)
    can_edit = access.can_edit(request.user, demo.designated_by)
    form = PublicityForm(request.POST or None)
    if request.method == "POST":
        access.require(can_edit)
        if form.is_valid():
            try:
                services.publicity_add(demonstration=demo, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已登记宣传报道"))
                return redirect("organizations:demonstration_detail", pk=demo.pk)
    return render(
        request,
        "organizations/demonstration_detail.html",
        org_context(
            request, demo.organization, demo=demo, publicity=demo.publicity.all(), form=form, can_edit=can_edit
        ),
    )


@login_required
def demonstration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    demo = _demo_for_user(request, pk)
    access.require(access.can_edit(request.user, demo.designated_by))
    org = demo.designated_by
    form = _demo_form(request, org, instance=demo)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_to_save()
        if form.save_unless_stale(lambda: services.demonstration_update(demonstration=demo, **fields)):
            messages.success(request, _("已保存"))
            return redirect("organizations:demonstration_detail", pk=demo.pk)
    return render(request, "organizations/demonstration_form.html", org_context(request, org, form=form, demo=demo))
