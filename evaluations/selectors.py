"""Reads of the evaluations app, always scoped through organizations.access."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import access
from organizations.enums import GRASSROOTS_KINDS, OrgKind, Role
from organizations.models import Member, Organization

from .assessors import assessable_secretaries
from .enums import (
    GRADE_ORDER,
    PERIOD_ORDER,
    AppraisalConclusion,
    AwardLevel,
    AwardTitle,
    Grade,
    NominationState,
    PeriodKind,
    PeriodState,
    PublicationScope,
    RectificationState,
)
from .models import (
    Assessment,
    AwardRound,
    Ballot,
    DemocraticAppraisal,
    EvaluationPeriod,
    Nomination,
    PeriodPublication,
    Poll,
    PollCode,
    Rating,
    Rectification,
    SelfEvaluation,
)
from .participants import period_members


def can_manage(user, org: Organization) -> bool:
    """Secretaries run evaluations; committee staff may look but not change."""
    return access.is_secretary_of(user, org)


def get_org(user, pk: int, *, to_manage: bool = False) -> Organization:
    org = access.get_organization_for_user(user, pk)
    if to_manage:
        access.require(can_manage(user, org))
    return org


def get_period_for_user(user, pk: int, *, to_manage: bool = False) -> EvaluationPeriod:
    """A period of a visible organization (else 404); with to_manage, 403 unless a secretary of it."""
    period = access.get_for_user(EvaluationPeriod.objects.select_related("organization"), user, pk)
    if to_manage:
        access.require(can_manage(user, period.organization))
    return period


def get_period_for_assessor(user, pk: int) -> EvaluationPeriod:
    """A period for the assessment pages: its secretaries, and whoever sits above a secretary rated in it (a
    secretary's assessment goes one level up). 404 outside the user's subtree, 403 for anyone else."""

    period = get_period_for_user(user, pk)
    if not can_manage(user, period.organization):
        access.require(bool(assessable_secretaries(period=period, user=user)))
    return period


def get_period_for_member(user, pk: int) -> tuple[EvaluationPeriod, Member]:
    """A period the signed-in member is rated in (their organization or one above it); else 404."""
    member = access.own_member(user)
    if member is None:
        raise Http404
    period = get_object_or_404(EvaluationPeriod.objects.select_related("organization"), pk=pk)
    if not member.organization.path.startswith(period.organization.path):
        raise Http404
    return period, member


def get_poll_for_voting(key: str, code: str) -> tuple[Poll, PollCode]:
    """The poll behind a one-time link. A code that does not belong to this poll does not exist: 404."""
    poll = get_object_or_404(Poll.objects.select_related("period__organization"), public_key=key)
    poll_code = get_object_or_404(PollCode, poll=poll, code=code.upper())
    return poll, poll_code


def periods_of(org: Organization) -> QuerySet[EvaluationPeriod]:
    """The organization's periods and those of the organizations below it, newest first."""
    return (
        EvaluationPeriod.objects.filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("-year", "-opens_on", "organization__path")
    )


def period_progress(period: EvaluationPeriod, members) -> dict:
    """Who has self-evaluated, who is assessed, and the rating of each member on the page (three queries)."""
    ids = [m.pk for m in members]
    selfs = set(SelfEvaluation.objects.filter(period=period, member_id__in=ids).values_list("member_id", flat=True))
    assessed = {
        a.member_id: a for a in Assessment.objects.filter(period=period, member_id__in=ids).only("member_id", "score")
    }
    ratings = {r.member_id: r for r in Rating.objects.filter(period=period, member_id__in=ids)}
    return {
        "rows": [
            {"member": m, "self_done": m.pk in selfs, "assessment": assessed.get(m.pk), "rating": ratings.get(m.pk)}
            for m in members
        ]
    }


def period_totals(period: EvaluationPeriod) -> dict:
    members = period_members(period)
    total = members.count()
    poll = Poll.objects.filter(period=period).first()
    return {
        "members": total,
        "self_done": SelfEvaluation.objects.filter(period=period, member__in=members).count(),
        "assessed": Assessment.objects.filter(period=period, member__in=members).count(),
        "poll": poll,
        "ballots": Ballot.objects.filter(poll=poll).count() if poll else 0,
        "codes": PollCode.objects.filter(poll=poll).count() if poll else 0,
        "distribution": grade_distribution(Rating.objects.filter(period=period, published=True)),
    }


def grade_distribution(ratings: QuerySet[Rating]) -> list[dict]:
    counts = Counter(ratings.values_list("grade", flat=True))
    total = sum(counts.values())
    return [
        {
            "grade": g,
            "label": Grade(g).label,
            "count": counts.get(g, 0),
            "percent": round(100 * counts.get(g, 0) / total) if total else 0,
        }
        for g in GRADE_ORDER
    ]


def own_ratings(member: Member) -> QuerySet[Rating]:
    return (
        Rating.objects.filter(member=member, published=True)
        .select_related("period__organization")
        .order_by("-period__year", "-period__closes_on")
    )


def year_grid(org: Organization, year: int, members) -> list[dict]:
    """The four periods side by side for each member on the page (one query). A member's periods may be run by
    the branch or by an organization above it; the branch's own (the deepest) wins."""
    ratings = (
        Rating.objects.filter(member__in=[m.pk for m in members], period__year=year, published=True)
        .select_related("period__organization")
        .order_by("period__organization__depth")
    )
    by_member: dict[int, dict[str, Rating]] = {}
    for r in ratings:
        by_member.setdefault(r.member_id, {})[r.period.kind] = r
    rows = []
    for m in members:
        cells = [by_member.get(m.pk, {}).get(k) for k in PERIOD_ORDER]
        scores = [c.weighted_score for c in cells if c]
        average = (sum(scores) / len(scores)).quantize(Decimal("0.01")) if scores else None
        rows.append({"member": m, "cells": cells, "average": average})
    return rows


def year_distribution(org: Organization, year: int) -> list[dict]:
    """Grade counts per period kind over the organization's subtree, and how many of those grades were computed
    without a part (缺自评 / 缺测评 / 缺评定: the snapshot names absent parts) (one query)."""
    rows = (
        Rating.objects.filter(
            period__year=year, published=True, period__organization__path__startswith=org.path
        )
        .order_by()
        .values("period__kind", "grade")
        .annotate(n=Count("pk"), missing=Count("pk", filter=Q(snapshot__has_key="absent")))
    )
    counts: dict[str, Counter] = {k: Counter() for k in PERIOD_ORDER}
    missing: Counter = Counter()
    for row in rows:
        counts[row["period__kind"]][row["grade"]] += row["n"]
        missing[row["period__kind"]] += row["missing"]
    return [
        {"kind": PeriodKind(k).label, "counts": [counts[k].get(g, 0) for g in GRADE_ORDER],
         "total": sum(counts[k].values()), "missing": missing[k]}
        for k in PERIOD_ORDER
    ]


def year_kinds() -> list[str]:
    return [PeriodKind(k).label for k in PERIOD_ORDER]


def award_rounds_for(user, org: Organization) -> QuerySet[AwardRound]:
    """Rounds run by this organization or one above it (where its branches nominate)."""
    steplen = Organization.steplen
    prefixes = [org.path[:i] for i in range(steplen, len(org.path) + 1, steplen)]
    return AwardRound.objects.filter(organization__path__in=prefixes).select_related("organization")


def get_round_for_user(user, pk: int) -> AwardRound:
    """A round is visible to whoever sees its organization, or an organization below it that nominates."""
    rnd = get_object_or_404(AwardRound.objects.select_related("organization"), pk=pk)
    below = access.visible_organizations(user).filter(path__startswith=rnd.organization.path).exists()
    if not (access.is_visible(user, rnd.organization) or below):
        raise Http404
    return rnd


def nominations_visible(user, rnd: AwardRound) -> QuerySet[Nomination]:
    qs = Nomination.objects.filter(round=rnd).select_related("member", "nominating_org")
    if access.is_visible(user, rnd.organization):
        return qs
    return access.scope(qs, user, "nominating_org")


def get_nomination_for_user(user, pk: int) -> Nomination:
    nomination = get_object_or_404(
        Nomination.objects.select_related("round__organization", "member", "nominating_org"), pk=pk
    )
    if not (access.is_visible(user, nomination.round.organization) or access.is_visible(user, nomination.nominating_org)):
        raise Http404
    return nomination


def nomination_eligibility(round: AwardRound, members) -> dict[int, list[str]]:
    """Why each member may not be nominated in the round ([] = eligible), read the same way by the nomination page
    (which greys them out) and the service (which refuses): in the round's year a 较差 grade in any period or a
    不合格 民主评议 conclusion; a 限期整改 not yet finished (of any year, overdue or not); already nominated in this
    round. Four queries whatever the number of members."""
    ids = [m.pk for m in members]
    reasons: dict[int, list[str]] = {pk: [] for pk in ids}
    if not ids:
        return reasons
    poor = (
        Rating.objects.filter(member_id__in=ids, period__year=round.year, grade=Grade.POOR, published=True)
        .order_by("period__closes_on", "period_id")
        .values_list("member_id", "period__kind")
    )
    for member_id, kind in poor:
        text = _("%(year)s年%(period)s等次为较差") % {"year": round.year, "period": PeriodKind(kind).label}
        if text not in reasons[member_id]:
            reasons[member_id].append(text)
    unqualified = DemocraticAppraisal.objects.filter(
        member_id__in=ids, year=round.year, conclusion=AppraisalConclusion.UNQUALIFIED
    ).values_list("member_id", flat=True)
    for member_id in unqualified:
        reasons[member_id].append(_("%(year)s年民主评议结论为不合格") % {"year": round.year})
    today = timezone.localdate()
    open_rectifications: dict[int, bool] = {}
    for member_id, deadline in Rectification.objects.filter(
        member_id__in=ids, state=RectificationState.OPEN
    ).values_list("member_id", "deadline"):
        open_rectifications[member_id] = open_rectifications.get(member_id, False) or deadline < today
    for member_id, overdue in open_rectifications.items():
        reasons[member_id].append(_("有未完成的限期整改（已逾期）") if overdue else _("有未完成的限期整改"))
    for member_id in Nomination.objects.filter(round=round, member_id__in=ids).values_list("member_id", flat=True):
        reasons[member_id].append(_("已在本轮推荐"))
    return reasons


def get_rectification_for_user(user, pk: int) -> Rectification:
    """Secretaries and staff above the organization, or the member concerned (read only)."""
    rect = get_object_or_404(Rectification.objects.select_related("member", "organization", "rating__period"), pk=pk)
    if access.is_visible(user, rect.organization):
        return rect
    if rect.member.user_id and rect.member.user_id == getattr(user, "pk", None):
        return rect
    raise Http404


def get_rating_for_user(user, pk: int, *, to_manage: bool = False) -> Rating:
    rating = access.get_for_user(
        Rating.objects.select_related("member", "period__organization"), user, pk, field="period__organization"
    )
    if to_manage and not can_manage(user, rating.period.organization):
        raise PermissionDenied
    return rating


def open_periods_for_member(member: Member) -> list[dict]:
    """Periods the member is rated in that take a self-evaluation today (inside their window, or reopened until a day
    not yet past), each with whether the member has self-evaluated. Late periods (逾期未结束) are no work to do."""
    steplen = Organization.steplen
    path = member.organization.path
    prefixes = [path[:i] for i in range(steplen, len(path) + 1, steplen)]
    today = timezone.localdate()
    periods = list(
        EvaluationPeriod.objects.filter(organization__path__in=prefixes, state="open")
        .filter(Q(opens_on__lte=today, closes_on__gte=today) | Q(reopened_until__gte=today))
        .select_related("organization")
    )
    done = set(
        SelfEvaluation.objects.filter(member=member, period__in=periods).values_list("period_id", flat=True)
    )
    return [{"period": p, "done": p.pk in done} for p in periods]


def member_commitments(member: Member, year: int) -> list:
    """The member's approved commitments of the year (posts), each to be self-evaluated."""
    from posts.enums import CommitmentState
    from posts.selectors import commitments_for_member

    return list(commitments_for_member(member, year).filter(state=CommitmentState.APPROVED))


def can_review(user, nomination: Nomination) -> bool:
    """The school organization reviews: a secretary (not a branch secretary) above the nominating branch."""
    if access.is_superuser(user):
        return True
    path = nomination.nominating_org.path
    return any(g.role == Role.SECRETARY and path.startswith(g.path) for g in access.grants(user))


# ---- results published within a scope (三.六 “在一定范围内公布”) -------------------------------------------------

# The school's own Party organization: a school committee, general branch or branch, or a 市属高校党委 / 机关党委.
SCHOOL_KINDS = GRASSROOTS_KINDS | {OrgKind.UNIVERSITY_COMMITTEE, OrgKind.BUREAU_COMMITTEE}


def _ancestor_paths(org: Organization) -> list[str]:
    steplen = Organization.steplen
    return [org.path[:i] for i in range(steplen, len(org.path) + 1, steplen)]


def school_of(org: Organization) -> Organization:
    """The school's Party organization that `org` belongs to: the top-most school organization on its path."""
    found = (
        Organization.objects.filter(path__in=_ancestor_paths(org), kind__in=SCHOOL_KINDS).order_by("depth").first()
    )
    return found or org


def publication_reach(period: EvaluationPeriod, publication: PeriodPublication) -> Organization:
    """Whose members see the results: the period's organization (本组织党员) or its whole school (全校, 社会公开)."""
    if publication.scope == PublicationScope.ORGANIZATION:
        return period.organization
    return school_of(period.organization)


def publication_of(period: EvaluationPeriod) -> PeriodPublication | None:
    try:
        return period.publication
    except PeriodPublication.DoesNotExist:
        return None


def get_period_results_for_user(user, pk: int) -> tuple[EvaluationPeriod, PeriodPublication | None]:
    """A period's results list. Secretaries and staff who see the organization always may; others only once the
    period is closed and its results are published to a scope that reaches them (社会公开: anyone). Else 404."""
    period = get_object_or_404(EvaluationPeriod.objects.select_related("organization", "publication"), pk=pk)
    publication = publication_of(period)
    if access.is_visible(user, period.organization):
        return period, publication
    if publication is None or period.state != PeriodState.CLOSED:
        raise Http404
    if publication.scope == PublicationScope.PUBLIC:
        return period, publication
    member = access.own_member(user)
    if member is None or not member.is_active:
        raise Http404
    if not member.organization.path.startswith(publication_reach(period, publication).path):
        raise Http404
    return period, publication


def published_results_rows(period: EvaluationPeriod, *, show_scores: bool) -> list[dict]:
    """Name, organization and grade of each published result (the score only when chosen): never a phone number,
    never a part of the rating (the poll stays anonymous)."""
    fields = ["member__name", "member__organization__name", "grade"] + (["weighted_score"] if show_scores else [])
    rows = (
        Rating.objects.filter(period=period, published=True)
        .order_by("member__organization__path", "member__name", "member_id")
        .values(*fields)
    )
    return [
        {
            "name": r["member__name"],
            "organization": r["member__organization__name"],
            "grade": r["grade"],
            "grade_label": Grade(r["grade"]).label,
            "score": r.get("weighted_score"),
        }
        for r in rows
    ]


def published_periods_for_member(member: Member) -> list[dict]:
    """Closed periods whose results are published to a scope that reaches this member, newest first."""
    school = school_of(member.organization)
    publications = (
        PeriodPublication.objects.filter(
            period__state=PeriodState.CLOSED, period__organization__path__startswith=school.path
        )
        .select_related("period__organization")
        .order_by("-period__year", "-period__closes_on", "period__organization__path")
    )
    path = member.organization.path
    return [
        {"period": p.period, "publication": p}
        for p in publications[:40]
        if p.scope != PublicationScope.ORGANIZATION or path.startswith(p.period.organization.path)
    ]


def public_results_context(org: Organization, *, today=None) -> dict:
    """For the public page of `org`: the year's approved awards in its subtree (党员示范（先锋）岗、优秀共产党员, with
    the names and organizations copied into the nomination) and the grades of periods published to society (the
    score only when chosen). The year is this year, or last year while this year has nothing yet. Three queries."""
    year = (today or timezone.localdate()).year
    awards = list(
        Nomination.objects.filter(
            state=NominationState.APPROVED,
            nominating_org__path__startswith=org.path,
            round__year__in=[year - 1, year],
        )
        .order_by("-round__year", "round__title", "round__level", "pk")
        .values("round__year", "round__title", "round__level", "name", "organization_name")
    )
    publications = list(
        PeriodPublication.objects.filter(
            scope=PublicationScope.PUBLIC,
            period__state=PeriodState.CLOSED,
            period__organization__path__startswith=org.path,
            period__year__in=[year - 1, year],
        )
        .select_related("period__organization")
        .order_by("-period__year", "-period__closes_on", "period__organization__path")
    )
    years = {a["round__year"] for a in awards} | {p.period.year for p in publications}
    shown = year if year in years or not years else max(years)
    awards = [a for a in awards if a["round__year"] == shown]
    publications = [p for p in publications if p.period.year == shown]
    rows: dict[int, list[dict]] = {p.period_id: [] for p in publications}
    if publications:
        ratings = (
            Rating.objects.filter(period_id__in=list(rows), published=True)
            .order_by("member__organization__path", "member__name", "member_id")
            .values("period_id", "member__name", "member__organization__name", "grade", "weighted_score")
        )
        scores = {p.period_id: p.show_scores for p in publications}
        for r in ratings:
            rows[r["period_id"]].append(
                {
                    "name": r["member__name"],
                    "organization": r["member__organization__name"],
                    "grade": r["grade"],
                    "grade_label": Grade(r["grade"]).label,
                    "score": r["weighted_score"] if scores[r["period_id"]] else None,
                }
            )
    return {
        "year": shown,
        "awards": [
            {
                "title": AwardTitle(a["round__title"]).label,
                "level": AwardLevel(a["round__level"]).label,
                "name": a["name"],
                "organization": a["organization_name"],
            }
            for a in awards
        ],
        "results": [
            {"period": p.period, "show_scores": p.show_scores, "rows": rows[p.period_id]}
            for p in publications
            if rows[p.period_id]
        ],
    }
