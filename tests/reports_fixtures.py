"""Data for the report tests: plans with target items, posts with claims and commitments, ratings, in a subtree."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from evaluations.enums import Grade, PeriodKind, calendar_dates
from evaluations.models import EvaluationPeriod, MemberHonour, Rating
from organizations.enums import DemoKind
from organizations.models import DemonstrationUnit, Organization
from posts.enums import CommitmentState, FulfilmentStatus
from posts.models import Commitment, Post, PostClaim
from targets.models import AnnualPlan, TargetItem
from tests.world import make_member

YEAR = 2026


def plan_with_items(org: Organization, n: int, *, year: int = YEAR) -> AnnualPlan:
    plan, _ = AnnualPlan.objects.get_or_create(
        organization=org,
        year=year,
        defaults={"theme": "dedication", "featured_work": "师德师风建设", "theory_research": "“双减”背景下的党建调研"},
    )
    have = plan.items.count()
    TargetItem.objects.bulk_create(
        TargetItem(
            plan=plan,
            category="party" if i % 2 else "school",
            content=f"目标任务{i}",
            indicator=f"指标{i}",
            measures=f"措施{i}",
            role="party_member",
            office="教务处",
            responsible=f"责任人{i}",
            deadline=datetime.date(year, 12, 31),
            percent=i % 100,
        )
        for i in range(have + 1, n + 1)
    )
    return plan


def posts_with_claims(org: Organization, n: int, *, year: int = YEAR, branch: Organization | None = None) -> list:
    """n members of `branch` (default: org) each claiming one post, with one approved, published commitment."""
    branch = branch or org
    have = PostClaim.objects.filter(post__organization=org, post__year=year).count()
    claims = []
    for i in range(have + 1, n + 1):
        member = make_member(branch, f"党员{i:04d}", phone=f"1380000{i:04d}")
        post = Post.objects.create(organization=org, year=year, name=f"岗位{i:04d}", duties=f"岗位职责{i}")
        claim = PostClaim.objects.create(post=post, member=member)
        Commitment.objects.create(
            claim=claim,
            content=f"承诺内容{i}",
            measurable_result="成果",
            due_on=datetime.date(year, 12, 31),
            state=CommitmentState.APPROVED,
            status=FulfilmentStatus.FULFILLED if i % 2 else FulfilmentStatus.IN_PROGRESS,
            published_at=timezone.now(),
        )
        claims.append(claim)
    return claims


def rate(org: Organization, member, *, kind: str = PeriodKind.YEAR, grade: str = Grade.GOOD, year: int = YEAR):
    opens, closes = calendar_dates(year, kind)
    period, _ = EvaluationPeriod.objects.get_or_create(
        organization=org, year=year, kind=kind, defaults={"opens_on": opens, "closes_on": closes}
    )
    return Rating.objects.create(period=period, member=member, weighted_score=Decimal("85"), grade=grade, published=True)


def honour(member, *, year: int = YEAR):
    return MemberHonour.objects.create(
        member=member, title="excellent_member", level="school", year=year, conferred_by="校党委"
    )


def demonstration(org: Organization, *, by: Organization, kind: str = DemoKind.COMPREHENSIVE, year: int = YEAR):
    return DemonstrationUnit.objects.create(organization=org, designated_by=by, kind=kind, year=year)


def launch(*orgs: Organization, on: datetime.date = datetime.date(2026, 3, 1)) -> None:
    Organization.objects.filter(pk__in=[o.pk for o in orgs]).update(launched_on=on)
