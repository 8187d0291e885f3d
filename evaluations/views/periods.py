"""Periods: list and create, progress, dates, close and reopen, settings, self-evaluation, assessment, results."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from machinery.pages import paginate
from organizations import access
from posts.selectors.masses import member_contact_summary

from .. import selectors, services
from ..assessors import assessable_members, assessable_secretaries, assessment_refusal, assessment_refusals
from ..forms import AssessmentForm, ReopenForm, SelfEvaluationForm, SettingsForm
from ..models import Assessment, EvaluationSettings, Rating, SelfEvaluation
from ..services.windows import Action, window_refusal
from .common import attach, org_context


@login_required
@require_safe
def org_periods(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The periods of the organization's subtree. Nobody opens them: they follow the year's calendar. A grassroots
    organization's read runs the same check as the daily sweep, so its periods are there the day its window opens."""
    org = selectors.get_org(request.user, org_pk)
    can_manage = selectors.can_manage(request.user, org)
    today = timezone.localdate()
    if org.is_grassroots:
        services.periods_sweep(today=today, within=org)
    page = paginate(request, selectors.periods_of(org))
    return render(
        request,
        "evaluations/period_list.html",
        org_context(request, org, page=page, can_manage=can_manage, year=today.year, today=today),
    )


@login_required
def settings_view(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = selectors.get_org(request.user, org_pk)
    can_manage = selectors.can_manage(request.user, org)
    current = services.settings_for(org)
    instance = EvaluationSettings.objects.filter(organization=org).first() or EvaluationSettings(
        organization=org, **{f: getattr(current, f) for f in SettingsForm.Meta.fields}, poll_scale=current.poll_scale
    )
    form = SettingsForm(instance=instance)
    if request.method == "POST":
        access.require(can_manage)
        form = SettingsForm(request.POST, instance=instance)
        if form.is_valid():
            fields = {f: form.cleaned_data[f] for f in SettingsForm.Meta.fields}
            if form.save_unless_stale(lambda: services.settings_save(
                organization=org, poll_scale=form.cleaned_data["scale_text"], **fields
            )):
                messages.success(request, _("考评设置已保存；已结束考评期的结果不受影响"))
                return redirect("evaluations:org_periods", org.pk)
    return render(
        request,
        "evaluations/settings.html",
        org_context(request, org, form=form, can_manage=can_manage, inherited=current.organization_id != org.pk),
        status=400 if form.errors else 200,
    )


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_period_for_user(request.user, pk)
    members = services.period_members(period).select_related("organization")
    page = paginate(request, members)
    return render(
        request,
        "evaluations/period_detail.html",
        org_context(
            request,
            period.organization,
            period=period,
            page=page,
            progress=selectors.period_progress(period, list(page.object_list)),
            # whose 综合评定 this user makes (never their own; a secretary's from the organization above)
            assessable=assessable_members(period=period, members=page.object_list, user=request.user),
            totals=selectors.period_totals(period),
            can_manage=selectors.can_manage(request.user, period.organization),
            reopen_form=ReopenForm(),
            reopenings=period.reopenings.select_related("by"),
        ),
    )


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    try:
        services.period_close(period=period, by=request.user)
    except ValidationError as e:
        for msg in e.messages:
            messages.error(request, msg)
        if period.is_open:  # back to the close page, where the missing parts can be marked
            return redirect("evaluations:period_closing", period.pk)
    else:
        messages.success(request, _("考评期已结束，结果已公布并通知本人"))
    return redirect(period)


@login_required
@require_POST
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.period_reopen(period=period, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            for msg in e.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("考评期已重新开放，理由和开放期限已记录"))
    else:
        if "reason" in form.errors:
            messages.error(request, _("请填写重新开放的理由"))
        if "until" in form.errors:
            messages.error(request, _("请填写重新开放到哪一天"))
    return redirect(period)


@login_required
def self_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    period, member = selectors.get_period_for_member(request.user, pk)
    existing = SelfEvaluation.objects.filter(period=period, member=member).prefetch_related("items").first()
    commitments = selectors.member_commitments(member, period.year)
    initial = {}
    if existing:
        initial = {"summary": existing.summary, "score": existing.score}
        texts = {i.commitment_id: i.text for i in existing.items.all()}
        initial.update({f"item_{c.pk}": texts.get(c.pk, "") for c in commitments})
    form = SelfEvaluationForm(initial=initial, commitments=commitments)
    if request.method == "POST":
        form = SelfEvaluationForm(request.POST, commitments=commitments)
        if form.is_valid():
            try:
                services.self_evaluation_save(
                    period=period,
                    member=member,
                    summary=form.cleaned_data["summary"],
                    score=form.cleaned_data["score"],
                    items=form.items(),
                )
            except ValidationError as e:
                attach(form, e)
            else:
                messages.success(request, _("述岗自评已提交"))
                return redirect("evaluations:my_results")
    return render(
        request,
        "evaluations/self_evaluation.html",
        {"period": period, "member": member, "form": form, "existing": existing,
         "masses": member_contact_summary(member, datetime.date(period.year, 1, 1), period.closes_on),
         # outside the window the page says which window, instead of offering a form the service would refuse
         "refusal": window_refusal(period, action=Action.SELF_EVALUATION) if period.is_open else None},
        status=400 if form.errors else 200,
    )


@login_required
def assessment(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    period = selectors.get_period_for_assessor(request.user, pk)
    member = get_object_or_404(services.period_members(period).select_related("organization"), pk=member_pk)
    # oneself, or a secretary assessed from above: the page says who assesses instead of offering the form
    refusal = assessment_refusal(period=period, member=member, user=request.user)
    access.require(not refusal or selectors.can_manage(request.user, period.organization))
    existing = Assessment.objects.filter(period=period, member=member).first()
    own = SelfEvaluation.objects.filter(period=period, member=member).prefetch_related("items").first()
    initial = {"score": existing.score, "comment": existing.comment, "version": existing.version} if existing else {}
    form = AssessmentForm(initial=initial)
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                # a blank version means the user saw no assessment: someone else's in between is a conflict
                fields = {**form.cleaned_data, "version": form.cleaned_data["version"] or 0}
                services.assessment_save(period=period, member=member, by=request.user, **fields)
            except ValidationError as e:
                attach(form, e)
                existing = Assessment.objects.filter(period=period, member=member).first()
            else:
                messages.success(request, _("已保存对%(name)s的综合评定") % {"name": member.name})
                return redirect(period)
    return render(
        request,
        "evaluations/assessment.html",
        org_context(
            request, period.organization, period=period, member=member, form=form, existing=existing, own=own,
            refusal=refusal,
            earlier=Rating.objects.filter(member=member, period__year=period.year, published=True)
            .exclude(period=period)
            .select_related("period")
            .order_by("period__closes_on"),
        ),
        status=400 if form.errors else 200,
    )


@login_required
def my_results(request: HttpRequest) -> HttpResponse:
    member = access.own_member(request.user)
    ratings = selectors.own_ratings(member) if member else []
    open_periods = selectors.open_periods_for_member(member) if member else []
    return render(
        request,
        "evaluations/my_results.html",
        {"member": member, "ratings": ratings, "open_periods": open_periods,
         "honours": member.honours.all() if member else [],
         "rectifications": member.rectifications.all() if member else [],
         "published": selectors.published_periods_for_member(member) if member else []},
    )


@login_required
def assess_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """批量评定: the scores and comments of a page of members in one form; each row saved on its own."""
    period = selectors.get_period_for_assessor(request.user, pk)
    members = services.period_members(period).select_related("organization")
    if not selectors.can_manage(request.user, period.organization):
        # staff above a secretary rated here: only the secretaries they assess
        members = members.filter(pk__in=[m.pk for m in assessable_secretaries(period=period, user=request.user)])
    page = paginate(request, members)
    members = list(page.object_list)
    refusals = assessment_refusals(period=period, members=members, user=request.user)
    existing = {a.member_id: a for a in Assessment.objects.filter(period=period, member__in=members)}
    selfs = dict(
        SelfEvaluation.objects.filter(period=period, member__in=members).values_list("member_id", "score")
    )
    rows, errors, saved = [], 0, 0
    for m in members:
        a = existing.get(m.pk)
        row = {"member": m, "self_score": selfs.get(m.pk), "score": a.score if a else "",
               "comment": a.comment if a else "", "version": a.version if a else "", "error": "",
               "refusal": refusals[m.pk]}
        if request.method == "POST":
            score, comment = request.POST.get(f"score_{m.pk}", "").strip(), request.POST.get(f"comment_{m.pk}", "").strip()
            version = request.POST.get(f"version_{m.pk}", "").strip()
            if score or comment:
                if not row["refusal"]:  # a refused row keeps showing what is saved
                    row.update(score=score, comment=comment)
                form = AssessmentForm({"score": score, "comment": comment, "version": version})
                if not form.is_valid():
                    row["error"] = "；".join(msg for msgs in form.errors.values() for msg in msgs)
                elif not (a and (a.score, a.comment) == (form.cleaned_data["score"], form.cleaned_data["comment"])):
                    # rows left as they were are not saved again (their version would not move)
                    try:
                        fields = {**form.cleaned_data, "version": form.cleaned_data["version"] or 0}
                        services.assessment_save(period=period, member=m, by=request.user, **fields)
                        saved += 1
                    except ValidationError as e:
                        row["error"] = "；".join(e.messages)
                errors += bool(row["error"])
        rows.append(row)
    if request.method == "POST" and not errors:
        messages.success(request, _("已保存 %(n)s 人的综合评定") % {"n": saved})
        return redirect(request.get_full_path())
    return render(
        request,
        "evaluations/assess_batch.html",
        org_context(request, period.organization, period=period, page=page, rows=rows),
        status=400 if errors else 200,
    )
