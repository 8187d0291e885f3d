"""Reads of results published within a scope (三.六 “在一定范围内公布”): how far a period's results reach, who
may read the list, and the public page's results."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from organizations import access
from organizations.enums import GRASSROOTS_KINDS, OrgKind
from organizations.models import Member, Organization

from ..enums import AwardLevel, AwardTitle, Grade, NominationState, PeriodState, PublicationScope
from ..models import EvaluationPeriod, Nomination, PeriodPublication, Rating

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


def _missing_flags(snapshot: dict) -> list[dict]:
    """The flags a published grade carries (缺自评 / 缺测评 / 缺评定: it was computed without that part), without the
    reasons (病假, 外出 …: those are for the member and the secretaries only)."""
    return [{"part": p["part"], "label": p["label"]} for p in Rating(snapshot=snapshot).missing_parts]


def published_results_rows(period: EvaluationPeriod, *, show_scores: bool) -> list[dict]:
    """Name, organization and grade of each published result (the score only when chosen) with its flags when a part
    was absent: never a phone number, never a part's score or the reason it was absent (the poll stays anonymous)."""
    fields = ["member__name", "member__organization__name", "grade", "snapshot"] + (
        ["weighted_score"] if show_scores else []
    )
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
            "missing_parts": _missing_flags(r["snapshot"]),
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
            .values("period_id", "member__name", "member__organization__name", "grade", "weighted_score", "snapshot")
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
                    "missing_parts": _missing_flags(r["snapshot"]),
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
