"""Count Annex 5's figures from the data of a subtree, with SQL aggregates in a constant number of queries.

`count_figures(org, year, quarter)` returns (values, notes): values maps every name in reports.models.FIGURE_FIELDS
to a number; notes lists, in Chinese, anything the reader should know about how a figure was counted.
The same function feeds the report, the dashboard and the consolidation, so their numbers agree.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from evaluations.models import MemberHonour, Rating, Rectification
from machinery.counting import aggregate_in_one_query
from organizations.enums import GRASSROOTS_KINDS, DemoKind, PoliticalStatus
from organizations.models import ContactPoint, ContactVisit, DemonstrationUnit, Member, Organization
from posts.enums import FulfilmentStatus
from posts.models import Commitment, Post, PostClaim

from .models import FIGURE_FIELDS

__all__ = ["aggregate_in_one_query", "count_figures", "figure_aggregates", "figures_from", "percent", "quarter_end"]

PARTY = [PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY]
# 本季评岗: the rating period that closes in each quarter (一季一评, 半年初评, 三季一评, 年终总评).
PERIOD_OF_QUARTER = {1: "q1", 2: "h1", 3: "q3", 4: "year"}


def quarter_end(year: int, quarter: int) -> datetime.date:
    month = quarter * 3
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def count_figures(org: Organization, year: int, quarter: int) -> tuple[dict, list[str]]:
    """Annex 5's countable figures for the subtree of `org` in the given year and quarter, in one query: each figure
    is a scalar subquery (an aggregate over its own rows) of a single SELECT."""
    return figures_from(aggregate_in_one_query(org, figure_aggregates(org, year, quarter)))


def figures_from(counts: dict) -> tuple[dict, list[str]]:
    """(values, notes) of count_figures() from the counts of figure_aggregates()."""
    values = dict.fromkeys(FIGURE_FIELDS, 0)
    values.update({name: counts[name] for name in values if name in counts})
    values["coverage_percent"] = percent(values["org_launched"], values["org_total"])
    return values, []


def figure_aggregates(org: Organization, year: int, quarter: int) -> dict:
    """{figure: (queryset, aggregate)} of Annex 5's countable figures, for aggregate_in_one_query()."""
    path = org.path
    end = quarter_end(year, quarter)
    grassroots = Organization.objects.filter(path__startswith=path, kind__in=GRASSROOTS_KINDS)
    demos = DemonstrationUnit.objects.filter(organization__path__startswith=path, year__lte=year)
    claims = PostClaim.objects.filter(post__organization__path__startswith=path, post__year=year)
    published = Commitment.objects.filter(
        claim__post__organization__path__startswith=path, claim__post__year=year, published_at__isnull=False
    )
    figures = {
        "org_total": (grassroots, Count("pk")),
        "org_launched": (grassroots, Count("pk", filter=Q(launched_on__isnull=False, launched_on__lte=end))),
        "demo_comprehensive": (demos, Count("pk", filter=Q(kind=DemoKind.COMPREHENSIVE))),
        "demo_single": (demos, Count("pk", filter=Q(kind=DemoKind.SINGLE))),
        # 联系点 at work: a serving leader's contact point with a visit (联系指导) this year up to the quarter's end
        "contact_points": (
            ContactPoint.objects.filter(
                leader__organization__path__startswith=path, leader__is_active=True, since__lte=end
            ).filter(
                Exists(ContactVisit.objects.filter(
                    contact_point=OuterRef("pk"), visited_on__year=year, visited_on__lte=end
                ))
            ),  # fmt: skip
            Count("pk"),
        ),
        "members": (
            Member.objects.filter(organization__path__startswith=path, is_active=True, political_status__in=PARTY),
            Count("pk"),
        ),
        "members_with_posts": (claims, Count("member", distinct=True, filter=Q(member__political_status__in=PARTY))),
        "posts": (Post.objects.filter(organization__path__startswith=path, year=year), Count("pk")),
        "commitments_published": (published, Count("pk")),
        "commitments_fulfilled": (published, Count("pk", filter=Q(status=FulfilmentStatus.FULFILLED))),
        "ratings_done": (
            Rating.objects.filter(
                member__organization__path__startswith=path, period__year=year, period__kind=PERIOD_OF_QUARTER[quarter]
            ),
            Count("pk"),
        ),
        "honours_awarded": (
            MemberHonour.objects.filter(member__organization__path__startswith=path, year=year), Count("pk")
        ),
        # 整改: members with a rectification opened this year up to the quarter's end, each counted once
        "rectifications": (
            Rectification.objects.filter(
                member__organization__path__startswith=path, opened_at__year=year, opened_at__date__lte=end
            ),
            Count("member", distinct=True),
        ),
    }
    return figures
