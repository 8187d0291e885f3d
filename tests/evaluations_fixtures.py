"""World-building helpers for the evaluations tests."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from evaluations import services
from evaluations.enums import PeriodKind
from evaluations.models import EvaluationPeriod, Poll
from organizations.models import Organization
from tests.world import make_member

# The day the evaluations tests live on (a module opts in by importing `evaluation_today`): inside the policy's Q1
# window (1–31 March), so a Q1 period keeps its default dates.
FROZEN_TODAY = datetime.date(2026, 3, 16)


@contextmanager
def on_day(day: datetime.date, hour: int = 10):
    """Make `timezone.now()` (and so `timezone.localdate()`) that day in Asia/Shanghai."""
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


@pytest.fixture(autouse=True)
def evaluation_today():
    """Autouse in every module that imports it: the test runs on FROZEN_TODAY."""
    with on_day(FROZEN_TODAY):
        yield FROZEN_TODAY


def window_around_today(org, *, year: int = 2026, kind: str = PeriodKind.Q1) -> None:
    """The city committee's window of that kind, stretched (if needed) to take in today, so that a test can write to
    a period of any kind on the day it runs on. Nothing changes when the window in force already contains today."""
    from years.selectors import window_for
    from years.services import window_set

    today = timezone.localdate()
    window = window_for(org, year, kind)
    if window.contains(today) or today.year != year:
        return
    root = Organization.objects.get(path=org.path[: Organization.steplen])
    window_set(organization=root, year=year, kind=kind, opens_on=min(window.opens_on, today),
               closes_on=max(window.closes_on, today), by=None)


def open_period(org, *, year: int = 2026, kind: str = PeriodKind.Q1) -> EvaluationPeriod:
    """The period of a window containing today (see window_around_today), as the sweep opens it."""
    window_around_today(org, year=year, kind=kind)
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


def excuse_missing(period, by, *, reason: str = "sick", note: str = "") -> int:
    """Mark every part still missing in the period 未参加 (病假 by default), as the secretary does before closing.
    Returns how many parts were marked."""
    n = 0
    for state in services.period_parts(period):
        for part in state.missing:
            services.absence_mark(period=period, member=state.member, part=part, reason=reason, note=note, by=by)
            n += 1
    return n


def closed_period(world, *, org=None, kind=PeriodKind.Q1, year: int = 2026, votes: int = 0, score: str = "90"):
    """A period of branch A (default) closed with every member assessed; members without a self-evaluation are
    marked 未参加 (病假), so their grade is the weighted rest."""
    org = org or world.branch_a
    period = open_period(org, year=year, kind=kind)
    members = list(services.period_members(period))
    if votes:
        poll = period.poll
        poll.minimum_ballots = min(poll.minimum_ballots, votes)
        poll.save()
        cast(poll, members, 0, votes)
    assess_all(period, world.user("branch_a_secretary") if org == world.branch_a else world.user("branch_b_secretary"), score)
    excuse_missing(period, world.user("school_a_secretary"))
    services.period_close(period=period, by=world.user("school_a_secretary"))
    period.refresh_from_db()
    return period


def b_objects(w) -> dict:
    """Evaluation objects of subtree B for the access matrix (built once per world)."""
    if "evaluations" in w.extra:
        return w.extra["evaluations"]
    with on_day(FROZEN_TODAY):
        return _b_objects(w)


def _b_objects(w) -> dict:
    from evaluations.enums import AwardLevel, AwardTitle
    from evaluations.models import ReserveCadreProposal

    sec = w.user("branch_b_secretary")
    period = open_period(w.branch_b, kind=PeriodKind.Q1)
    code = services.poll_codes_generate(poll=period.poll, count=2)[0]
    other_poll = open_period(w.branch_a, kind=PeriodKind.Q3).poll
    foreign_code = services.poll_codes_generate(poll=other_poll, count=1)[0]
    closed = open_period(w.branch_b, kind=PeriodKind.H1)
    services.assessment_save(period=closed, member=w.member_b, score=Decimal("30"), comment="较差", by=sec)
    excuse_missing(closed, sec)
    services.period_close(period=closed, by=sec)
    rating = closed.ratings.get(member=w.member_b)
    rect = services.rectification_open(
        rating=rating, meeting_on=datetime.date(2026, 7, 5), meeting_text="在党员大会上说明",
        deadline=datetime.date(2026, 9, 30), by=sec,
    )
    today = timezone.localdate()
    rnd = services.award_round_create(
        organization=w.school_b, by=w.user("school_b_secretary"), year=2026, title=AwardTitle.EXCELLENT_MEMBER,
        level=AwardLevel.SCHOOL, submit_from=today, submit_until=today, review_until=today, quota=2,
    )
    # member B, rated 较差 and under rectification, may not be nominated: a colleague of the same branch is
    nominee = make_member(w.branch_b, "乙成员二", phone="13900000022")
    nomination = services.nomination_submit(round=rnd, member=nominee, deeds="乙成员事迹", by=sec)
    proposal = ReserveCadreProposal.objects.create(member=w.member_b, year=2026, reason="乙成员年轻有为", proposed_by=sec)
    w.extra["evaluations"] = {
        "period": period, "closed": closed, "code": code, "foreign_code": foreign_code, "rating": rating, "rect": rect, "round": rnd,
        "nomination": nomination, "proposal": proposal,
    }
    return w.extra["evaluations"]


def approved_commitment(member, *, year: int = 2026, content: str = "每周开展一次学困生辅导"):
    import datetime

    from posts.models import Commitment, Post, PostClaim

    post, _ = Post.objects.get_or_create(
        organization=member.organization, year=year, name="教学先锋岗", defaults={"duties": "带头上好示范课"}
    )
    claim, _ = PostClaim.objects.get_or_create(post=post, member=member)
    return Commitment.objects.create(
        claim=claim, aspect="work", content=content, measurable_result="学困生及格率提高10%",
        due_on=datetime.date(year, 6, 30), state="approved",
    )
