"""Year-end: reserve cadres and 限期整改 (the year-end page and 民主评议党员 are in appraisals.py)."""

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
from machinery.params import year_param
from organizations import access
from organizations import selectors as org_selectors

from .. import selectors, services
from ..enums import Grade, RectificationState
from ..forms import DecideForm, EndForm, FollowUpForm, RectificationForm, ReserveForm
from ..models import Rating, Rectification, ReserveCadreProposal
from .common import attach, org_context


@login_required
def reserve(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = selectors.get_org(request.user, org_pk)
    year = year_param(request)
    can_manage = selectors.can_manage(request.user, org)
    members = org_selectors.members_of(request.user, org).filter(
        birth_year__gte=year - services.yearend.RESERVE_MAX_AGE
    )
    good = set(
        Rating.objects.filter(
            member__in=members, period__year=year, period__kind="year", published=True,
            grade__in=services.yearend.RESERVE_GRADES,
        ).values_list("member_id", flat=True)
    )
    candidates = members.filter(pk__in=good)
    form = ReserveForm(members=candidates)
    if request.method == "POST":
        access.require(can_manage)
        form = ReserveForm(request.POST, members=candidates)
        if form.is_valid():
            try:
                services.reserve_propose(year=year, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                attach(form, e)
            else:
                messages.success(request, _("已推荐为后备干部人选"))
                return redirect(f"{request.path}?year={year}")
    proposals = access.scope(
        ReserveCadreProposal.objects.filter(year=year).select_related("member__organization"),
        request.user, "member__organization",
    ).filter(member__organization__path__startswith=org.path)
    return render(
        request,
        "evaluations/reserve.html",
        org_context(request, org, year=year, form=form, candidates=candidates, proposals=proposals,
                    can_manage=can_manage, decide_form=DecideForm(), max_age=services.yearend.RESERVE_MAX_AGE),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def reserve_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_for_user(
        ReserveCadreProposal.objects.select_related("member__organization"), request.user, pk,
        field="member__organization",
    )
    access.require(selectors.can_manage(request.user, proposal.member.organization))
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.reserve_decide(proposal=proposal, accept=form.cleaned_data["decision"] == "yes", by=request.user)
        except ValidationError as e:
            messages.error(request, "；".join(e.messages))
        else:
            messages.success(request, _("已处理后备干部推荐"))
    url = reverse("evaluations:reserve", args=[proposal.member.organization_id])
    return redirect(f"{url}?year={proposal.year}")


@login_required
def rectifications(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = selectors.get_org(request.user, org_pk)
    rects = Rectification.objects.filter(organization__path__startswith=org.path).select_related(
        "member", "organization", "rating__period"
    )
    open_ratings = Rating.objects.filter(
        period__organization__path__startswith=org.path, grade=Grade.POOR, published=True, rectification__isnull=True
    ).select_related("member", "period")
    return render(
        request,
        "evaluations/rectifications.html",
        org_context(request, org, page=paginate(request, rects), pending=open_ratings,
                    today=timezone.localdate(), can_manage=selectors.can_manage(request.user, org)),
    )


@login_required
def rectification_open(request: HttpRequest, pk: int) -> HttpResponse:
    rating = selectors.get_rating_for_user(request.user, pk, to_manage=True)
    form = RectificationForm()
    if request.method == "POST":
        form = RectificationForm(request.POST)
        if form.is_valid():
            try:
                rect = services.rectification_open(rating=rating, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                attach(form, e)
            else:
                messages.success(request, _("已启动限期整改"))
                return redirect(rect)
    return render(
        request,
        "evaluations/form.html",
        org_context(request, rating.period.organization, form=form, back=rating.period,
                    title=_("限期整改：%(name)s（%(p)s 较差）") % {"name": rating.member.name, "p": rating.period}),
        status=400 if form.errors else 200,
    )


@login_required
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    rect = selectors.get_rectification_for_user(request.user, pk)
    can_manage = selectors.can_manage(request.user, rect.organization)
    follow_form, end_form = FollowUpForm(), EndForm()
    if request.method == "POST":
        access.require(can_manage)
        try:
            if "outcome" in request.POST:
                end_form = EndForm(request.POST)
                if end_form.is_valid():
                    services.rectification_end(
                        rectification=rect, escalate=end_form.cleaned_data["escalate"] == "escalate",
                        outcome=end_form.cleaned_data["outcome"], by=request.user,
                    )
                    messages.success(request, _("整改已结束"))
                    return redirect(rect)
            else:
                follow_form = FollowUpForm(request.POST)
                if follow_form.is_valid():
                    services.rectification_follow_up(rectification=rect, by=request.user, **follow_form.cleaned_data)
                    messages.success(request, _("已记录跟进情况"))
                    return redirect(rect)
        except ValidationError as e:
            attach(end_form if "outcome" in request.POST else follow_form, e)
    return render(
        request,
        "evaluations/rectification.html",
        org_context(request, rect.organization, rect=rect, follow_ups=rect.follow_ups.select_related("by"),
                    can_manage=can_manage and rect.state == RectificationState.OPEN,
                    follow_form=follow_form, end_form=end_form, overdue=rect.is_overdue()),
        status=400 if follow_form.errors or end_form.errors else 200,
    )
