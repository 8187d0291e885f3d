"""Who sees and who reviews what in 亮岗履职, always through organizations.access: managers (staff and secretaries) see
the records of their subtree; a member sees only their own commitments, logs and reports, plus the posts of their own
organization and those above it (to claim them). Each record's get-or-404 for a user lives here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith
from django.shortcuts import get_object_or_404

from organizations import access
from organizations.enums import MANAGING_ROLES, SECRETARY_ROLES
from organizations.models import Member, Organization, RoleAssignment

from ..models import Commitment, DutyEvidence, DutyLogEntry, DutyReport, Notice, Post, PostClaim


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


def reviewable_q(user, prefix: str = "") -> Q:
    """can_review as one filter on Commitment, for queues: the same rule, in SQL, whatever the number of rows. With
    `prefix` (e.g. "commitment__"), the same filter on a model that points to the commitment."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    claim = f"{prefix}claim__"
    not_own = ~Q(**{f"{claim}member__user": user})
    if access.is_superuser(user):
        return not_own
    led = RoleAssignment.objects.filter(user=OuterRef(f"{claim}member__user"), role__in=SECRETARY_ROLES)
    step = Organization.steplen
    q = Q(pk__in=[])
    for g in access.grants(user):
        if g.role not in MANAGING_ROLES:
            continue
        chain = [g.path[:i] for i in range(step, len(g.path) + 1, step)]
        # the author leads nothing at or above this grant: the work is judged here or below (the leaders of the
        # chain are a few rows, read once as a hashed list rather than joined to every commitment)
        chain_leaders = RoleAssignment.objects.filter(role__in=SECRETARY_ROLES, organization__path__in=chain)
        here = Q(**{f"{claim}member__organization__path__startswith": g.path}) & ~Q(
            **{f"{claim}member__user__in": chain_leaders.values("user_id")}
        )
        if g.role in SECRETARY_ROLES:
            q |= here
        else:  # staff judge only a secretary's own work, sent up from an organization below them
            below = led.filter(
                StartsWith(OuterRef(f"{claim}member__organization__path"), F("organization__path")),
                organization__path__startswith=g.path,
            )
            # the same authors as an equality semi-join (implied by `below`): the planner can then start from the
            # few secretaries of the subtree instead of every submitted commitment in it
            leaders = RoleAssignment.objects.filter(
                role__in=SECRETARY_ROLES, organization__path__startswith=g.path
            ).values("user_id")
            q |= here & Q(**{f"{claim}member__user__in": leaders}) & Exists(below)
    return q & not_own


def get_commitment_for_user(user, pk, *, own: bool = False, review: bool = False) -> Commitment:
    # the member's login is not joined: its id is on the member row (one table less to plan on every commitment page)
    qs = visible_commitments(user).select_related("claim__post__organization", "claim__member__organization")
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
