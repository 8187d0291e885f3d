"""Reads of a period and its rating: which periods a user may reach (and run), progress and totals, a member's
own results and the periods waiting for their self-evaluation."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from organizations import access
from organizations.models import Member, Organization

from ..assessors import assessable_secretaries
from ..enums import GRADE_ORDER, Grade
from ..models import Assessment, EvaluationPeriod, Poll, PollCode, Rating, SelfEvaluation
from ..participants import period_members


def can_manage(user, org: Organization) -> bool:
    """Secretaries run evaluations; committee staff may look but not change."""
    return access.is_secretary_of(user, org)


def get_org(user, pk: int, *, to_manage: bool = False) -> Organization:
    org = access.get_organization_for_user(user, pk)
    if to_manage:
        access.require(can_manage(user, org))
    return org


def get_period_for_user(user, pk: int, *, to_manage: bool = False, with_poll: bool = False) -> EvaluationPeriod:
    """A period of a visible organization (else 404); with to_manage, 403 unless a secretary of it. `with_poll`
    reads its poll in the same query, with the number of used codes (`poll.used_codes`), or None."""
    periods = EvaluationPeriod.objects.select_related("organization")
    if with_poll:
        used = PollCode.objects.filter(poll__period=OuterRef("pk"), used=True).order_by().values("poll")
        periods = periods.select_related("poll").annotate(
            poll_used_codes=Coalesce(Subquery(used.annotate(n=Count("pk")).values("n")), 0)
        )
    period = access.get_for_user(periods, user, pk)
    if with_poll:
        try:
            period.poll.used_codes = period.poll_used_codes
        except Poll.DoesNotExist:
            pass
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


def get_poll_for_voting(key: str) -> Poll:
    """The poll behind the public voting page (its key only: the one-time code travels in the form, never in a URL)."""
    return get_object_or_404(Poll.objects.select_related("period__organization"), public_key=key)


def periods_of(org: Organization) -> QuerySet[EvaluationPeriod]:
    """The organization's periods and those of the organizations below it, newest first."""
    return (
        EvaluationPeriod.objects.filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("-year", "-opens_on", "organization__path")
    )


def period_progress(period: EvaluationPeriod, members) -> dict:
    """Who has self-evaluated, who is assessed (with the score), and the rating of each member on the page (two
    queries)."""
    ids = [m.pk for m in members]
    # the page's self-evaluations and assessments (with the score) side by side: one query
    done = (
        SelfEvaluation.objects.filter(period=period, member_id__in=ids)
        .annotate(assessed=Value(False), org_score=Value(None, output_field=Assessment._meta.get_field("score")))
        .values_list("member_id", "assessed", "org_score")
        .union(
            Assessment.objects.filter(period=period, member_id__in=ids)
            .annotate(assessed=Value(True), org_score=F("score"))
            .values_list("member_id", "assessed", "org_score"),
            all=True,
        )
    )
    selfs, assessed = set(), {}
    for pk, is_assessed, score in done:
        if is_assessed:
            assessed[pk] = Assessment(period=period, member_id=pk, score=score)
        else:
            selfs.add(pk)
    ratings = {r.member_id: r for r in Rating.objects.filter(period=period, member_id__in=ids)}
    return {
        "rows": [
            {"member": m, "self_done": m.pk in selfs, "assessment": assessed.get(m.pk), "rating": ratings.get(m.pk)}
            for m in members
        ]
    }


def period_totals(period: EvaluationPeriod) -> dict:
    """The period's figures in three queries: its members with how many self-evaluated and are assessed, its poll
    with the codes handed out and used, and the published grades."""
    counts = period_members(period).order_by().aggregate(
        members=Count("pk"),
        self_done=Count("pk", filter=Exists(SelfEvaluation.objects.filter(period=period, member=OuterRef("pk")))),
        assessed=Count("pk", filter=Exists(Assessment.objects.filter(period=period, member=OuterRef("pk")))),
    )
    poll = (
        Poll.objects.filter(period=period)
        .annotate(n_codes=Count("codes"), n_used=Count("codes", filter=Q(codes__used=True)))
        .first()
    )
    return {
        **counts,
        "poll": poll,
        "ballots": poll.n_used if poll else 0,  # one ballot per used code
        "codes": poll.n_codes if poll else 0,
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
