"""Reminder rules of evaluations, discovered by notifications' daily sweep.

- A rating period about to close (REMINDER_OFFSETS days before closes_on): each member of the organization's subtree
  with a login who has not written the self-evaluation (述岗自评) is reminded; the organization's secretaries are
  reminded of the members still without their assessment (党组织综合评定).
- An open rectification (限期整改) nearing its deadline, and once the day after it: the member and the secretaries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse

from notifications.sweep import (
    OVERDUE_GRACE_DAYS,
    Reminder,
    cn_date,
    days_phrase,
    deadline_offset,
    link,
    reminder_offsets,
)
from organizations.enums import Role
from organizations.models import Member

from .enums import PeriodState, RectificationState
from .models import Assessment, EvaluationPeriod, Rectification, SelfEvaluation

SECRETARIES = (Role.SECRETARY, Role.BRANCH_SECRETARY)


def due(*, today: datetime.date) -> Iterator[Reminder]:
    yield from _periods(today)
    yield from _rectifications(today)


def _horizon(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=max(reminder_offsets(), default=0))


def _periods(today: datetime.date) -> Iterator[Reminder]:
    candidates = EvaluationPeriod.objects.filter(
        state=PeriodState.OPEN, opens_on__lte=today, closes_on__gt=today, closes_on__lte=_horizon(today)
    ).select_related("organization")
    periods = [(p, off) for p in candidates if (off := deadline_offset(today, p.closes_on, after=False)) is not None]
    if not periods:
        return
    q = Q()
    for period, _ in periods:
        q |= Q(organization__path__startswith=period.organization.path)
    members = list(Member.objects.filter(q, is_active=True).values_list("pk", "user_id", "organization__path"))
    ids = [p.pk for p, _ in periods]
    written = set(SelfEvaluation.objects.filter(period_id__in=ids).values_list("period_id", "member_id"))
    assessed = set(Assessment.objects.filter(period_id__in=ids).values_list("period_id", "member_id"))
    for period, offset in periods:
        name = f"{period.year}年{period.get_kind_display()}"
        when = days_phrase(today, period.closes_on)
        in_period = [(pk, user_id) for pk, user_id, path in members if path.startswith(period.organization.path)]
        self_url = link(lambda period=period: reverse("evaluations:self_evaluation", args=[period.pk]))
        for member_id, user_id in in_period:
            if user_id is not None and (period.pk, member_id) not in written:
                yield Reminder(
                    kind="evaluations.self", period=f"p{period.pk}", offset=offset,
                    subject=f"{name}述岗自评{when}",
                    body=f"{period.organization.name}{name}将于{cn_date(period.closes_on)}截止，您还没有填写述岗自评，请及时填写。",
                    url=self_url, recipient_id=user_id,
                )
        todo = sum(1 for member_id, _ in in_period if (period.pk, member_id) not in assessed)
        if todo:
            yield Reminder(
                kind="evaluations.assess", period=f"p{period.pk}", offset=offset,
                subject=f"{name}{when}：还有{todo}人未完成综合评定",
                body=(
                    f"{period.organization.name}{name}将于{cn_date(period.closes_on)}截止，"
                    f"还有{todo}名党员/教师未完成党组织综合评定，请及时评定。"
                ),
                url=link(lambda period=period: period.get_absolute_url()),
                organization_id=period.organization_id, roles=SECRETARIES,
            )


def _rectifications(today: datetime.date) -> Iterator[Reminder]:
    earliest = today - datetime.timedelta(days=OVERDUE_GRACE_DAYS + 1)
    open_ones = Rectification.objects.filter(
        state=RectificationState.OPEN, deadline__gt=earliest, deadline__lte=_horizon(today)
    ).select_related("member", "organization")
    for r in open_ones:
        offset = deadline_offset(today, r.deadline)
        if offset is None:
            continue
        when = "已超过整改期限" if offset > 0 else days_phrase(today, r.deadline)
        url = link(lambda r=r: r.get_absolute_url())
        if r.member.user_id is not None:
            yield Reminder(
                kind="evaluations.rectification", period=f"r{r.pk}", offset=offset,
                subject=f"限期整改{when}",
                body=f"您的限期整改期限为{cn_date(r.deadline)}，请按要求完成整改并向党组织报告。",
                url=url, recipient_id=r.member.user_id,
            )
        yield Reminder(
            kind="evaluations.rectification_org", period=f"r{r.pk}", offset=offset,
            subject=f"{r.member.name}的限期整改{when}",
            body=f"{r.member.name}的限期整改期限为{cn_date(r.deadline)}，请跟进整改情况，按期作出结论。",
            url=url, organization_id=r.organization_id, roles=SECRETARIES,
        )
