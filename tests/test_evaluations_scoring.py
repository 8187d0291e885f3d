import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations import services
from evaluations.enums import Grade, PeriodKind, calendar_dates
from evaluations.models import EvaluationSettings, Rating, SelfEvaluation
from tests.evaluations_fixtures import (  # noqa: F401 (evaluation_today: autouse)
    FROZEN_TODAY,
    assess_all,
    cast,
    evaluation_today,
    excuse_missing,
    open_period,
)

D = Decimal
THRESHOLDS = {"excellent": "90", "good": "80", "fair": "60"}
UNTIL = FROZEN_TODAY + datetime.timedelta(days=7)  # a reopening runs until a day (required)


def test_it_weights_the_three_parts_20_30_50():
    # 80×20 + 90×30 + 95×50 = 1600 + 2700 + 4750 = 9050 → 90.50
    score = services.weighted_score({"self": D("80"), "poll": D("90"), "org": D("95")}, {"self": 20, "poll": 30, "org": 50})
    assert score == D("90.50")
    assert services.grade_for(score, THRESHOLDS) == Grade.EXCELLENT


def test_it_maps_scores_to_grades_at_the_lines():
    assert services.grade_for(D("90"), THRESHOLDS) == Grade.EXCELLENT
    assert services.grade_for(D("89.99"), THRESHOLDS) == Grade.GOOD
    assert services.grade_for(D("80"), THRESHOLDS) == Grade.GOOD
    assert services.grade_for(D("60"), THRESHOLDS) == Grade.FAIR
    assert services.grade_for(D("59.99"), THRESHOLDS) == Grade.POOR


def test_it_scales_up_the_other_weights_when_the_poll_is_absent():
    # (70×20 + 85×50) / 70 = (1400 + 4250) / 70 = 80.714… → 80.71
    score = services.weighted_score({"self": D("70"), "poll": None, "org": D("85")}, {"self": 20, "poll": 30, "org": 50})
    assert score == D("80.71")


def test_it_places_periods_on_the_calendar():
    # the policy's defaults: the last month of each quarter (一季一评 in March … 年终总评 in December)
    dates = {kind: tuple(d.isoformat() for d in calendar_dates(2026, kind)) for kind in PeriodKind}
    assert dates == {
        PeriodKind.Q1: ("2026-03-01", "2026-03-31"),
        PeriodKind.H1: ("2026-06-01", "2026-06-30"),
        PeriodKind.Q3: ("2026-09-01", "2026-09-30"),
        PeriodKind.YEAR: ("2026-12-01", "2026-12-31"),
    }
    assert calendar_dates(2028, PeriodKind.Q1) == (datetime.date(2028, 3, 1), datetime.date(2028, 3, 31))  # leap year


@pytest.mark.django_db
def test_it_refuses_weights_that_do_not_sum_to_100(world):
    with pytest.raises(ValidationError) as e:
        services.settings_save(organization=world.branch_a, weight_self=30, weight_poll=30, weight_org=30)
    assert "100" in str(e.value)
    assert not EvaluationSettings.objects.exists()


@pytest.mark.django_db
def test_it_computes_a_closed_period_from_known_inputs(world):
    period = open_period(world.branch_a)
    member = world.member_a
    services.self_evaluation_save(period=period, member=member, summary="完成承诺", score=D("80"))
    poll = period.poll
    poll.minimum_ballots = 4
    poll.save()
    # two 好 (100) and two 较好 (85): average 92.5
    cast(poll, [member], 0, 2)
    cast(poll, [member], 1, 2)
    assess_all(period, world.user("branch_a_secretary"), score="95")
    services.period_close(period=period, by=world.user("branch_a_secretary"))
    rating = Rating.objects.get(period=period, member=member)
    # 80×0.2 + 92.5×0.3 + 95×0.5 = 16 + 27.75 + 47.5 = 91.25
    assert (rating.self_score, rating.poll_score, rating.org_score) == (D("80"), D("92.50"), D("95"))
    assert rating.weighted_score == D("91.25")
    assert rating.grade == Grade.EXCELLENT
    assert rating.published
    assert rating.snapshot["weights"] == {"self": 20, "poll": 30, "org": 50}
    assert rating.snapshot["parts"]["poll"] == "92.50"


@pytest.mark.django_db
def test_it_keeps_the_snapshot_when_weights_change_later(world):
    period = open_period(world.branch_a)
    services.self_evaluation_save(period=period, member=world.member_a, summary="完成承诺", score=D("60"))
    assess_all(period, world.user("branch_a_secretary"), score="100")
    services.period_close(period=period, by=world.user("branch_a_secretary"))
    before = Rating.objects.get(period=period, member=world.member_a)
    services.settings_save(
        organization=world.branch_a, weight_self=50, weight_poll=0, weight_org=50, threshold_excellent=D("95")
    )
    after = Rating.objects.get(pk=before.pk)
    assert after.weighted_score == before.weighted_score
    assert after.snapshot == before.snapshot
    assert after.snapshot["thresholds"]["excellent"] == "90"


@pytest.mark.django_db
def test_it_refuses_writes_to_a_closed_period(world):
    period = open_period(world.branch_a)
    assess_all(period, world.user("branch_a_secretary"))
    excuse_missing(period, world.user("branch_a_secretary"))
    services.period_close(period=period, by=world.user("branch_a_secretary"))
    period.refresh_from_db()
    with pytest.raises(ValidationError, match="已结束"):
        services.self_evaluation_save(period=period, member=world.member_a, summary="迟交", score=D("90"))
    with pytest.raises(ValidationError, match="已结束"):
        services.assessment_save(period=period, member=world.member_a, score=D("50"), comment="改", by=world.user("branch_a_secretary"))
    with pytest.raises(ValidationError, match="已结束"):
        services.poll_codes_generate(poll=period.poll, count=3)
    assert not SelfEvaluation.objects.filter(period=period).exists()


@pytest.mark.django_db
def test_it_records_a_reopening_with_its_reason(world):
    period = open_period(world.branch_a)
    assess_all(period, world.user("branch_a_secretary"))
    excuse_missing(period, world.user("branch_a_secretary"))
    services.period_close(period=period, by=world.user("branch_a_secretary"))
    with pytest.raises(ValidationError):
        services.period_reopen(period=period, by=world.user("branch_a_secretary"), reason=" ", until=UNTIL)
    services.period_reopen(period=period, by=world.user("branch_a_secretary"), reason="评定分数录入有误", until=UNTIL)
    period.refresh_from_db()
    assert period.is_open
    assert period.reopenings.get().reason == "评定分数录入有误"
    assert not Rating.objects.filter(period=period, published=True).exists()


@pytest.mark.django_db
def test_it_refuses_to_close_before_every_member_is_assessed(world):
    period = open_period(world.branch_a)
    with pytest.raises(ValidationError, match="甲成员"):
        services.period_close(period=period, by=world.user("branch_a_secretary"))


@pytest.mark.django_db
def test_it_refuses_a_stale_assessment(world):
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    a = services.assessment_save(period=period, member=world.member_a, score=D("80"), comment="一", by=sec)
    services.assessment_save(period=period, member=world.member_a, score=D("85"), comment="二", by=sec, version=a.version)
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.assessment_save(period=period, member=world.member_a, score=D("70"), comment="三", by=sec, version=a.version)
    a.refresh_from_db()
    assert (a.score, a.comment, a.version) == (D("85"), "二", 2)


part = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=200, deadline=None)
@given(part, part, part, st.integers(0, 100), st.integers(0, 100))
def test_it_always_lands_between_the_lowest_and_highest_part(a, b, c, w1, w2):
    if w1 + w2 > 100:
        w1, w2 = w1 // 2, w2 // 2
    weights = {"self": w1, "poll": w2, "org": 100 - w1 - w2}
    score = services.weighted_score({"self": a, "poll": b, "org": c}, weights)
    used = [v for k, v in {"self": a, "poll": b, "org": c}.items() if weights[k]]
    assert min(used) - D("0.01") <= score <= max(used) + D("0.01")
    assert services.grade_for(score, THRESHOLDS) in set(Grade)


@pytest.mark.django_db
def test_it_recomputes_only_when_a_reopened_period_closes_again(world):
    sec = world.user("branch_a_secretary")
    period = open_period(world.branch_a)
    assess_all(period, sec, score="70")
    excuse_missing(period, sec)
    services.period_close(period=period, by=sec)
    services.period_reopen(period=period, by=sec, reason="综合评定录入错误", until=UNTIL)
    services.assessment_save(period=period, member=world.member_a, score=D("98"), comment="更正", by=sec)
    services.period_close(period=period, by=sec)
    rating = Rating.objects.get(period=period)
    assert rating.org_score == D("98") and rating.published and rating.version == 3
    assert rating.history.count() >= 3


@pytest.mark.django_db
def test_it_keeps_earlier_periods_closed_once_the_year_end_is_closed(world):
    sec = world.user("branch_a_secretary")
    q1 = open_period(world.branch_a)
    year = open_period(world.branch_a, kind=PeriodKind.YEAR)
    for p in (q1, year):
        assess_all(p, sec)
        excuse_missing(p, sec)
        services.period_close(period=p, by=sec)
    with pytest.raises(ValidationError, match="年终总评已结束"):
        services.period_reopen(period=q1, by=sec, reason="补录", until=UNTIL)
