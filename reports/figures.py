"""Count Annex 5's figures from the data of a subtree, with SQL aggregates in a constant number of queries.

`count_figures(org, year, quarter)` returns (values, notes): values maps every name in reports.models.FIGURE_FIELDS
to a number; notes lists, in Chinese, anything the reader should know about how a figure was counted.
The same function feeds the report, the dashboard and the consolidation, so their numbers agree.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from evaluations.models import MemberHonour, Rating, Rectification
from organizations.enums import GRASSROOTS_KINDS, DemoKind, PoliticalStatus
from organizations.models import ContactPoint, DemonstrationUnit, Member, Organization
from posts.enums import FulfilmentStatus
from posts.models import Commitment, Post, PostClaim

from .models import FIGURE_FIELDS

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
    """Annex 5's countable figures for the subtree of `org` in the given year and quarter (7–9 queries)."""
    path = org.path
    end = quarter_end(year, quarter)
    values = dict.fromkeys(FIGURE_FIELDS, 0)
    notes: list[str] = []

    row = Organization.objects.filter(path__startswith=path, kind__in=GRASSROOTS_KINDS).aggregate(
        total=Count("pk"), launched=Count("pk", filter=Q(launched_on__isnull=False, launched_on__lte=end))
    )
    values["org_total"], values["org_launched"] = row["total"], row["launched"]
    values["coverage_percent"] = percent(row["launched"], row["total"])

    values.update(_demonstration_and_contacts(path, year))

    values["members"] = Member.objects.filter(
        organization__path__startswith=path, is_active=True, political_status__in=PARTY
    ).count()
    row = PostClaim.objects.filter(post__organization__path__startswith=path, post__year=year).aggregate(
        with_posts=Count("member", distinct=True, filter=Q(member__political_status__in=PARTY))
    )
    values["members_with_posts"] = row["with_posts"]
    values["posts"] = Post.objects.filter(organization__path__startswith=path, year=year).count()
    row = Commitment.objects.filter(
        claim__post__organization__path__startswith=path, claim__post__year=year, published_at__isnull=False
    ).aggregate(published=Count("pk"), fulfilled=Count("pk", filter=Q(status=FulfilmentStatus.FULFILLED)))
    values["commitments_published"], values["commitments_fulfilled"] = row["published"], row["fulfilled"]

    values.update(_evaluations(path, year, quarter, end))
    return values, notes


def _demonstration_and_contacts(path: str, year: int) -> dict:
    row = DemonstrationUnit.objects.filter(organization__path__startswith=path, year__lte=year).aggregate(
        comprehensive=Count("pk", filter=Q(kind=DemoKind.COMPREHENSIVE)),
        single=Count("pk", filter=Q(kind=DemoKind.SINGLE)),
    )
    contacts = ContactPoint.objects.filter(
        leader__organization__path__startswith=path, leader__is_active=True, since__year__lte=year
    ).count()
    return {"demo_comprehensive": row["comprehensive"], "demo_single": row["single"], "contact_points": contacts}


def _evaluations(path: str, year: int, quarter: int, end: datetime.date) -> dict:
    ratings = Rating.objects.filter(
        member__organization__path__startswith=path, period__year=year, period__kind=PERIOD_OF_QUARTER[quarter]
    ).count()
    honours = MemberHonour.objects.filter(member__organization__path__startswith=path, year=year).count()
    rectifications = (
        Rectification.objects.filter(
            member__organization__path__startswith=path, opened_at__year=year, opened_at__date__lte=end
        )
        .order_by()
        .values("member")
        .distinct()
        .count()
    )
    return {"ratings_done": ratings, "honours_awarded": honours, "rectifications": rectifications}
