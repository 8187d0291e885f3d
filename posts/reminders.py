"""Reminder rules of posts, discovered by notifications' daily sweep.

A commitment submitted for review (承诺亮岗) that has waited longer than REMINDER_APPROVAL_WAIT_DAYS days: the
secretaries of the post's organization are reminded, once per submitted version. A secretary's own commitment is
never hers to approve: its reminder goes to the organization above the one she leads (its secretaries and staff), as
selectors.can_review routes it.
An approved commitment still in progress whose date is near (REMINDER_OFFSETS days before it), and once the day
after it: the member is reminded to keep it and record the duty log or the fulfilment (组织履岗).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

from notifications.sweep import OVERDUE_GRACE_DAYS, Reminder, cn_date, deadline_offset, link, reminder_offsets
from organizations.enums import SECRETARY_ROLES, STAFF_ROLES, Role
from organizations.models import Organization, RoleAssignment

from .models import Commitment
from .selectors.todo import awaiting_review, falling_due

SECRETARIES = (Role.SECRETARY, Role.BRANCH_SECRETARY)
ABOVE = SECRETARIES + tuple(sorted(STAFF_ROLES))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def due(*, today: datetime.date) -> Iterator[Reminder]:
    yield from _waiting_for_approval(today)
    yield from _falling_due(today)


def _waiting_for_approval(today: datetime.date) -> Iterator[Reminder]:
    wait = int(getattr(settings, "REMINDER_APPROVAL_WAIT_DAYS", 3))
    # submitted on or before this day: waited more than `wait` whole days by today
    cutoff = today - datetime.timedelta(days=wait)
    waiting = awaiting_review().filter(last_submitted__lt=_start_of(cutoff))
    waiting = list(waiting)
    above = _judged_above(waiting)
    for c in waiting:
        submitted_on = timezone.localdate(c.last_submitted)
        post = c.claim.post
        days = (today - submitted_on).days
        org_id, roles = (above[c.pk], ABOVE) if c.pk in above else (post.organization_id, SECRETARIES)
        if org_id is None:
            continue  # a secretary of the top organization: nobody above to remind
        yield Reminder(
            kind="posts.approval", period=f"c{c.pk}v{c.number}", offset=wait,
            subject=f"{c.claim.member.name}的承诺已等待审核{days}天",
            body=(
                f"{c.claim.member.name}在“{post.name}”岗位上的承诺（{c.content[:40]}）于{cn_date(submitted_on)}提交，"
                f"已等待审核{days}天，请审核通过或退回修改。"
            ),
            url=link(lambda c=c: c.get_absolute_url()),
            organization_id=org_id, roles=roles,
        )


def _judged_above(commitments: list[Commitment]) -> dict[int, int | None]:
    """Commitments whose author leads her own organization (or one above it), with the organization above the
    top-most one she leads (organizations.access.judging_organization, in two queries for the whole list)."""
    authors = {c.claim.member.user_id for c in commitments if c.claim.member.user_id is not None}
    if not authors:
        return {}
    led: dict[int, list[str]] = {}
    for user_id, path in RoleAssignment.objects.filter(user_id__in=authors, role__in=SECRETARY_ROLES).values_list(
        "user_id", "organization__path"
    ):
        led.setdefault(user_id, []).append(path)
    step = Organization.steplen
    tops: dict[int, str] = {}
    for c in commitments:
        member_path = c.claim.member.organization.path
        covering = [p for p in led.get(c.claim.member.user_id, []) if member_path.startswith(p)]
        if covering:
            tops[c.pk] = min(covering, key=len)[:-step]
    ids = dict(Organization.objects.filter(path__in={p for p in tops.values() if p}).values_list("path", "pk"))
    return {pk: ids.get(parent) for pk, parent in tops.items()}


def _falling_due(today: datetime.date) -> Iterator[Reminder]:
    horizon = today + datetime.timedelta(days=max(reminder_offsets(), default=0))
    since = today - datetime.timedelta(days=1 + OVERDUE_GRACE_DAYS)
    near = falling_due(until=horizon, since=since).filter(claim__member__user__isnull=False)
    for c in near:
        offset = deadline_offset(today, c.due_on)
        if offset is None:
            continue
        when = "已到期" if offset > 0 else f"将于{cn_date(c.due_on)}到期"
        yield Reminder(
            kind="posts.due", period=f"c{c.pk}:{c.due_on.isoformat()}", offset=offset,
            subject=f"你在“{c.claim.post.name}”岗位上的承诺{when}",
            body=(
                f"承诺：{c.content[:60]}（{c.measurable_result[:40]}），完成时限{cn_date(c.due_on)}。"
                "请登记履岗情况，完成后登记兑现情况。"
            ),
            url=link(lambda c=c: c.get_absolute_url()),
            recipient_id=c.claim.member.user_id,
            deadline=c.due_on,
        )
