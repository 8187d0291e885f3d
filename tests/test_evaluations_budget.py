"""Query budgets: period pages stay flat from 10 to 200 members."""

import pytest
from django.urls import reverse

from evaluations.enums import PeriodKind
from evaluations.models import Assessment, EvaluationPeriod, Rating, SelfEvaluation
from organizations.models import Member
from tests.budget import assert_flat_queries
from tests.evaluations_fixtures import closed_period, evaluation_today, open_period  # noqa: F401 (evaluation_today: autouse)
from tests.world import make_member

pytestmark = pytest.mark.django_db


def _grow(world, periods):
    def grow_to(n):
        have = Member.objects.filter(organization=world.branch_a).count()
        for i in range(have, n):
            m = make_member(world.branch_a, f"成员{i:03d}", phone=f"1370000{i:04d}")
            for p in periods:
                SelfEvaluation.objects.create(period=p, member=m, summary="总结", score=80)
                Assessment.objects.create(period=p, member=m, score=85, comment="好", by=world.user("branch_a_secretary"))
                if not p.is_open:
                    Rating.objects.create(period=p, member=m, self_score=80, org_score=85, weighted_score=84,
                                          grade="good", snapshot={}, published=True)

    return grow_to


def test_it_keeps_the_period_page_flat(world, login):
    period = open_period(world.branch_a)
    client = login(world.user("branch_a_secretary"))
    n = assert_flat_queries(client, period.get_absolute_url(), grow_to=_grow(world, [period]), budget=22)
    print(f"period page: {n} queries")


def test_it_keeps_the_closed_period_page_flat(world, login):
    period = closed_period(world)
    client = login(world.user("school_a_secretary"))
    assert_flat_queries(client, period.get_absolute_url(), grow_to=_grow(world, [period]), budget=22)


def test_it_keeps_the_period_list_flat(world, login):
    client = login(world.user("branch_a_secretary"))

    def grow_to(n):
        for year in range(1950, 1950 + n // 4 + 1):  # past years: today's sweep leaves them alone
            for kind in PeriodKind.values:
                if EvaluationPeriod.objects.filter(organization=world.branch_a).count() < n:
                    EvaluationPeriod.objects.get_or_create(
                        organization=world.branch_a, year=year, kind=kind,
                        defaults={"opens_on": f"{year}-01-01", "closes_on": f"{year}-12-31"},
                    )

    # 12 for the list, and the same check as the daily sweep on each read (periods open with the calendar)
    assert_flat_queries(client, reverse("evaluations:org_periods", args=[world.branch_a.pk]), grow_to=grow_to, budget=16)


def test_it_keeps_the_year_end_page_flat(world, login):
    periods = [closed_period(world, kind=k) for k in (PeriodKind.Q1, PeriodKind.H1)]
    client = login(world.user("branch_a_secretary"))
    url = reverse("evaluations:year_end", args=[world.branch_a.pk, 2026])
    # + the 民主评议 form: the year-end period and its window, 已记录 n / total, and who may not be judged here
    assert_flat_queries(client, url, grow_to=_grow(world, periods), budget=16)


def test_it_keeps_the_members_results_page_small(world, login):
    for k in PeriodKind.values:
        closed_period(world, kind=k)
    client = login(world.user("member_a"))
    from tests.budget import count_queries

    n, _sql = count_queries(client, reverse("evaluations:my_results"))
    assert n <= 14


def test_it_keeps_the_batch_assessment_page_flat(world, login):
    period = open_period(world.branch_a)
    client = login(world.user("branch_a_secretary"))
    url = reverse("evaluations:assess_batch", args=[period.pk])
    assert_flat_queries(client, url, grow_to=_grow(world, [period]), budget=14)
