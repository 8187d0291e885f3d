"""Periods: list and create, progress, dates, close and reopen, settings, self-evaluation, assessment, results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access
from machinery.pages import paginate

from .. import selectors, services
from ..forms import AssessmentForm, PeriodCreateForm, PeriodDatesForm, ReasonForm, SelfEvaluationForm, SettingsForm
from ..models import Assessment, EvaluationSettings, Rating, SelfEvaluation
from .common import attach, org_context


@login_required
def org_periods(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = selectors.get_org(request.user, org_pk)
    can_manage = selectors.can_manage(request.user, org)
    form = PeriodCreateForm(initial={"year": timezone.localdate().year})
    if request.method == "POST":
        access.require(can_manage)
        form = PeriodCreateForm(request.POST)
        if form.is_valid():
            try:
                period = services.period_create(organization=org, **form.cleaned_data)
            except ValidationError as e:
                attach(form, e)
            else:
                messages.success(request, _("已开启%(p)s") % {"p": period})
                return redirect(period)
    page = paginate(request, selectors.periods_of(org))
    return render(
        request,
        "evaluations/period_list.html",
        org_context(request, org, page=page, form=form, can_manage=can_manage, year=timezone.localdate().year),
        status=400 if form.errors else 200,
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
            try:
                services.settings_save(organization=org, poll_scale=form.cleaned_data["scale_text"], **fields)
            except ValidationError as e:
                attach(form, e)
            else:
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
            totals=selectors.period_totals(period),
            can_manage=selectors.can_manage(request.user, period.organization),
            reopen_form=ReasonForm(),
            reopenings=period.reopenings.select_related("by"),
        ),
    )


@login_required
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    form = PeriodDatesForm(instance=period)
    if request.method == "POST":
        form = PeriodDatesForm(request.POST, instance=period)
        if form.is_valid():
            try:
                services.period_update_dates(period=period, **form.cleaned_data)
            except ValidationError as e:
                attach(form, e)
            else:
                messages.success(request, _("日期已调整"))
                return redirect(period)
    return render(
        request,
        "evaluations/form.html",
        org_context(request, period.organization, form=form, title=_("调整考评日期：%(p)s") % {"p": period}, back=period),
        status=400 if form.errors else 200,
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
    else:
        messages.success(request, _("考评期已结束，结果已公布并通知本人"))
    return redirect(period)


@login_required
@require_POST
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.period_reopen(period=period, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            for msg in e.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("考评期已重新开放，理由已记录"))
    else:
        messages.error(request, _("请填写重新开放的理由"))
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
        {"period": period, "member": member, "form": form, "existing": existing},
        status=400 if form.errors else 200,
    )


@login_required
def assessment(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    member = get_object_or_404(services.period_members(period), pk=member_pk)
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
         "rectifications": member.rectifications.all() if member else []},
    )


@login_required
def assess_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """批量评定: the scores and comments of a page of members in one form; each row saved on its own."""
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    page = paginate(request, services.period_members(period).select_related("organization"))
    members = list(page.object_list)
    existing = {a.member_id: a for a in Assessment.objects.filter(period=period, member__in=members)}
    selfs = dict(
        SelfEvaluation.objects.filter(period=period, member__in=members).values_list("member_id", "score")
    )
    rows, errors, saved = [], 0, 0
    for m in members:
        a = existing.get(m.pk)
        row = {"member": m, "self_score": selfs.get(m.pk), "score": a.score if a else "",
               "comment": a.comment if a else "", "version": a.version if a else "", "error": ""}
        if request.method == "POST":
            score, comment = request.POST.get(f"score_{m.pk}", "").strip(), request.POST.get(f"comment_{m.pk}", "").strip()
            version = request.POST.get(f"version_{m.pk}", "").strip()
            if score or comment:
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
