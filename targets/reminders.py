"""Reminder rules of target management, discovered by notifications' daily sweep.

A target item (Annex 1 row) not yet done whose deadline is near (the REMINDER_OFFSETS days before it), and once the
day after it: the secretaries of the plan's organization are reminded, once per item and offset.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from notifications.sweep import Reminder, cn_date, days_phrase, deadline_offset, link, reminder_offsets
from organizations.enums import Role

from .enums import ItemStatus
from .models import TargetItem

SECRETARIES = (Role.SECRETARY, Role.BRANCH_SECRETARY)


def due(*, today: datetime.date) -> Iterator[Reminder]:
    ahead = max(reminder_offsets(), default=7)
    items = (
        TargetItem.objects.exclude(status=ItemStatus.DONE)
        .filter(deadline__gte=today - datetime.timedelta(days=10), deadline__lte=today + datetime.timedelta(days=ahead))
        .select_related("plan")
        .order_by("pk")
    )
    for item in items:
        offset = deadline_offset(today, item.deadline)
        if offset is None:
            continue
        yield Reminder(
            kind="targets.item",
            period=f"i{item.pk}",
            offset=offset,
            subject=f"目标任务“{item.content[:20]}”{days_phrase(today, item.deadline)}",
            body=(
                f"{item.plan.year}年度目标任务“{item.content}”（责任人：{item.responsible}）完成时限为"
                f"{cn_date(item.deadline)}，目前进度{item.percent}%，请督促落实并登记实施进展。"
            ),
            url=link(lambda item=item: item.get_absolute_url()),
            organization_id=item.plan.organization_id,
            roles=SECRETARIES,
        )
