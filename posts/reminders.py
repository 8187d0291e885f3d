"""Reminder rules of posts, discovered by notifications' daily sweep.

A commitment submitted for review (承诺亮岗) that has waited longer than REMINDER_APPROVAL_WAIT_DAYS days: the
secretaries of the post's organization are reminded, once per submitted version.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from notifications.sweep import Reminder, cn_date, link
from organizations.enums import Role

from .enums import CommitmentState
from .models import Commitment

SECRETARIES = (Role.SECRETARY, Role.BRANCH_SECRETARY)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def due(*, today: datetime.date) -> Iterator[Reminder]:
    wait = int(getattr(settings, "REMINDER_APPROVAL_WAIT_DAYS", 3))
    # submitted on or before this day: waited more than `wait` whole days by today
    cutoff = today - datetime.timedelta(days=wait)
    waiting = (
        Commitment.objects.filter(state=CommitmentState.SUBMITTED)
        .annotate(last_submitted=Max("versions__submitted_at"), number=Max("versions__number"))
        .filter(last_submitted__lt=_start_of(cutoff))
        .select_related("claim__member", "claim__post__organization")
        .order_by("pk")
    )
    for c in waiting:
        submitted_on = timezone.localdate(c.last_submitted)
        post = c.claim.post
        days = (today - submitted_on).days
        yield Reminder(
            kind="posts.approval", period=f"c{c.pk}v{c.number}", offset=wait,
            subject=f"{c.claim.member.name}的承诺已等待审核{days}天",
            body=(
                f"{c.claim.member.name}在“{post.name}”岗位上的承诺（{c.content[:40]}）于{cn_date(submitted_on)}提交，"
                f"已等待审核{days}天，请审核通过或退回修改。"
            ),
            url=link(lambda c=c: c.get_absolute_url()),
            organization_id=post.organization_id, roles=SECRETARIES,
        )
