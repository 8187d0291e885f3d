"""Who has to do what in 亮岗履职: the home page's work list and the reminder rules (posts/reminders.py) pick their
commitments with these functions, so a reminder never names work the home page does not show."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Member
from organizations.todo import TodoItem

from ..enums import CommitmentState, FulfilmentStatus
from ..models import AnnualAim, Commitment, CommitmentVersion, PostClaim
from .access import reviewable_q

SHOWN = 20  # individual items per kind on the home page; the rest are one “more” item
DUE_AHEAD_DAYS = 30  # approved commitments falling due within this many days are on the member's list


def approval_wait_days() -> int:
    return int(getattr(settings, "REMINDER_APPROVAL_WAIT_DAYS", 3))


def awaiting_review() -> QuerySet[Commitment]:
    """Submitted commitments, each with `last_submitted` and the number of its latest version (`number`)."""
    return (
        Commitment.objects.filter(state=CommitmentState.SUBMITTED)
        .annotate(last_submitted=Max("versions__submitted_at"), number=Max("versions__number"))
        .select_related("claim__member__organization", "claim__post__organization")
        .order_by("last_submitted", "pk")
    )


def review_deadline(commitment: Commitment) -> datetime.date | None:
    """By when a submitted commitment should be reviewed: REMINDER_APPROVAL_WAIT_DAYS after it was submitted."""
    if commitment.last_submitted is None:
        return None
    return timezone.localdate(commitment.last_submitted) + datetime.timedelta(days=approval_wait_days())


def falling_due(*, until: datetime.date, since: datetime.date | None = None) -> QuerySet[Commitment]:
    """Approved commitments still in progress whose date is on or before `until` (and on or after `since`)."""
    qs = Commitment.objects.filter(
        state=CommitmentState.APPROVED, status=FulfilmentStatus.IN_PROGRESS, due_on__lte=until
    )
    if since is not None:
        qs = qs.filter(due_on__gte=since)
    return qs.select_related("claim__member", "claim__post__organization").order_by("due_on", "pk")


def returned_to(member: Member) -> QuerySet[Commitment]:
    """The member's commitments returned for revision (退回修改)."""
    return (
        Commitment.objects.filter(claim__member=member, state=CommitmentState.RETURNED)
        .select_related("claim__post__organization")
        .order_by("updated_at", "pk")
    )


def _more(kind: str, count: int, title: str, url: str) -> list[TodoItem]:
    return [TodoItem(kind=kind, title=title % {"n": count}, url=url, count=count)] if count > 0 else []


def reviewer_todo(user, *, today: datetime.date) -> list[TodoItem]:
    """Commitments waiting for this user's review (not their own; a secretary's own one for the level above), oldest
    first: one query whatever their number (the first few, each carrying the number of all)."""
    # the rows to show and the number of all are found over commitments alone, in subqueries the planner keeps apart
    # (a LIMIT is not pulled up): joined with the versions, posts and organizations the list shows, it would go
    # through every submitted commitment of a province to find a committee's few
    mine = Commitment.objects.filter(state=CommitmentState.SUBMITTED).filter(reviewable_q(user))
    last = CommitmentVersion.objects.filter(commitment=OuterRef("pk")).order_by("-submitted_at").values("submitted_at")
    first = mine.annotate(last=Subquery(last[:1])).order_by("last", "pk").values("pk")[:SHOWN]
    total = mine.order_by().annotate(all=Value(1)).values("all").annotate(n=Count("pk")).values("n")
    shown = list(awaiting_review().filter(pk__in=Subquery(first)).annotate(waiting=Subquery(total)))
    items = [
        TodoItem(
            kind="posts.approval",
            title=_("审核承诺：%(member)s（%(post)s）") % {"member": c.claim.member.name, "post": c.claim.post.name},
            detail=c.content[:60],
            organization=c.claim.member.organization.name,
            deadline=review_deadline(c),
            url=c.get_absolute_url(),
            action=_("去审核"),
        )
        for c in shown
    ]
    rest = (shown[0].waiting if shown else 0) - len(shown)
    if rest > 0:
        org = shown[0].claim.post.organization
        items += _more("posts.approval", rest, _("另有%(n)s条承诺待审核"), reverse("posts:org_posts", args=[org.pk]))
    return items


def member_todo(member: Member, *, today: datetime.date) -> list[TodoItem]:
    """The member's own: commitments returned for revision, and approved ones falling due (or overdue)."""
    items = [
        TodoItem(
            kind="posts.returned",
            title=_("修改退回的承诺（%(post)s）") % {"post": c.claim.post.name},
            # the revision has no deadline of its own: the commitment's date is shown as what it is
            detail=_("%(content)s（完成时限%(year)s年%(month)s月%(day)s日）") % {
                "content": c.content[:40], "year": c.due_on.year, "month": c.due_on.month, "day": c.due_on.day},
            organization=c.claim.post.organization.name,
            url=c.get_absolute_url(),
            action=_("去修改"),
        )
        for c in returned_to(member)[:SHOWN]
    ]
    due = falling_due(until=today + datetime.timedelta(days=DUE_AHEAD_DAYS)).filter(claim__member=member)
    items += [
        TodoItem(
            kind="posts.due",
            title=_("兑现承诺（%(post)s）") % {"post": c.claim.post.name},
            detail=f"{c.content[:40]}：{c.measurable_result[:40]}",
            organization=c.claim.post.organization.name,
            deadline=c.due_on,
            url=c.get_absolute_url(),
            action=_("登记履岗"),
        )
        for c in due[:SHOWN]
    ]
    if without_aim(member, today.year):
        items.append(TodoItem(
            kind="posts.aim",
            title=_("选定%(year)s年度“四争”目标") % {"year": today.year},
            detail=_("已认领本年度岗位，尚未选定“四争”目标（争做办学治校骨干、争当教书育人模范、争树敬业奉献标杆、争当成长成才表率）"),
            url=reverse("posts:mine") + "#aim-card",
            action=_("去选定"),
        ))
    return items


def without_aim(member: Member, year: int) -> bool:
    """Whether the member holds a post of the year but has not chosen the year's 四争 aim (one query)."""
    aimed = AnnualAim.objects.filter(member=OuterRef("member"), year=year)
    return PostClaim.objects.filter(member=member, post__year=year).exclude(Exists(aimed)).exists()
