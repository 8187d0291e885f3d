"""Reminder rules of posts, discovered by notifications' daily sweep.

A commitment submitted for review (承诺亮岗) that has waited longer than REMINDER_APPROVAL_WAIT_DAYS days: the
secretaries of the post's organization are reminded, once per submitted version. A secretary's own commitment is
never hers to approve: its reminder goes to the organization above the one she leads (its secretaries and staff), as
selectors.can_review routes it.
An approved commitment still in progress whose date is near (REMINDER_OFFSETS days before it), and once the day
after it: the member is reminded to keep it and record the duty log or the fulfilment (组织履岗).
A 情况通报 (a branch's notice or a committee's circular) still unread NOTICE_READ_DAYS days after it was issued: each
member holding an unread receipt (with a login) is reminded once; the home page lists unread notices until read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.sweep import OVERDUE_GRACE_DAYS, Reminder, cn_date, deadline_offset, link, reminder_offsets
from organizations.enums import SECRETARY_ROLES, STAFF_ROLES, Role
from organizations.models import Organization, RoleAssignment

from .models import Commitment, NoticeReceipt
from .selectors.todo import awaiting_review, falling_due

SECRETARIES = (Role.SECRETARY, Role.BRANCH_SECRETARY)
ABOVE = SECRETARIES + tuple(sorted(STAFF_ROLES))
NOTICE_KIND = "posts.notice_unread"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def due(*, today: datetime.date) -> Iterator[Reminder]:
    yield from _waiting_for_approval(today)
    yield from _falling_due(today)
    yield from _unread_notices(today)


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


def notice_read_days() -> int:
    """Days a member has to read a 情况通报 before being reminded of it."""
    return int(getattr(settings, "NOTICE_READ_DAYS", 7))


def _unread_notices(today: datetime.date) -> Iterator[Reminder]:
    days = notice_read_days()
    # issued more than `days` whole days ago, within the sweep's grace (as for every reminder after a deadline)
    last = today - datetime.timedelta(days=days + 1)
    first = last - datetime.timedelta(days=OVERDUE_GRACE_DAYS)
    receipts = (
        NoticeReceipt.objects.filter(
            read_at__isnull=True,
            member__is_active=True,
            member__user__isnull=False,
            notice__created_at__gte=_start_of(first),
            notice__created_at__lt=_start_of(last + datetime.timedelta(days=1)),
        )
        .select_related("notice__organization")
        .only("notice__title", "notice__created_at", "notice__organization__name", "member__user_id")
        .order_by("notice_id", "pk")
    )
    url = link(lambda: reverse("posts:mine"))
    for receipt in receipts.iterator(chunk_size=2000):
        notice = receipt.notice
        issued = timezone.localdate(notice.created_at)
        read_by = issued + datetime.timedelta(days=days)
        yield Reminder(
            kind=NOTICE_KIND, period=f"n{notice.pk}", offset=1,
            subject=f"情况通报发布已超过{days}天，你尚未阅读：{notice.title[:40]}",
            body=f"{notice.organization.name}于{cn_date(issued)}发布的情况通报《{notice.title}》你还没有阅读，请在“我的岗位”打开阅读。",
            url=url, recipient_id=receipt.member.user_id, deadline=read_by,
        )  # fmt: skip
