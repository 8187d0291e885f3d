"""World-building helpers for the evaluations tests."""

from __future__ import annotations

from decimal import Decimal

from evaluations import services
from evaluations.enums import PeriodKind
from evaluations.models import EvaluationPeriod, Poll
from tests.world import make_member


def open_period(org, *, year: int = 2026, kind: str = PeriodKind.Q1) -> EvaluationPeriod:
    return services.period_create(organization=org, year=year, kind=kind)


def add_members(org, n: int, *, prefix: str = "成员") -> list:
    return [make_member(org, f"{prefix}{i}", phone=f"1380000{i:04d}") for i in range(n)]


def cast(poll: Poll, members, option_index: int = 0, n: int = 1) -> None:
    codes = services.poll_codes_generate(poll=poll, count=n)
    for code in codes:
        services.ballot_cast(poll=poll, code=code.code, choices={m.pk: option_index for m in members}, members=members)


def assess_all(period, by, score: str = "90") -> None:
    for member in services.period_members(period):
        services.assessment_save(period=period, member=member, score=Decimal(score), comment="表现良好", by=by)


def closed_period(world, *, org=None, kind=PeriodKind.Q1, year: int = 2026, votes: int = 0, score: str = "90"):
    """A period of branch A (default) closed with every member assessed."""
    org = org or world.branch_a
    period = open_period(org, year=year, kind=kind)
    members = list(services.period_members(period))
    if votes:
        poll = period.poll
        poll.minimum_ballots = min(poll.minimum_ballots, votes)
        poll.save()
        cast(poll, members, 0, votes)
    assess_all(period, world.user("branch_a_secretary") if org == world.branch_a else world.user("branch_b_secretary"), score)
    services.period_close(period=period, by=world.user("school_a_secretary"))
    period.refresh_from_db()
    return period
