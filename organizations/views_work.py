"""Pages for honours, typical demonstration units, leaders' contact points and coverage (推广面)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, selectors, services
from .enums import COMMITTEE_KINDS, DemoKind, Role
from .forms import (
    ContactPointForm,
    ContactVisitForm,
    DemonstrationForm,
    HonourForm,
    HonourTitleForm,
    LaunchForm,
    LeaderEditForm,
    LeaderForm,
    PublicityForm,
    add_service_errors,
)
from .models import ContactPoint, DemonstrationUnit, Honour, HonourTitle, Leader, Organization
from .views import paginate


def _ctx(request, org: Organization, **extra) -> dict:
    return {"org": org, "breadcrumbs": selectors.breadcrumbs(request.user, org), **extra}


# ---- honours ------------------------------------------------------------------------------------------------------


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
        _ctx(
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
        request, "organizations/honour_titles.html", {"titles": HonourTitle.objects.all(), "form": form, "may_add": may_add}
    )


# ---- typical demonstration units ----------------------------------------------------------------------------------


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
        _ctx(
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
    units = selectors.grassroots(org).exclude(pk=org.pk).order_by("path")
    leaders = Leader.objects.filter(organization=org, is_active=True)
    return DemonstrationForm(request.POST or None, instance=instance, units=units, leaders=leaders)


@login_required
def demonstration_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk, to_edit=True)
    form = _demo_form(request, org)
    if request.method == "POST" and form.is_valid():
        try:
            demo = services.demonstration_create(designated_by=org, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已确定典型示范单位"))
            return redirect("organizations:demonstration_detail", pk=demo.pk)
    return render(request, "organizations/demonstration_form.html", _ctx(request, org, form=form))


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
        _ctx(request, demo.organization, demo=demo, publicity=demo.publicity.all(), form=form, can_edit=can_edit),
    )


@login_required
def demonstration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    demo = _demo_for_user(request, pk)
    access.require(access.can_edit(request.user, demo.designated_by))
    org = demo.designated_by
    form = _demo_form(request, org, instance=demo)
    if request.method == "POST" and form.is_valid():
        try:
            services.demonstration_update(demonstration=demo, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("organizations:demonstration_detail", pk=demo.pk)
    return render(request, "organizations/demonstration_form.html", _ctx(request, org, form=form, demo=demo))


# ---- leaders and contact points -----------------------------------------------------------------------------------


@login_required
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    may_add = org.kind in COMMITTEE_KINDS and access.can_edit(request.user, org)
    form = LeaderForm(request.POST or None)
    if request.method == "POST":
        access.require(may_add)
        if form.is_valid():
            try:
                leader = services.leader_create(organization=org, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已添加班子成员"))
                return redirect("organizations:leader_detail", pk=leader.pk)
    return render(
        request,
        "organizations/contacts.html",
        _ctx(
            request,
            org,
            leaders=paginate(request, selectors.leaders_in(request.user, org)),
            missing=selectors.leaders_without_contact_point(request.user, org).count(),
            form=form,
            may_add=may_add,
        ),
    )


@login_required
def contacts_missing(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    page = paginate(request, selectors.leaders_without_contact_point(request.user, org))
    return render(request, "organizations/contacts_missing.html", _ctx(request, org, page=page))


@login_required
def leader_detail(request: HttpRequest, pk: int) -> HttpResponse:
    leader = access.get_for_user(Leader.objects.select_related("organization"), request.user, pk)
    committee = leader.organization
    can_edit = access.can_edit(request.user, committee)
    units = selectors.subtree(committee).exclude(pk=committee.pk).order_by("path")
    form = ContactPointForm(request.POST or None, units=units)
    if request.method == "POST":
        access.require(can_edit)
        if form.is_valid():
            try:
                services.contact_point_create(leader=leader, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已确定联系点"))
                return redirect("organizations:leader_detail", pk=leader.pk)
    points = leader.contact_points.select_related("organization").order_by("pk")
    return render(
        request,
        "organizations/leader_detail.html",
        _ctx(request, committee, leader=leader, points=points, form=form, can_edit=can_edit),
    )


@login_required
def leader_edit(request: HttpRequest, pk: int) -> HttpResponse:
    leader = access.get_for_user(Leader.objects.select_related("organization"), request.user, pk, to_edit=True)
    committee = leader.organization
    form = LeaderEditForm(request.POST or None, instance=leader)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in LeaderEditForm.Meta.fields}
        if form.save_unless_stale(lambda: services.leader_update(leader=Leader.objects.get(pk=leader.pk), **fields)):
            messages.success(request, _("已保存"))
            return redirect("organizations:leader_detail", pk=leader.pk)
    stale = getattr(form, "stale", None)
    return render(request, "organizations/leader_form.html", _ctx(request, committee, leader=leader, form=form, stale=stale))


@login_required
def contact_point(request: HttpRequest, pk: int) -> HttpResponse:
    qs = ContactPoint.objects.select_related("leader", "leader__organization", "organization")
    point = access.get_for_user(qs, request.user, pk, field="leader__organization")
    can_edit = access.can_edit(request.user, point.leader.organization)
    form = ContactVisitForm(request.POST or None)
    if request.method == "POST":
        access.require(can_edit)
        if form.is_valid():
            try:
                services.contact_visit_log(contact_point=point, recorded_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已记录"))
                return redirect("organizations:contact_point", pk=point.pk)
    return render(
        request,
        "organizations/contact_point.html",
        _ctx(
            request,
            point.leader.organization,
            point=point,
            visits=paginate(request, point.visits.all()),
            form=form,
            can_edit=can_edit,
        ),
    )


# ---- coverage -----------------------------------------------------------------------------------------------------


@login_required
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    counties = list(selectors.children(org).filter(kind__in=COMMITTEE_KINDS))
    county = None
    county_pk = request.GET.get("county", "")
    if county_pk.isdigit():
        county = get_object_or_404(selectors.children(org), pk=int(county_pk))
    focus = county or org
    return render(
        request,
        "organizations/coverage.html",
        _ctx(
            request,
            org,
            cov=selectors.coverage(focus),
            focus=focus,
            county=county,
            counties=counties,
            rows=selectors.coverage_rows(org, county=county),
            page=paginate(request, selectors.not_launched(focus)),
            extra_query=f"county={county.pk}" if county else "",
        ),
    )


@login_required
@require_POST
def launch(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk, to_edit=True)
    form = LaunchForm(request.POST)
    if form.is_valid():
        try:
            services.organization_launch(organization=org, launched_on=form.cleaned_data["launched_on"])
            messages.success(request, _("已保存推行日期"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, _("日期格式不正确"))
    return redirect("organizations:detail", pk=org.pk)
