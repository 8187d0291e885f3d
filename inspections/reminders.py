"""Reminder rules of 年中巡查 and of the contact points, discovered by notifications' daily sweep.

- An open item to fix is reminded to the inspected unit's secretaries at REMINDER_OFFSETS days before its deadline
  and once after it; the overdue one also goes to the staff of the committee that inspected.
- A serving leader who has contact points but visited none of them this quarter is named to the staff of the
  leader's committee at the offsets before the quarter's last day (完善联系点制度).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse

from notifications.sweep import Reminder, cn_date, days_phrase, deadline_offset, link, reminder_offsets
from organizations.enums import SECRETARY_ROLES, STAFF_ROLES
from organizations.selectors import leaders_without_visit, quarter_bounds

from .models import FixItem

FIX_KIND = "inspections.fix"
VISIT_KIND = "inspections.contact_visit"
NAMES_SHOWN = 30


def due(*, today: datetime.date) -> Iterator[Reminder]:
    yield from _fix_items(today)
    yield from _contact_visits(today)


def _fix_items(today: datetime.date) -> Iterator[Reminder]:
    horizon = max(reminder_offsets(), default=7)
    items = FixItem.objects.filter(
        closed_on__isnull=True,
        due_on__gte=today - datetime.timedelta(days=10),
        due_on__lte=today + datetime.timedelta(days=horizon),
    ).select_related("inspection__organization")
    for item in items:
        offset = deadline_offset(today, item.due_on)
        if offset is None:
            continue
        unit = item.inspection.organization
        url = link(lambda item=item: reverse("inspections:detail", args=[item.inspection_id]) + f"#item-{item.pk}")
        what = item.content[:40]
        if offset > 0:
            subject = f"巡查整改事项已逾期：{what}"
            body = f"{unit.name}：巡查整改事项“{what}”（责任人：{item.responsible}）的期限是{cn_date(item.due_on)}，至今尚未销号。"
        else:
            subject = f"巡查整改事项{days_phrase(today, item.due_on)}：{what}"
            body = f"{unit.name}：巡查整改事项“{what}”（责任人：{item.responsible}）应于{cn_date(item.due_on)}前整改到位，请登记整改进展。"
        common = dict(kind=FIX_KIND, period=f"item{item.pk}", offset=offset, subject=subject, body=body, url=url,
                      deadline=item.due_on)  # fmt: skip
        yield Reminder(organization_id=unit.pk, roles=tuple(SECRETARY_ROLES), **common)
        if offset > 0:
            yield Reminder(organization_id=item.inspection.committee_id, roles=tuple(STAFF_ROLES), **common)


def _contact_visits(today: datetime.date) -> Iterator[Reminder]:
    start, end = quarter_bounds(today)
    offset = deadline_offset(today, end, after=False)
    if offset is None:
        return
    by_committee: dict[int, list] = {}
    for leader in leaders_without_visit("", start, today):
        by_committee.setdefault(leader.organization_id, []).append(leader)
    quarter = (start.month - 1) // 3 + 1
    for committee_id, leaders in by_committee.items():
        names = "、".join(f"{x.name}（{x.title}）" for x in leaders[:NAMES_SHOWN])
        if len(leaders) > NAMES_SHOWN:
            names += f"等{len(leaders)}人"
        url = link(lambda committee_id=committee_id: reverse("organizations:contacts", args=[committee_id]))
        yield Reminder(
            kind=VISIT_KIND, period=f"{start.year}Q{quarter}", offset=offset,
            subject=f"本季度尚有{len(leaders)}位班子成员未到联系点（{days_phrase(today, end)}）",
            body=f"{leaders[0].organization.name}：{names}本季度（截至{cn_date(end)}）尚未到联系点开展工作，请安排并记录联系指导情况。",
            url=url, organization_id=committee_id, roles=tuple(STAFF_ROLES), deadline=end,
        )  # fmt: skip
