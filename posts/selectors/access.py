"""Reads of 亮岗履职, always scoped through organizations.access.

Managers (staff and secretaries) see the records of their subtree; a member sees only their own commitments, logs
and reports, plus the posts of their own organization and those above it (to claim them).
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.lookups import StartsWith
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.params import year_param
from organizations import access
from organizations.enums import MANAGING_ROLES, SECRETARY_ROLES
from organizations.models import Member, Organization, RoleAssignment

from ..enums import Audience, CommitmentState, FulfilmentStatus, RevisionState
from ..models import (
    Commitment,
    DutyEvidence,
    DutyLogEntry,
    DutyReport,
    ExplanationRevision,
    Notice,
    NoticeReceipt,
    Post,
    PostClaim,
)

# people holding a post now, as Post.people_on counts them: members who left the roster hold no place
PEOPLE_ON = Count("claims", filter=Q(claims__member__is_active=True), distinct=True)


def this_year() -> int:
    return timezone.localdate().year


def year_from(request) -> int:
    return year_param(request)


def chain_paths(org: Organization) -> list[str]:
    """The paths of the organization and every organization above it."""
    step = Organization.steplen
    return [org.path[:i] for i in range(step, len(org.path) + 1, step)]


def _scoped(model, user, field: str, own_field: str) -> QuerySet:
    """Rows in the user's managed subtree (by `field` organization) or owned by the user (by `own_field`)."""
    qs = model.objects.all()
    q = access.organization_filter(user, field)
    if q is None:
        return qs
    if user is not None and user.is_authenticated:
        q |= Q(**{own_field: user})
    return qs.filter(q)


# ---- access ---------------------------------------------------------------------------------------------------------


def visible_posts(user) -> QuerySet[Post]:
    q = access.organization_filter(user, "organization")
    if q is None:
        return Post.objects.all()
    member = access.own_member(user)
    if member is not None:
        q |= Q(organization__path__in=chain_paths(member.organization))
    return Post.objects.filter(q)


def get_post_for_user(user, pk, *, to_manage: bool = False) -> Post:
    post = get_object_or_404(visible_posts(user).select_related("organization"), pk=pk)
    if to_manage:
        access.require(access.can_edit(user, post.organization))
    return post


def get_claim_for_user(user, pk, *, own: bool = False, to_manage: bool = False) -> PostClaim:
    qs = _scoped(PostClaim, user, "member__organization", "member__user")
    claim = get_object_or_404(qs.select_related("post__organization", "member__organization"), pk=pk)
    if own:
        access.require(claim.member.user_id == user.pk)
    if to_manage:
        access.require(access.can_edit(user, claim.member.organization))
    return claim


def visible_commitments(user) -> QuerySet[Commitment]:
    return _scoped(Commitment, user, "claim__member__organization", "claim__member__user")


def is_author(user, commitment: Commitment) -> bool:
    """The member whose claim it is, through the login linked to that member."""
    author_id = commitment.claim.member.user_id
    return author_id is not None and user is not None and author_id == user.pk


def can_review(user, commitment: Commitment) -> bool:
    """Who reviews, publishes and judges the fulfilment of a commitment: never its author; the secretaries of the
    member's organization (or above); a secretary's own commitment goes to the organization above the one she leads
    (its secretaries, and the staff whose subtree holds it)."""
    member = commitment.claim.member
    return access.can_judge(user, author_id=member.user_id, org=member.organization)


def reviewable_q(user) -> Q:
    """can_review as one filter on Commitment, for queues: the same rule, in SQL, whatever the number of rows."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    not_own = ~Q(claim__member__user=user)
    if access.is_superuser(user):
        return not_own
    led = RoleAssignment.objects.filter(user=OuterRef("claim__member__user"), role__in=SECRETARY_ROLES)
    step = Organization.steplen
    q = Q(pk__in=[])
    for g in access.grants(user):
        if g.role not in MANAGING_ROLES:
            continue
        chain = [g.path[:i] for i in range(step, len(g.path) + 1, step)]
        # the author leads nothing at or above this grant: the work is judged here or below
        here = Q(claim__member__organization__path__startswith=g.path) & ~Exists(led.filter(organization__path__in=chain))
        if g.role in SECRETARY_ROLES:
            q |= here
        else:  # staff judge only a secretary's own work, sent up from an organization below them
            below = led.filter(
                StartsWith(OuterRef("claim__member__organization__path"), F("organization__path")),
                organization__path__startswith=g.path,
            )
            q |= here & Exists(below)
    return q & not_own


def get_commitment_for_user(user, pk, *, own: bool = False, review: bool = False) -> Commitment:
    qs = visible_commitments(user).select_related(
        "claim__post__organization", "claim__member__organization", "claim__member__user"
    )
    commitment = get_object_or_404(qs, pk=pk)
    if own:
        access.require(commitment.claim.member.user_id == user.pk)
    if review:
        # a secretary's own commitment reaches the service, which refuses it and says who reviews it instead
        access.require(can_review(user, commitment) or (
            is_author(user, commitment) and access.is_secretary_of(user, commitment.claim.member.organization)))
    return commitment


def get_log_entry_for_user(user, pk, *, own: bool = False) -> DutyLogEntry:
    qs = _scoped(DutyLogEntry, user, "commitment__claim__member__organization", "commitment__claim__member__user")
    entry = get_object_or_404(qs.select_related("commitment__claim__member"), pk=pk)
    if own:
        access.require(entry.commitment.claim.member.user_id == user.pk)
    return entry


def get_evidence_for_user(user, pk) -> DutyEvidence:
    qs = _scoped(
        DutyEvidence, user, "entry__commitment__claim__member__organization", "entry__commitment__claim__member__user"
    )
    return get_object_or_404(qs, pk=pk)


def get_report_for_user(user, pk) -> DutyReport:
    qs = _scoped(DutyReport, user, "member__organization", "member__user")
    return get_object_or_404(qs.select_related("member__organization"), pk=pk)


def get_notice_for_user(user, pk) -> Notice:
    qs = _scoped(Notice, user, "organization", "receipts__member__user").distinct()
    return get_object_or_404(qs.select_related("organization"), pk=pk)


def own_member_or_403(user) -> Member:
    member = access.own_member(user)
    if member is None:
        raise PermissionDenied
    return member


# ---- reads for pages -------------------------------------------------------------------------------------------------


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
            commitment__in=Commitment.objects.filter(reviewable_q(reviewer)).values("pk"),
        )
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
        .select_related("post__organization")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "pk")))
        .order_by("post__name", "pk")
    )


def claimable_posts(member: Member, year: int) -> QuerySet[Post]:
    return (
        Post.objects.filter(organization__path__in=chain_paths(member.organization), year=year)
        .exclude(claims__member=member)
        .annotate(n_claims=PEOPLE_ON)
        .select_related("organization")
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
        .order_by("due_on", "pk")
    )


def member_log(member: Member) -> QuerySet[DutyLogEntry]:
    return (
        DutyLogEntry.objects.filter(commitment__claim__member=member)
        .select_related("commitment__claim__post")
        .prefetch_related("evidence")
        .order_by("-happened_on", "-pk")
    )


def commitment_log(commitment: Commitment) -> QuerySet[DutyLogEntry]:
    return commitment.log_entries.prefetch_related("evidence").order_by("-happened_on", "-pk")


def member_reports(member: Member) -> QuerySet[DutyReport]:
    return DutyReport.objects.filter(member=member).order_by("-year", "period")


def unread_notices(member: Member) -> QuerySet[NoticeReceipt]:
    return NoticeReceipt.objects.filter(member=member, read_at=None).select_related("notice").order_by("-notice_id")


def notices_of(org: Organization) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(organization=org)
        .annotate(n_receipts=Count("receipts"), n_read=Count("receipts", filter=Q(receipts__read_at__isnull=False)))
        .order_by("-created_at", "-pk")
    )


def annex2_members(org: Organization, year: int) -> QuerySet[Member]:
    """Every active member of the subtree with the year's posts and commitments prefetched (附件2)."""
    claims = (
        PostClaim.objects.filter(post__year=year)
        .select_related("post")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "pk")))
        .order_by("post__name", "pk")
    )
    return (
        Member.objects.filter(organization__path__startswith=org.path, is_active=True)
        .select_related("organization")
        .prefetch_related(Prefetch("post_claims", queryset=claims, to_attr="year_claims"))
        .order_by("organization__path", "name", "pk")
    )


def report_overview(org: Organization, year: int, period: str) -> QuerySet[Member]:
    """Active members of the subtree, each with their duty report for the period (or none) prefetched."""
    reports = DutyReport.objects.filter(year=year, period=period)
    return (
        Member.objects.filter(organization__path__startswith=org.path, is_active=True)
        .select_related("organization")
        .prefetch_related(Prefetch("duty_reports", queryset=reports, to_attr="period_reports"))
        .order_by("organization__path", "name", "pk")
    )


def fulfilment_summary(org: Organization, year: int) -> dict:
    """Counts of the subtree's posts, people on them and commitments by state and fulfilment (for 情况通报)."""
    under = {"organization__path__startswith": org.path, "year": year}
    claims = PostClaim.objects.filter(**{f"post__{k}": v for k, v in under.items()})
    c = Commitment.objects.filter(**{f"claim__post__{k}": v for k, v in under.items()}).aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(state=CommitmentState.APPROVED)),
        submitted=Count("pk", filter=Q(state=CommitmentState.SUBMITTED)),
        returned=Count("pk", filter=Q(state=CommitmentState.RETURNED)),
        published=Count("pk", filter=Q(published_at__isnull=False)),
        fulfilled=Count("pk", filter=Q(status=FulfilmentStatus.FULFILLED)),
        not_fulfilled=Count("pk", filter=Q(status=FulfilmentStatus.NOT_FULFILLED)),
    )
    return {
        "year": year,
        "posts": Post.objects.filter(**under).count(),
        "people": claims.values("member").distinct().count(),
        **c,
    }


def summary_text(summary: dict) -> str:
    return _(
        "截至%(today)s，本组织%(year)s年度设岗%(posts)s个，%(people)s人认岗；作出承诺%(total)s项，其中审核通过%(approved)s项、"
        "待审核%(submitted)s项、退回修改%(returned)s项，已公开%(published)s项；已兑现%(fulfilled)s项，未兑现%(not_fulfilled)s项。"
    ) % {"today": f"{(d := timezone.localdate()).year}年{d.month}月{d.day}日", **summary}


def annex2_results(org: Organization, year: int, member_ids: list[int]) -> dict:
    """Period results from apps above posts: any AppConfig with `annex2_results(org, year, member_ids)` returning
    {"columns": [label, ...], "values": {member_id: [value, ...]}}. The columns of all offers are joined."""
    columns: list = []
    values: dict[int, list] = {pk: [] for pk in member_ids}
    for config in apps.get_app_configs():
        hook = getattr(config, "annex2_results", None)
        if hook is None:
            continue
        offer = hook(org, year, member_ids) or {}
        cols = list(offer.get("columns", []))
        columns.extend(cols)
        for pk in member_ids:
            row = list(offer.get("values", {}).get(pk, []))
            values[pk].extend(row + [""] * (len(cols) - len(row)))
    return {"columns": columns, "values": values}


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
        .order_by("claim__member__name", "due_on", "pk")
    )


def public_commitments(org: Organization) -> QuerySet[Commitment]:
    """Commitments published to society in the organization's subtree, with the member's name and post only."""
    return (
        Commitment.objects.filter(
            claim__member__organization__path__startswith=org.path,
            state=CommitmentState.APPROVED,
            published_at__isnull=False,
            audience=Audience.SOCIETY,
        )
        .select_related("claim__post", "claim__member")
        .only(
            "pk", "aspect", "content", "measurable_result", "due_on", "status", "published_at", "explanation",
            "explanation_published_at", "claim__post__name", "claim__member__name",
        )
        .order_by("claim__member__name", "due_on", "pk")
    )
