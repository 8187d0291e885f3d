"""The lists the pages of 亮岗履职 show: an organization's posts and review queues, a member's claims, commitments,
duty log and reports, notices, and the commitments published to the branch or to society."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from machinery.params import year_param
from organizations.models import Member, Organization

from ..enums import Audience, CommitmentState, FulfilmentStatus, RevisionState
from ..models import Commitment, DutyLogEntry, DutyReport, ExplanationRevision, Notice, NoticeReceipt, Post, PostClaim
from .access import chain_paths, reviewable_q

# people holding a post now, as Post.people_on counts them: members who left the roster hold no place
PEOPLE_ON = Count("claims", filter=Q(claims__member__is_active=True), distinct=True)


def this_year() -> int:
    return timezone.localdate().year


def year_from(request) -> int:
    return year_param(request)


def posts_of(org: Organization, year: int) -> QuerySet[Post]:
    """The organization's posts of the year with their people (one query each for posts and claims)."""
    claims = PostClaim.objects.select_related("member").order_by("member__name", "pk")
    return (
        Post.objects.filter(organization=org, year=year)
        .annotate(n_claims=PEOPLE_ON)
        .prefetch_related(Prefetch("claims", queryset=claims))
        .order_by("name", "pk")
    )


def pending_reviews(org: Organization, reviewer=None) -> QuerySet[Commitment]:
    """Submitted commitments of the subtree; with `reviewer`, only those that user reviews (not their own; a
    secretary's own commitment in the queue of the organization above)."""
    qs = Commitment.objects.filter(
        state=CommitmentState.SUBMITTED, claim__member__organization__path__startswith=org.path
    )
    if reviewer is not None:
        qs = qs.filter(reviewable_q(reviewer))
    return qs.select_related("claim__post", "claim__member").order_by("updated_at", "pk")


def pending_revision(commitment: Commitment) -> ExplanationRevision | None:
    """The change of the published explanation waiting for a reviewer, if any."""
    return commitment.explanation_revisions.filter(state=RevisionState.PENDING).select_related("proposed_by").first()


def pending_explanation_revisions(org: Organization, reviewer) -> QuerySet[ExplanationRevision]:
    """Changes of published explanations in the subtree waiting for `reviewer` (the same rule as pending_reviews)."""
    return (
        ExplanationRevision.objects.filter(
            state=RevisionState.PENDING,
            commitment__claim__member__organization__path__startswith=org.path,
        )
        .filter(reviewable_q(reviewer, prefix="commitment__"))
        .select_related("commitment__claim__post", "commitment__claim__member")
        .order_by("proposed_at", "pk")
    )


def commitments_for_member(member: Member, year: int) -> QuerySet[Commitment]:
    """The member's commitments on posts of the year (used by evaluations)."""
    return (
        Commitment.objects.filter(claim__member=member, claim__post__year=year)
        .select_related("claim__post")
        .order_by("due_on", "pk")
    )


def member_claims(member: Member, year: int) -> QuerySet[PostClaim]:
    return (
        PostClaim.objects.filter(member=member, post__year=year)
        .select_related("post")  # the pages show the post's name and duties, never its organization
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "pk")))
        .order_by("post__name", "pk")
    )


def claimable_posts(member: Member, year: int, *, claims: list[PostClaim] | None = None) -> QuerySet[Post]:
    """Posts of the member's organization and those above it that the member does not hold, with what the list shows:
    name, duties, capacity, the organization's name (`org_name`) and the people on it (`n_claims`, as PEOPLE_ON).
    `claims`: the member's claims of the year when the caller has them already (member_claims)."""
    people_on = (
        PostClaim.objects.filter(post=OuterRef("pk"), member__is_active=True)
        .order_by().values("post").annotate(n=Count("pk")).values("n")
    )
    posts = Post.objects.filter(organization__path__in=chain_paths(member.organization), year=year)
    if claims is None:
        posts = posts.exclude(claims__member=member)
    elif claims:  # the posts of the year the member holds are those of her claims of the year
        posts = posts.exclude(pk__in=[claim.post_id for claim in claims])
    return (
        posts
        .annotate(n_claims=Coalesce(Subquery(people_on, output_field=IntegerField()), 0),
                  org_name=F("organization__name"))
        .only("name", "duties", "capacity")
        .order_by("name", "pk")
    )


def member_due(member: Member, *, days: int = 30) -> QuerySet[Commitment]:
    """Approved commitments still in progress that fall due within `days` (or are overdue)."""
    limit = timezone.localdate() + datetime.timedelta(days=days)
    return (
        Commitment.objects.filter(
            claim__member=member, state=CommitmentState.APPROVED, status=FulfilmentStatus.IN_PROGRESS, due_on__lte=limit
        )
        .select_related("claim__post")
        .only("content", "due_on", "claim__post__name")  # what the list of 近期到期 shows
        .order_by("due_on", "pk")
    )


def member_log_lines(member: Member, limit: int = 20) -> QuerySet:
    """The member's latest duty-log entries as 我的岗位 lists them (one query): the date, the post's name
    (`post_name`), the text and the number of evidence files (`n_evidence`)."""
    return (
        DutyLogEntry.objects.filter(commitment__claim__member=member)
        .annotate(post_name=F("commitment__claim__post__name"), n_evidence=Count("evidence"))
        .values("happened_on", "content", "post_name", "n_evidence")
        .order_by("-happened_on", "-pk")[:limit]
    )


def commitment_log(commitment: Commitment) -> QuerySet[DutyLogEntry]:
    return commitment.log_entries.prefetch_related("evidence").order_by("-happened_on", "-pk")


def member_reports(member: Member) -> QuerySet[DutyReport]:
    """The member's duty reports as the pages list them (year and period, linking to each): not their text."""
    return DutyReport.objects.filter(member=member).only("member_id", "year", "period").order_by("-year", "period")


def unread_notices(member: Member) -> QuerySet[NoticeReceipt]:
    return (
        NoticeReceipt.objects.filter(member=member, read_at=None)
        .select_related("notice")
        .only("notice__title")  # the pages link each by its title
        .order_by("-notice_id")
    )


def notices_of(org: Organization) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(organization=org)
        .annotate(n_receipts=Count("receipts"), n_read=Count("receipts", filter=Q(receipts__read_at__isnull=False)))
        .order_by("-created_at", "-pk")
    )

def branch_published(member: Member) -> QuerySet[Commitment]:
    """Colleagues' commitments published inside the branch: to Party members (if the member is one), the masses
    or society."""
    audiences = [Audience.MASSES, Audience.SOCIETY] + ([Audience.MEMBERS] if member.is_party_member else [])
    return (
        Commitment.objects.filter(
            claim__member__organization=member.organization_id,
            state=CommitmentState.APPROVED,
            published_at__isnull=False,
            audience__in=audiences,
        )
        .exclude(claim__member=member)
        .select_related("claim__post", "claim__member")
        .only("content", "measurable_result", "due_on", "status", "claim__post__name", "claim__member__name")
        .order_by("claim__member__name", "due_on", "pk")
    )


def public_commitments(org: Organization, *, today: datetime.date | None = None) -> QuerySet[Commitment]:
    """Commitments published to society in the organization's subtree, with the member's name and post only: those
    of the posts of the current year (or the latest year before it that has any). Next year's, published in December,
    show from 1 January, or earlier only when nothing of this year or before was published."""
    year = (today or timezone.localdate()).year
    published = Commitment.objects.filter(
        claim__member__organization__path__startswith=org.path,
        state=CommitmentState.APPROVED,
        published_at__isnull=False,
        audience=Audience.SOCIETY,
    )
    shown = (
        published.filter(claim__post__year__lte=year).order_by("-claim__post__year").values("claim__post__year")[:1]
        or published.order_by("claim__post__year").values("claim__post__year")[:1]
    )
    years = [row["claim__post__year"] for row in shown]
    return (
        published.filter(claim__post__year__in=years)
        .select_related("claim__post", "claim__member")
        .only(
            "pk", "aspect", "content", "measurable_result", "due_on", "status", "published_at", "explanation",
            "explanation_published_at", "claim__post__name", "claim__member__name",
        )
        .order_by("claim__member__name", "due_on", "pk")
    )
