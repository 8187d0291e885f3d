"""Who has to do what in target management: the home page's work list and the reminder rules (targets/reminders.py)
pick the target items falling due with the same function, so a reminder never names work the home page does not
show. Also the plan step waiting and the opinions still to answer (征求意见: 采纳与否，答复)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.enums import GRASSROOTS_KINDS, SECRETARY_ROLES
from organizations.models import Organization
from organizations.todo import TodoItem

from .enums import STEP_ORDER, ItemStatus, OpinionDecision, OpinionSource, Step, step_number
from .models import AnnualPlan, Opinion, StepCompletion, TargetItem

SHOWN = 20
DUE_AHEAD_DAYS = 30
REMINDED_BACK_DAYS = 10  # targets.reminders: an item is reminded up to this many days after its deadline


def items_falling_due(*, until: datetime.date, since: datetime.date | None = None) -> QuerySet[TargetItem]:
    """Target items (Annex 1 rows) not done whose deadline is on or before `until` (and on or after `since`)."""
    qs = TargetItem.objects.exclude(status=ItemStatus.DONE).filter(deadline__lte=until)
    if since is not None:
        qs = qs.filter(deadline__gte=since)
    return qs.select_related("plan__organization").order_by("deadline", "pk")


def _led(grants) -> list[int]:
    return sorted({g.organization_id for g in grants if g.role in SECRETARY_ROLES})


def secretary_todo(grants, *, today: datetime.date) -> list[TodoItem]:
    """For the secretaries of a grassroots organization: this year's plan (to make, or its step waiting), opinions
    still to answer, public opinions unanswered, and target items falling due. Three queries whatever the number of plans, items or opinions."""
    led = _led(grants)
    if not led:
        return []
    # 接受群众监督: opinions left on the public pages wait for the answer of the organization they concern (counted
    # with the organizations, in their query)
    waiting = (
        Opinion.objects.filter(source=OpinionSource.PUBLIC, replied_at__isnull=True, organization=OuterRef("pk"))
        .order_by().values("organization").annotate(n=Count("pk")).values("n")[:1]
    )
    orgs = list(
        Organization.objects.filter(pk__in=led, kind__in=GRASSROOTS_KINDS)
        .annotate(public_waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0))
        .order_by("path")
    )
    if not orgs:
        return []
    plans = {
        p.organization_id: p
        for p in AnnualPlan.objects.filter(organization__in=orgs, year=today.year)
        .annotate(pending=Count("opinions", filter=Q(opinions__decision=OpinionDecision.PENDING)))
        .annotate(**{f"done_{step}": Exists(StepCompletion.objects.filter(plan=OuterRef("pk"), step=step))
                     for step in STEP_ORDER})
    }
    items: list[TodoItem] = []
    year_end = datetime.date(today.year, 12, 31)
    for org in orgs:
        plan = plans.get(org.pk)
        if plan is None:
            items.append(TodoItem(
                kind="targets.plan", title=_("制定%(year)s年度计划") % {"year": today.year}, organization=org.name,
                deadline=None,
                url=reverse("targets:org_plans", args=[org.pk]), action=_("去制定"),
            ))
            continue
        done = {step for step in STEP_ORDER if getattr(plan, f"done_{step}")}
        waiting = next((s for s in STEP_ORDER if s not in done), None)
        if waiting is not None:
            items.append(TodoItem(
                kind="targets.step",
                title=_("%(year)s年度计划：第%(number)s步 %(step)s") % {
                    "year": today.year, "number": step_number(waiting), "step": Step(waiting).label},
                organization=org.name, deadline=year_end,
                url=reverse("targets:step", args=[plan.pk, waiting]), action=_("去办理"),
            ))
        if plan.pending:
            items.append(TodoItem(
                kind="targets.opinions", title=_("答复意见建议：%(n)s条待处理") % {"n": plan.pending},
                organization=org.name,
                count=plan.pending, url=reverse("targets:step", args=[plan.pk, Step.OPINIONS]), action=_("去答复"),
            ))
    for org in orgs:
        if org.public_waiting:
            items.append(TodoItem(
                kind="targets.public_opinions",
                title=_("答复公开页群众意见：%(n)s条未答复") % {"n": org.public_waiting},
                organization=org.name, count=org.public_waiting,
                url=reverse("targets:public_opinions", args=[org.pk]), action=_("去答复"),
            ))
    # this year's items, and last year's only while the sweep may still remind of them (its since is 10 days back)
    since = min(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=REMINDED_BACK_DAYS))
    due = items_falling_due(until=today + datetime.timedelta(days=DUE_AHEAD_DAYS), since=since).filter(
        plan__organization__in=orgs
    )
    items += [
        TodoItem(
            kind="targets.item", title=_("目标任务：%(content)s") % {"content": item.content[:30]},
            detail=_("责任人：%(responsible)s，进度%(percent)s%%") % {
                "responsible": item.responsible or _("未指定"), "percent": item.percent},
            organization=item.plan.organization.name, deadline=item.deadline,
            url=item.get_absolute_url(), action=_("登记进展"),
        )
        for item in due[:SHOWN]
    ]
    return items


def member_todo(member, *, today: datetime.date) -> list[TodoItem]:
    """For a member named 责任人 of target items (Annex 1): those not done falling due. One query."""
    due = items_falling_due(
        until=today + datetime.timedelta(days=DUE_AHEAD_DAYS),
        since=min(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=REMINDED_BACK_DAYS)),
    ).filter(responsible_member=member)
    return [
        TodoItem(
            kind="targets.my_item", title=_("我负责的目标任务：%(content)s") % {"content": item.content[:30]},
            detail=_("进度%(percent)s%%") % {"percent": item.percent},
            organization=item.plan.organization.name, deadline=item.deadline,
            url=reverse("targets:my_items"), action=_("查看"),
        )
        for item in due[:SHOWN]
    ]
