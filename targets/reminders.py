"""Reminder rules of target management, discovered by notifications' daily sweep.

A target item (Annex 1 row) not yet done whose deadline is near (the REMINDER_OFFSETS days before it), and once the
day after it: the secretaries of the plan's organization are reminded, once per item and offset, and so is the
responsible person when the 责任人 is one of the members (with a login).

A public opinion still unanswered PUBLIC_OPINION_REPLY_DAYS after it was left: the secretaries of the organization
it concerns are reminded once (the home page lists it until it is answered).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse

from notifications.sweep import Reminder, cn_date, days_phrase, deadline_offset, link, reminder_offsets
from organizations.enums import Role

from .selectors import overdue_since, reply_days, unanswered_public_opinions
from .todo import REMINDED_BACK_DAYS, items_falling_due

SECRETARIES = (Role.SECRETARY, Role.BRANCH_SECRETARY)


def due(*, today: datetime.date) -> Iterator[Reminder]:
    yield from _items_due(today=today)
    yield from _opinions_due(today=today)


def _opinions_due(*, today: datetime.date) -> Iterator[Reminder]:
    days = reply_days()
    # within the sweep's grace after the reply deadline, as for every reminder after a deadline
    opinions = unanswered_public_opinions(older_than=overdue_since(today)).filter(
        created_at__date__gte=overdue_since(today) - datetime.timedelta(days=REMINDED_BACK_DAYS)
    ).select_related("organization").order_by("pk")
    for opinion in opinions:
        reply_by = opinion.created_at.date() + datetime.timedelta(days=days)
        about = f"（针对{opinion.subject[:30]}）" if opinion.subject else ""
        yield Reminder(
            kind="targets.public_opinion",
            period=f"o{opinion.pk}",
            offset=1,
            subject=f"公开页群众意见超过{days}天未答复",
            body=(
                f"{opinion.organization.name}于{cn_date(opinion.created_at.date())}收到的公开页意见{about}"
                f"“{opinion.content[:60]}”尚未答复（答复期限{cn_date(reply_by)}），请尽快答复。"
            ),
            url=link(lambda org_id=opinion.organization_id: reverse("targets:public_opinions", args=[org_id])),
            organization_id=opinion.organization_id,
            roles=SECRETARIES,
            deadline=reply_by,
        )


def _items_due(*, today: datetime.date) -> Iterator[Reminder]:
    ahead = max(reminder_offsets(), default=7)
    items = items_falling_due(
        since=today - datetime.timedelta(days=REMINDED_BACK_DAYS), until=today + datetime.timedelta(days=ahead)
    ).select_related("responsible_member").order_by("pk")
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
            deadline=item.deadline,
        )
        user_id = item.responsible_member.user_id if item.responsible_member_id else None
        if user_id is not None:  # 责任人 chosen from the members: the person is reminded too
            yield Reminder(
                kind="targets.item_responsible",
                period=f"i{item.pk}",
                offset=offset,
                subject=f"您负责的目标任务“{item.content[:20]}”{days_phrase(today, item.deadline)}",
                body=(
                    f"您是{item.plan.organization.name}{item.plan.year}年度目标任务“{item.content}”的责任人，完成时限为"
                    f"{cn_date(item.deadline)}，目前进度{item.percent}%，请抓紧落实。"
                ),
                url=link(lambda: reverse("targets:my_items")),
                recipient_id=user_id,
                deadline=item.deadline,
            )
