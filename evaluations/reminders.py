"""Reminder rules of the evaluations, found by notifications' daily sweep.

- An open period about to close (the close date of the window in force, years' calendar): each rated member with a
  login who has not self-evaluated (述岗自评), and the organization's secretaries while assessments are missing (also
  once the day after the close date).
- An open rectification (限期整改): the member and the organization's secretaries before the deadline, and the
  secretaries once it is overdue.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse

from notifications.sweep import Reminder, cn_date, days_phrase, deadline_offset, link
from organizations.enums import Role
from organizations.models import Member
from years.selectors import windows_for_many

from .enums import PeriodState
from .models import EvaluationPeriod
from .selectors.todo import open_rectifications, without_assessment, without_self_evaluation
from .services.windows import periods_sweep

SECRETARIES = (Role.SECRETARY, Role.BRANCH_SECRETARY)
WINDOW = datetime.timedelta(days=31)


def prepare(*, today: datetime.date) -> None:
    """Before the day's reminders: periods open and follow the calendar (the daily sweep's upkeep)."""
    periods_sweep(today=today)


def due(*, today: datetime.date) -> Iterator[Reminder]:
    yield from _periods(today)
    yield from _rectifications(today)


def _closing_dates(periods: list[EvaluationPeriod]) -> dict[int, datetime.date]:
    """The close date of the window in force for each period (one query per year and kind, whatever the number)."""
    groups: dict[tuple[int, str], list[EvaluationPeriod]] = defaultdict(list)
    for period in periods:
        groups[(period.year, period.kind)].append(period)
    closes = {}
    for (year, kind), group in groups.items():
        windows = windows_for_many({p.organization_id: p.organization for p in group}.values(), year, kind)
        for period in group:
            closes[period.pk] = windows[period.organization_id].closes_on
    return closes


def _members_of(periods: list[EvaluationPeriod]) -> dict[int, list]:
    """period_members of each period, read in one query (periods of nested organizations share members)."""
    if not periods:
        return {}
    within = Q()
    for period in periods:
        within |= Q(organization__path__startswith=period.organization.path)
    members = list(
        Member.objects.filter(within, is_active=True)
        .only("pk", "user_id", "name", "organization__path")
        .select_related("organization")
        .order_by("organization__path", "name", "pk")
    )
    return {p.pk: [m for m in members if m.organization.path.startswith(p.organization.path)] for p in periods}


def _periods(today: datetime.date) -> Iterator[Reminder]:
    # the stored dates follow the calendar (periods_sweep); the margin catches a calendar changed since the last sweep
    margin = WINDOW + datetime.timedelta(days=62)
    periods = list(
        EvaluationPeriod.objects.filter(
            state=PeriodState.OPEN, closes_on__gte=today - margin, closes_on__lte=today + margin
        ).select_related("organization")
    )
    closes = _closing_dates(periods)
    offsets = {}
    for period in periods:
        period.closes_on = closes[period.pk]
        offsets[period.pk] = deadline_offset(today, period.closes_on)
    periods = [p for p in periods if offsets[p.pk] is not None]
    # the members of all the periods due, and who of them self-evaluated or is assessed: three queries in all
    rated = _members_of(periods)
    everyone = list({m.pk: m for ms in rated.values() for m in ms}.values())
    not_self = without_self_evaluation(periods, everyone) if periods else {}
    not_assessed = without_assessment(periods, everyone) if periods else {}
    for period in periods:
        offset = offsets[period.pk]
        title = f"{period.organization.name}{period.year}年{period.get_kind_display()}"
        members = {m.pk for m in rated[period.pk]}
        if offset < 0:
            waiting = [m for m in not_self[period.pk] if m.pk in members]
            url = link(lambda p=period: reverse("evaluations:self_evaluation", args=[p.pk]))
            for m in waiting:
                yield Reminder(
                    kind="evaluations.self", period=str(period.pk), offset=offset, recipient_id=m.user_id,
                    subject=f"请完成述岗自评：{title}（{days_phrase(today, period.closes_on)}）",
                    body=f"{title}将于{cn_date(period.closes_on)}截止，请对照岗位承诺填写述岗自评。", url=url,
                    deadline=period.closes_on,
                )
        missing = [m.name for m in not_assessed[period.pk] if m.pk in members]
        if missing:
            yield Reminder(
                kind="evaluations.assessment", period=str(period.pk), offset=offset,
                organization_id=period.organization_id, roles=SECRETARIES,
                subject=f"{title}：{len(missing)}人尚未综合评定（{days_phrase(today, period.closes_on)}）",
                body="尚未评定：" + "、".join(missing[:40]) + ("等" if len(missing) > 40 else "")
                + ("。考评时间已过，不能再评定：请结束考评（缺项标记未参加并写明原因），或说明理由重新开放。" if offset > 0 else ""),
                url=link(lambda p=period: reverse("evaluations:period_detail", args=[p.pk])),
                deadline=period.closes_on,
            )


def _rectifications(today: datetime.date) -> Iterator[Reminder]:
    rects = open_rectifications().filter(deadline__gte=today - WINDOW, deadline__lte=today + WINDOW)
    for rect in rects:
        offset = deadline_offset(today, rect.deadline)
        if offset is None:
            continue
        url = link(lambda r=rect: reverse("evaluations:rectification", args=[r.pk]))
        subject = f"限期整改：{rect.member.name}（{days_phrase(today, rect.deadline)}）"
        body = f"整改期限为{cn_date(rect.deadline)}。"
        if offset < 0 and rect.member.user_id:
            yield Reminder(kind="evaluations.rectification", period=str(rect.pk), offset=offset,
                           recipient_id=rect.member.user_id, subject=subject, body=body, url=url,
                           deadline=rect.deadline)
        yield Reminder(kind="evaluations.rectification_org", period=str(rect.pk), offset=offset,
                       organization_id=rect.organization_id, roles=SECRETARIES, subject=subject,
                       body=body + ("已逾期，请结束整改或上报处理。" if offset > 0 else ""), url=url,
                       deadline=rect.deadline)
