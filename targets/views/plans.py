"""The annual plan: overview, per-organization list, create/edit, the plan page with its flow, step completion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.locking import is_stale_error
from machinery.pages import paginate, paginate_open
from machinery.params import FIRST_YEAR, LAST_YEAR, int_param
from machinery.uploads import protected_download
from organizations import access
from organizations.history import history_page
from organizations.selectors import breadcrumbs

from .. import forms, selectors, services
from ..enums import STEP_ORDER, Step
from ..models import AnnualPlan
from .common import apply_error, offered_step_sections, plan_context, render_step


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Plans of every organization the user sees, filterable by year."""
    year = int_param(request, "year", 0, lo=FIRST_YEAR, hi=LAST_YEAR)
    # a province holds tens of thousands of plans: pages are not counted (a next link, no last page)
    page = paginate_open(request, selectors.plan_overview(request.user, year=year or None))
    years = range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1)
    return render(
        request,
        "targets/index.html",
        {"page": page, "year": year, "years": years, "extra_query": f"year={year}" if year else "", "steps": len(STEP_ORDER)},
    )


@login_required
def org_plans(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    return render(
        request,
        "targets/org_plans.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(request.user, org),
            "page": paginate(request, selectors.plans_of(org)),
            "can_plan": selectors.can_plan(org) and access.can_edit(request.user, org),
            "steps": len(STEP_ORDER),
            "public": bool(selectors.published_plans([org.pk])),
        },
    )


@login_required
def plan_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk, to_edit=True)
    if not selectors.can_plan(org):
        raise Http404
    form = forms.PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(organization=org, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("已创建%(year)s年度计划") % {"year": plan.year})
            return redirect(plan)
    status = 400 if form.is_bound else 200
    ctx = {"form": form, "org": org, "breadcrumbs": breadcrumbs(request.user, org), "title": _("新建年度计划")}
    return render(request, "targets/plan_form.html", ctx, status=status)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    ctx = plan_context(request, plan, states=True, counts=True)
    ctx["current"] = next((s for s in ctx["states"] if s.state == "current"), None)
    ctx["flow_sections"] = offered_step_sections(request, plan, Step.EVALUATION, compact=True)
    return render(request, "targets/plan_detail.html", ctx)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    form = forms.PlanForm(request.POST or None, request.FILES or None, instance=plan)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in services.PLAN_FIELDS}
        try:
            services.plan_update(plan=plan, expected_version=form.cleaned_data["version"], by=request.user, **data)
            if form.cleaned_data.get("report"):
                services.plan_attach_research_report(plan=plan, file=form.cleaned_data["report"], by=request.user)
        except ValidationError as exc:
            if is_stale_error(exc):
                stale = AnnualPlan.objects.get(pk=plan.pk)
                form.data = form.data.copy()
                form.data["version"] = stale.version
            apply_error(form, exc)
        else:
            messages.success(request, _("计划已保存"))
            return redirect(plan)
    plan = AnnualPlan.objects.select_related("organization").get(pk=plan.pk) if form.is_bound else plan
    ctx = plan_context(request, plan) | {"form": form, "stale": stale, "title": _("修改年度计划")}
    return render(request, "targets/plan_form.html", ctx, status=400 if form.is_bound else 200)


@login_required
def plan_report(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    return protected_download(request, plan.research_report, plan.research_report_name or None)


def _step_or_404(step: str) -> str:
    if step not in STEP_ORDER:
        raise Http404
    return step


@login_required
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    return render_step(request, plan, _step_or_404(step))


@login_required
@require_POST
def step_complete(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    step = _step_or_404(step)
    form = forms.StepCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.step_complete(plan=plan, step=step, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            return render_step(request, plan, step, {"complete": form, "complete_error": exc.messages}, status=400)
        messages.success(request, _("第%(n)s步“%(label)s”已完成") % {"n": STEP_ORDER.index(step) + 1, "label": Step(step).label})
        return redirect(plan)
    return render_step(request, plan, step, {"complete": form}, status=400)


@login_required
@require_POST
def step_reopen(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk, to_edit=True)
    step = _step_or_404(step)
    try:
        services.step_reopen(plan=plan, step=step, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已重新打开“%(label)s”") % {"label": Step(step).label})
    return redirect("targets:step", plan.pk, step)


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """修改记录 of the plan: for its secretaries and the staff above it."""
    plan = selectors.plan_for_user(request.user, pk)
    access.require(access.can_see_history(request.user, plan.organization))
    title = _("%(year)s年度计划修改记录") % {"year": plan.year}
    return history_page(request, plan, title=title, back_url=plan.get_absolute_url(), org=plan.organization)
