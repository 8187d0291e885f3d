"""Pages for committee leaders (班子成员) and their contact points (联系点)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.pages import paginate

from .. import access, selectors, services
from ..enums import COMMITTEE_KINDS
from ..forms import (
    ContactPointForm,
    ContactVisitForm,
    LeaderEditForm,
    LeaderForm,
    add_service_errors,
)
from ..models import ContactPoint, Leader
from .tree import org_context


@login_required
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    today = timezone.localdate()
    quarter_start, _end = selectors.quarter_bounds(today)
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
        org_context(
            request,
            org,
            leaders=paginate(request, selectors.with_quarter_visits(selectors.leaders_in(request.user, org), today)),
            quarter_start=quarter_start,
            missing=selectors.leaders_without_contact_point(request.user, org).count(),
            form=form,
            may_add=may_add,
        ),
    )


@login_required
def contacts_missing(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    page = paginate(request, selectors.leaders_without_contact_point(request.user, org))
    return render(request, "organizations/contacts_missing.html", org_context(request, org, page=page))


@login_required
def leader_detail(request: HttpRequest, pk: int) -> HttpResponse:
    leader = access.get_for_user(Leader.objects.select_related("organization"), request.user, pk)
    committee = leader.organization
    can_edit = access.can_edit(request.user, committee)
    units = selectors.units_below(committee, grassroots_only=False)
    search_url = reverse("organizations:organization_search", args=[committee.pk])
    form = ContactPointForm(request.POST or None, units=units, search_url=search_url)
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
        org_context(request, committee, leader=leader, points=points, form=form, can_edit=can_edit),
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
    return render(
        request,
        "organizations/leader_form.html",
        org_context(request, committee, leader=leader, form=form, stale=stale),
    )


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
        org_context(
            request,
            point.leader.organization,
            point=point,
            visits=paginate(request, point.visits.all()),
            form=form,
            can_edit=can_edit,
        ),
    )
