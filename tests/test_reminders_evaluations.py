"""Rating periods about to close and rectification deadlines."""

import datetime
import types

import pytest

from evaluations.models import EvaluationPeriod, Rating, Rectification, SelfEvaluation
from notifications.models import Notice
from tests.notifications_fixtures import sweep
from tests.world import make_member

CLOSES = datetime.date(2026, 3, 31)
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _only_evaluation_rules(monkeypatch, settings):
    import evaluations.reminders

    settings.REMINDER_OFFSETS = [7, 3, 1]
    # the rules alone, without their daily upkeep (periods opening with the calendar: tests/test_evaluations_windows.py)
    rules = types.SimpleNamespace(due=evaluations.reminders.due, __name__="evaluations.reminders")
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter([rules]))


@pytest.fixture
def period(world):
    return EvaluationPeriod.objects.create(
        organization=world.school_a, year=2026, kind="q1", opens_on=datetime.date(2026, 3, 1), closes_on=CLOSES
    )


def _subjects(user):
    return list(Notice.objects.filter(recipient=user).order_by("pk").values_list("subject", flat=True))


def _days(user, first, last):
    got, day = [], first
    while day <= last:
        before = Notice.objects.filter(recipient=user).count()
        sweep(day)
        if Notice.objects.filter(recipient=user).count() > before:
            got.append((day - CLOSES).days)
        day += ONE_DAY
    return got


def test_it_reminds_members_without_a_self_evaluation_before_the_period_closes(world, period):
    assert _days(world.user("member_a"), CLOSES - 10 * ONE_DAY, CLOSES + 5 * ONE_DAY) == [-7, -3, -1]
    first = _subjects(world.user("member_a"))[0]
    assert "述岗自评" in first and "还有7天截止" in first


def test_it_stops_once_the_member_has_written_it(world, period):
    sweep(CLOSES - 7 * ONE_DAY)
    SelfEvaluation.objects.create(period=period, member=world.member_a, summary="完成了承诺", score=90)
    sweep(CLOSES - 3 * ONE_DAY)
    assert len(_subjects(world.user("member_a"))) == 1


def test_it_reminds_the_secretary_of_assessments_to_do(world, period):
    make_member(world.branch_a, "甲成员二", phone="13900000011")
    sweep(CLOSES - 7 * ONE_DAY)
    [subject] = _subjects(world.user("school_a_secretary"))
    assert "2人" in subject and "还有7天截止" in subject


def test_it_leaves_other_subtrees_and_closed_periods_alone(world, period):
    EvaluationPeriod.objects.create(
        organization=world.school_b, year=2026, kind="q1", opens_on=datetime.date(2026, 3, 1), closes_on=CLOSES,
        state="closed",
    )
    sweep(CLOSES - 7 * ONE_DAY)
    for name in ["member_b", "school_b_secretary", "branch_b_secretary", "unit_staff", "city_staff"]:
        assert _subjects(world.user(name)) == [], name


@pytest.fixture
def rectification(world, period):
    rating = Rating.objects.create(period=period, member=world.member_a, weighted_score=40, grade="poor")
    return Rectification.objects.create(
        rating=rating, member=world.member_a, organization=world.branch_a, meeting_on=datetime.date(2026, 4, 10),
        meeting_text="在党员大会上作了说明", deadline=datetime.date(2026, 6, 30), opened_by=world.user("branch_a_secretary"),
    )


def test_it_reminds_of_a_rectification_deadline_and_the_secretary_once_after(world, rectification):
    deadline = rectification.deadline
    member = world.user("member_a")
    got, day = [], deadline - 10 * ONE_DAY
    while day <= deadline + 10 * ONE_DAY:
        before = Notice.objects.filter(recipient=member).count()
        sweep(day)
        if Notice.objects.filter(recipient=member).count() > before:
            got.append((day - deadline).days)
        day += ONE_DAY
    assert got == [-7, -3, -1]
    to_secretary = _subjects(world.user("branch_a_secretary"))
    assert len(to_secretary) == 4 and "逾期" in to_secretary[-1]


def test_it_forgets_a_closed_rectification(world, rectification):
    Rectification.objects.filter(pk=rectification.pk).update(state="closed")
    assert sweep(rectification.deadline - 3 * ONE_DAY).due == 0
