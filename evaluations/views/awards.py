"""Award rounds: 党员示范（先锋）岗 and 优秀共产党员 — the branch nominates, the school reviews, the committee approves."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access
from organizations import selectors as org_selectors
from organizations.enums import PoliticalStatus
from organizations.models import Member

from .. import selectors, services
from ..enums import NominationState
from ..forms import AwardRoundForm, DecideForm, NominationForm
from .common import attach, org_context


@login_required
def awards(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = selectors.get_org(request.user, org_pk)
    can_manage = selectors.can_manage(request.user, org) or access.is_staff_of(request.user, org)
    today = timezone.localdate()
    form = AwardRoundForm(initial={"year": today.year, "submit_from": today, "submit_until": today + datetime.timedelta(days=14),
                                   "review_until": today + datetime.timedelta(days=30)})
    if request.method == "POST":
        access.require(can_manage)
        form = AwardRoundForm(request.POST)
        if form.is_valid():
            try:
                rnd = services.award_round_create(organization=org, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                attach(form, e)
            else:
                messages.success(request, _("已发起评选推荐"))
                return redirect(rnd)
    rounds = selectors.award_rounds_for(request.user, org).annotate(n=Count("nominations")).order_by("-year", "-pk")
    return render(
        request,
        "evaluations/awards.html",
        org_context(request, org, rounds=rounds, form=form, can_manage=can_manage and not org.is_branch),
        status=400 if form.errors else 200,
    )


@login_required
def award_round(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = selectors.get_round_for_user(request.user, pk)
    # members a branch secretary under the round may nominate: Party members of their own subtrees
    nominable = access.scope(
        Member.objects.filter(
            organization__path__startswith=rnd.organization.path,
            is_active=True,
            political_status__in=[PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY],
        ),
        request.user,
    ).select_related("organization").order_by("organization__path", "name")
    can_nominate = access.has_role(request.user, "secretary", "branch_secretary") and nominable.exists()
    # the eligible are offered; the others are listed greyed out with the reasons (the service refuses them too)
    candidates = list(nominable) if can_nominate else []
    reasons = selectors.nomination_eligibility(rnd, candidates)
    eligible = [m for m in candidates if not reasons[m.pk]]
    ineligible = [(m, reasons[m.pk]) for m in candidates if reasons[m.pk]]
    form = NominationForm(members=nominable, offered=eligible)
    if request.method == "POST":
        access.require(can_nominate)
        form = NominationForm(request.POST, members=nominable, offered=eligible)
        if form.is_valid():
            try:
                services.nomination_submit(round=rnd, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                attach(form, e)
            else:
                messages.success(request, _("推荐已提交"))
                return redirect(rnd)
    nominations = list(selectors.nominations_visible(request.user, rnd))
    can_approve = rnd.needs_committee and access.is_staff_of(request.user, rnd.organization)
    for n in nominations:
        n.can_decide = (n.state == NominationState.SUBMITTED and selectors.can_review(request.user, n)) or (
            n.state == NominationState.ENDORSED and can_approve
        )
    counts = {s.value: 0 for s in NominationState}
    for n in nominations:
        counts[n.state] += 1
    return render(
        request,
        "evaluations/award_round.html",
        org_context(
            request, rnd.organization, rnd=rnd, nominations=nominations, form=form, can_nominate=can_nominate,
            ineligible=ineligible,
            counts=[(NominationState(k).label, v) for k, v in counts.items()],
            decide_form=DecideForm(), breadcrumbs=org_selectors.breadcrumbs(request.user, rnd.organization),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def nomination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk)
    rnd = nomination.round
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择通过或不通过"))
        return redirect(rnd)
    yes, note = form.cleaned_data["decision"] == "yes", form.cleaned_data["note"]
    try:
        if nomination.state == NominationState.ENDORSED:
            access.require(access.is_staff_of(request.user, rnd.organization))
            services.nomination_approve(nomination=nomination, approve=yes, note=note, by=request.user)
        else:
            access.require(selectors.can_review(request.user, nomination))
            services.nomination_review(nomination=nomination, endorse=yes, note=note, by=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, _("已处理：%(name)s") % {"name": nomination.name})
    return redirect(rnd)
