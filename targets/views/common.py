"""What the targets views share: the step page's context and turning a service refusal into form errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from machinery.pages import app_offers
from organizations import access
from organizations.enums import EightRole
from organizations.selectors import breadcrumbs

from .. import forms, selectors
from ..enums import OpinionSource, Step
from ..models import AnnualPlan, Opinion, ProgressEntry


def apply_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (or on top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def plan_context(request, plan: AnnualPlan, *, states: bool = False, counts: bool = False) -> dict:
    """What every page of a plan shows; with `states` the six steps' states too (the plan and step pages), each
    with its number of records when `counts` (the plan page's diagram)."""
    org = plan.organization
    ctx = {
        "plan": plan,
        "org": org,
        "breadcrumbs": breadcrumbs(request.user, org) + [org],
        "can_edit": access.can_edit(request.user, org),
    }
    if states:
        ctx["states"] = selectors.step_states(plan, counts=counts)
    return ctx


def offered_step_sections(request, plan: AnnualPlan, step: str, *, compact: bool = False) -> list[str]:
    """What apps above targets show for one step of the plan (AppConfig.plan_step_sections(plan, step, compact)),
    rendered: e.g. evaluations lists the members' ratings, honours and rectifications under step 6 考评奖惩."""
    return [
        mark_safe(render_to_string(s["template"], s.get("context", {}), request=request))
        for s in app_offers("plan_step_sections", plan, step, compact)
    ]


def _opinions_context(plan, bound: dict) -> dict:
    events = list(
        plan.opinion_events.prefetch_related(Prefetch("opinions", queryset=Opinion.objects.order_by("created_at", "pk")))
    )
    public = list(plan.opinions.filter(source=OpinionSource.PUBLIC).order_by("-created_at", "pk"))
    sort_forms = {}
    for opinion in [o for e in events for o in e.opinions.all()] + public:
        sort_forms[opinion.pk] = bound.get(("sort", opinion.pk)) or forms.OpinionSortForm(
            instance=opinion, prefix=f"o{opinion.pk}"
        )
    for event in events:
        event.add_form = bound.get(("add", event.pk)) or forms.OpinionForm(prefix=f"e{event.pk}")
        event.rows = [(o, sort_forms[o.pk]) for o in event.opinions.all()]
    return {
        "events": events,
        "public_rows": [(o, sort_forms[o.pk]) for o in public],
        "event_form": bound.get("event") or forms.OpinionEventForm(),
    }


def _implementation_context(plan, bound: dict) -> dict:
    latest = Prefetch("progress", queryset=ProgressEntry.objects.order_by("-recorded_on", "-pk"), to_attr="entries")
    return {
        "items": list(plan.items.prefetch_related(latest)),
        "joint_activities": list(plan.joint_activities.all()),
        "joint_form": bound.get("joint") or forms.JointActivityForm(),
    }


def step_context(request, plan: AnnualPlan, step: str, bound: dict | None = None) -> dict:
    bound = bound or {}
    ctx = plan_context(request, plan, states=True)
    this = next(s for s in ctx["states"] if s.step == step)
    # what still blocks the step is shown only to those who may complete it, while it is not done
    blockers = []
    if ctx["can_edit"] and this.completion is None:
        done = {s.step for s in ctx["states"] if s.completion is not None}
        blockers = selectors.step_blockers(plan, step, done=done)
    ctx.update(
        {
            "step": step,
            "this": this,
            "blockers": blockers,
            "complete_form": bound.get("complete") or forms.StepCompleteForm(),
            "complete_error": bound.get("complete_error"),
        }
    )
    if step == Step.OPINIONS:
        ctx.update(_opinions_context(plan, bound))
    elif step == Step.DECISION:
        ctx["meetings"] = list(plan.meetings.prefetch_related("adopted_opinions"))
        ctx["meeting_form"] = bound.get("meeting") or forms.MeetingForm(plan=plan)
        ctx["adopted_count"] = selectors.adopted_opinions(plan).count()
    elif step == Step.DECOMPOSITION:
        items = list(plan.items.all())
        ctx["items"] = items
        if all(i.responsible for i in items):
            plan.items_to_reassign = []  # no row lacks its 责任人: the page's list is empty, without asking again
        ctx["item_form"] = bound.get("item") or forms.ItemForm()
        covered = {i.role for i in items}
        ctx["roles"] = [(label, value in covered) for value, label in EightRole.choices]
    elif step == Step.PUBLIC_COMMITMENT:
        ctx["publications"] = list(plan.publications.select_related("published_by"))
        ctx["publish_form"] = bound.get("publish") or forms.PublishForm()
        ctx["items"] = list(plan.items.all())
        ctx["unpublished"] = sum(1 for i in ctx["items"] if not i.published_at)
    elif step == Step.IMPLEMENTATION:
        ctx.update(_implementation_context(plan, bound))
    elif step == Step.EVALUATION:
        ctx["reviews"] = list(plan.reviews.all())
        ctx["review_form"] = bound.get("review") or forms.ReviewForm()
        ctx["offered_sections"] = offered_step_sections(request, plan, step)
    return ctx


def render_step(request, plan: AnnualPlan, step: str, bound: dict | None = None, status: int = 200):
    return render(request, "targets/step.html", step_context(request, plan, step, bound), status=status)
