"""The counts behind the indicators, for many organizations at once, in a fixed number of queries.

`count_groups(prefix, length, year, cutoffs)` counts the records of every subtree whose root path is `length`
characters long and starts with `prefix` (the children of a committee: length = the child's path length; one
organization: its own path). Each source is one grouped query (`GROUP BY substr(path, 1, length)`) and each count is
taken at every cutoff day (conditional aggregates); the sources go to the database as one UNION ALL, so the ranked
table with its quarterly trend costs one query for 3 counties as for 300 schools. The result maps a group's path to one dict of counts per cutoff.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Left, Length, Substr
from django.utils import timezone

from evaluations.enums import PeriodState, RectificationState
from evaluations.models import EvaluationPeriod, Rating, Rectification
from inspections.models import FixItem
from organizations.enums import GRASSROOTS_KINDS, PoliticalStatus
from organizations.models import ContactPoint, ContactVisit, Member, Organization
from posts.enums import CommitmentState, FulfilmentStatus
from posts.models import Commitment, DutyLogEntry, Post, PostClaim
from reports.models import QuarterlyReport
from targets.enums import ItemStatus, OpinionSource
from targets.models import AnnualPlan, Opinion, StepCompletion, TargetItem

from .indicators import EARLY_STEPS, step_due

PARTY = [PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY]
STEP = Organization.steplen
Counts = dict[str, list[dict[str, int]]]


@dataclass
class Source:
    """One grouped aggregate query, not yet run: its queryset and the names of its count columns in order."""

    qs: QuerySet
    columns: list[str]


def _grouped(qs, path_field: str, prefix: str, length: int, cutoffs: list, make: dict) -> Source:
    """qs grouped by the first `length` characters of `path_field`; `make` maps a count's name to a function of the
    cutoff day giving its aggregate (or to an aggregate taken once, the same at every cutoff)."""
    aggregates = {}
    for name, fn in make.items():
        if callable(fn):
            for i, day in enumerate(cutoffs):
                aggregates[f"{name}__{i}"] = fn(day)
        else:
            aggregates[f"{name}__all"] = fn
    qs = (
        qs.filter(**{f"{path_field}__startswith": prefix})
        .annotate(_group=Substr(path_field, 1, length))
        .order_by()
        .values("_group")
        .annotate(**aggregates)
    )
    return Source(qs, list(aggregates))


def _run(sources: list[Source], n: int) -> Counts:
    """Every source in one round trip: each grouped query becomes a branch of one UNION ALL, tagged with its index and
    padded with zeros to the widest branch; the rows are sorted back into counts per group and cutoff."""
    width = max(len(s.columns) for s in sources)
    parts, params = [], []
    qn = connection.ops.quote_name
    for tag, source in enumerate(sources):
        sql, p = source.qs.query.sql_with_params()
        cols = [qn("_group"), *(qn(c) for c in source.columns), *["0"] * (width - len(source.columns))]
        parts.append(f"SELECT {tag} AS src, {', '.join(cols)} FROM ({sql}) {qn(f'source_{tag}')}")
        params.extend(p)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    merged: Counts = defaultdict(lambda: [{} for _ in range(n)])
    for src, group, *values in rows:
        per = merged[group]
        for key, value in zip(sources[src].columns, values, strict=False):
            name, _sep, at = key.rpartition("__")
            for i in range(n) if at == "all" else [int(at)]:
                per[i][name] = value or 0
    return dict(merged)  # picklable, for the shared cache


def _on(field: str, day: datetime.date, **more) -> Q:
    """`field` on or before `day`; for a date-time (`…__date`), before the next midnight in the local time zone, the
    same rows as `__date__lte` without converting every row's time."""
    if field.endswith("__date"):
        midnight = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))
        return Q(**{f"{field.removesuffix('__date')}__lt": midnight}, **more)
    return Q(**{f"{field}__lte": day}, **more)


def count_groups(prefix: str, length: int, year: int, cutoffs: list[datetime.date]) -> Counts:
    start = datetime.date(year, 1, 1)
    parent_grassroots = Organization.objects.filter(
        kind__in=GRASSROOTS_KINDS, path=Left(OuterRef("path"), Length(OuterRef("path")) - STEP)
    )
    sources = [
        # the organizations: who must make a plan, who reports quarterly, who holds rating periods
        _grouped(
            Organization.objects.exclude(closed_on__lt=start),
            "path",
            prefix,
            length,
            cutoffs,
            {
                "planners": Count("pk", filter=Q(kind__in=GRASSROOTS_KINDS) & ~Exists(parent_grassroots)),
                "reporting": Count("pk", filter=Q(reports_quarterly=True)),
                "rated": Count("pk", filter=Q(kind__in=GRASSROOTS_KINDS)),
            },
        ),
        _grouped(
            Member.objects.filter(is_active=True, political_status__in=PARTY),
            "organization__path",
            prefix,
            length,
            cutoffs,
            {"members": Count("pk")},
        ),
        # members on a post, where they are on the roster (a school's post may be held by a branch's member)
        _grouped(
            PostClaim.objects.filter(post__year=year, member__is_active=True, member__political_status__in=PARTY),
            "member__organization__path",
            prefix,
            length,
            cutoffs,
            {"on_post": lambda d: Count("member", distinct=True, filter=_on("created_at__date", d))},
        ),
        _grouped(
            PostClaim.objects.filter(post__year=year, member__is_active=True),
            "post__organization__path",
            prefix,
            length,
            cutoffs,
            {"people": lambda d: Count("member", distinct=True, filter=_on("created_at__date", d))},
        ),
        _grouped(
            Post.objects.filter(year=year),
            "organization__path",
            prefix,
            length,
            cutoffs,
            {"posts": lambda d: Count("pk", filter=_on("created_at__date", d))},
        ),
        _grouped(
            Commitment.objects.filter(claim__post__year=year),
            "claim__post__organization__path",
            prefix,
            length,
            cutoffs,
            {
                "commitments": lambda d: Count("pk", filter=_on("created_at__date", d)),
                "approved": lambda d: Count("pk", filter=_on("created_at__date", d, state=CommitmentState.APPROVED)),
                "published": lambda d: Count("pk", filter=_on("created_at__date", d) & _on("published_at__date", d)),
                "fulfilled": lambda d: Count(
                    "pk", filter=_on("created_at__date", d, status=FulfilmentStatus.FULFILLED)
                ),
                "fulfil_due": lambda d: Count(
                    "pk", filter=_on("created_at__date", d) & (Q(due_on__lte=d) | Q(status=FulfilmentStatus.FULFILLED))
                ),
            },
        ),  # fmt: skip
        _grouped(
            DutyLogEntry.objects.filter(commitment__claim__post__year=year, happened_on__year=year),
            "commitment__claim__post__organization__path",
            prefix,
            length,
            cutoffs,
            {"logs": lambda d: Count("pk", filter=_on("happened_on", d))},
        ),
        _grouped(
            AnnualPlan.objects.filter(year=year),
            "organization__path",
            prefix,
            length,
            cutoffs,
            {"plans": lambda d: Count("pk", filter=_on("created_at__date", d))},
        ),
        _grouped(
            StepCompletion.objects.filter(plan__year=year),
            "plan__organization__path",
            prefix,
            length,
            cutoffs,
            {
                "steps_done": lambda d: Count("pk", filter=_on("completed_at__date", d)),
                "steps_on_time": lambda d: Count(
                    "pk",
                    filter=_on("completed_at__date", d)
                    & (
                        _on("completed_at__date", step_due(year, "opinions"), step__in=EARLY_STEPS)
                        | _on("completed_at__date", step_due(year, "implementation"), step="implementation")
                        | _on("completed_at__date", step_due(year, "evaluation"), step="evaluation")
                    ),
                ),
            },
        ),  # fmt: skip
        _grouped(
            TargetItem.objects.filter(plan__year=year),
            "plan__organization__path",
            prefix,
            length,
            cutoffs,
            {
                "items": lambda d: Count("pk", filter=_on("created_at__date", d)),
                "items_good": lambda d: Count(
                    "pk",
                    filter=_on("created_at__date", d)
                    & (Q(status=ItemStatus.DONE) | Q(deadline__gt=d) & ~Q(status=ItemStatus.DELAYED)),
                ),
            },
        ),  # fmt: skip
        _grouped(
            EvaluationPeriod.objects.filter(year=year),
            "organization__path",
            prefix,
            length,
            cutoffs,
            {
                "periods_due": lambda d: Count("pk", filter=_on("closes_on", d)),
                "periods_on_time": lambda d: Count(
                    "pk", filter=_on("closes_on", d, state=PeriodState.CLOSED) & Q(closed_at__date__lte=F("closes_on"))
                ),
                "polls_met": lambda d: Count(
                    "pk", filter=_on("closes_on", d) & Q(poll__ballot_count__gte=F("poll__minimum_ballots"))
                ),
            },
        ),  # fmt: skip
        _grouped(
            Rating.objects.filter(period__year=year),
            "period__organization__path",
            prefix,
            length,
            cutoffs,
            {
                "rated_people": lambda d: Count("pk", filter=_on("period__closes_on", d)),
                "self_done": lambda d: Count("pk", filter=_on("period__closes_on", d, self_score__isnull=False)),
                "org_done": lambda d: Count("pk", filter=_on("period__closes_on", d, org_score__isnull=False)),
            },
        ),
        _grouped(
            QuarterlyReport.objects.filter(year=year),
            "organization__path",
            prefix,
            length,
            cutoffs,
            {
                "reports_on_time": lambda d: Count(
                    "pk",
                    filter=_on("due_on", d)
                    & _on(
                        "submitted_at__date",
                        d,
                        is_late=False,
                        state__in=[QuarterlyReport.State.SUBMITTED, QuarterlyReport.State.ACCEPTED],
                    ),
                ),
            },
        ),  # fmt: skip
        _grouped(
            Rectification.objects.filter(rating__period__year=year),
            "organization__path",
            prefix,
            length,
            cutoffs,
            {
                "rect_due": lambda d: Count("pk", filter=_on("deadline", d)),
                "rect_on_time": lambda d: Count(
                    "pk", filter=_on("deadline", d, state=RectificationState.CLOSED) & Q(ended_on__lte=F("deadline"))
                ),
            },
        ),  # fmt: skip
        _grouped(
            Opinion.objects.filter(source=OpinionSource.PUBLIC, created_at__year=year),
            "organization__path",
            prefix,
            length,
            cutoffs,
            {
                "opinions": lambda d: Count("pk", filter=_on("created_at__date", d)),
                "answered": lambda d: Count("pk", filter=_on("created_at__date", d) & _on("replied_at__date", d)),
            },
        ),  # fmt: skip
        _grouped(
            ContactPoint.objects.filter(leader__is_active=True),
            "leader__organization__path",
            prefix,
            length,
            cutoffs,
            {
                "contact_points": lambda d: Count("pk", filter=_on("since", d)),
                "visited": lambda d: Count(
                    "pk",
                    filter=_on("since", d)
                    & Q(
                        Exists(
                            ContactVisit.objects.filter(
                                contact_point=OuterRef("pk"), visited_on__year=year, visited_on__lte=d
                            )
                        )
                    ),
                ),
            },
        ),  # fmt: skip
        _grouped(
            FixItem.objects.filter(inspection__year=year),
            "inspection__organization__path",
            prefix,
            length,
            cutoffs,
            {
                "fix_due": lambda d: Count("pk", filter=_on("due_on", d)),
                "fix_on_time": lambda d: Count("pk", filter=_on("due_on", d) & Q(closed_on__lte=F("due_on"))),
            },
        ),
    ]
    return _run(sources, len(cutoffs))
