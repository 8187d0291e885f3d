"""A new year from the last one: the city opens 2027 from the years page, the calendar moves on a year, and 2026
becomes read-only in every app (targets, posts, evaluations, reports) while its Annex exports still download.

The demo loader takes over a minute, so the year's data is the small test world with one record of each kind."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations.models import EvaluationPeriod, SelfEvaluation
from evaluations.services import self_evaluation_save
from posts.enums import Aspect
from posts.models import Commitment
from posts.services import commitment_create, post_claim
from reports.models import QuarterlyReport
from reports.services import quarterly_report_open, quarterly_report_update
from targets.models import TargetItem
from targets.services import item_update
from tests.posts_fixtures import make_post
from tests.targets_fixtures import make_item, make_plan
from years.models import CalendarWindow, WorkYear
from years.selectors import window_for
from years.services import window_set

pytestmark = pytest.mark.django_db
D = datetime.date
ARCHIVED = "2026年度已归档"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def year_2026(world):
    """One record of each app in 2026, the city's calendar and a school's narrowing, the year open."""
    moment = timezone.make_aware(datetime.datetime(2026, 12, 4, 10, 0))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        WorkYear.objects.create(year=2026)
        city, school = world.user("city_staff"), world.user("school_a_secretary")
        window_set(
            organization=world.city, year=2026, kind="q1", opens_on=D(2026, 3, 5), closes_on=D(2026, 4, 10), by=city
        )
        window_set(
            organization=world.city,
            year=2026,
            kind="report_q4",
            opens_on=D(2026, 10, 1),
            closes_on=D(2026, 12, 18),
            by=city,
        )
        window_set(
            organization=world.school_a,
            year=2026,
            kind="q1",
            opens_on=D(2026, 3, 8),
            closes_on=D(2026, 3, 31),
            by=school,
        )
        plan = make_plan(world.school_a, school)
        item = make_item(plan, school)
        post = make_post(world.branch_a, by=world.user("branch_a_secretary"), year=2026)
        claim = post_claim(post=post, member=world.member_a, by=world.user("member_a"))
        period = EvaluationPeriod.objects.create(
            organization=world.branch_a, year=2026, kind="year", opens_on=D(2026, 12, 1), closes_on=D(2026, 12, 31)
        )
        report = quarterly_report_open(organization=world.unit, year=2026, quarter=4, by=world.user("unit_staff"))
    return {"plan": plan, "item": item, "claim": claim, "period": period, "report": report}


def _open_2027(client):
    return client.post(reverse("years:open"), {"year": 2027})


def test_it_opens_2027_from_the_page_and_archives_2026(world, login, year_2026):
    client = login(world.user("city_staff"))
    page = client.get(reverse("years:index")).content.decode()
    assert "开启2027年度" in page
    r = _open_2027(client)
    assert r.status_code == 302
    assert WorkYear.objects.get(year=2026).is_archived and not WorkYear.objects.get(year=2027).is_archived
    # the calendar is copied with the dates moved one year on, narrowing included
    assert CalendarWindow.objects.filter(year=2027).count() == 3
    assert (window_for(world.branch_b, 2027, "q1").opens_on, window_for(world.branch_b, 2027, "q1").closes_on) == (
        D(2027, 3, 5),
        D(2027, 4, 10),
    )
    assert window_for(world.branch_a, 2027, "q1").closes_on == D(2027, 3, 31)
    assert window_for(world.unit, 2027, "report_q4").closes_on == D(2027, 12, 18)
    # the 2026 windows stay as they were
    assert window_for(world.branch_a, 2026, "q1").closes_on == D(2026, 3, 31)
    page = client.get(reverse("years:index")).content.decode()
    assert "已归档（只读）" in page and "开启2028年度" in page
    calendar = client.get(reverse("years:calendar", args=[world.city.pk]) + "?year=2026").content.decode()
    assert "已归档（只读）" in calendar and 'name="q1-opens_on"' not in calendar


def test_it_refuses_opening_a_year_to_anyone_but_city_staff_and_writes_nothing(world, login, year_2026):
    for user in ("county_a_staff", "school_a_secretary", "branch_a_secretary", "member_a"):
        r = _open_2027(login(world.user(user)))
        assert r.status_code == 403, user
    assert not WorkYear.objects.filter(year=2027).exists()
    assert not WorkYear.objects.get(year=2026).is_archived
    assert not CalendarWindow.objects.filter(year=2027).exists()


def test_it_refuses_skipping_a_year(world, login, year_2026):
    client = login(world.user("city_staff"))
    r = client.post(reverse("years:open"), {"year": 2028}, follow=True)
    assert "只能开启2027年度" in r.content.decode()
    assert not WorkYear.objects.filter(year=2028).exists() and not WorkYear.objects.get(year=2026).is_archived


def test_it_refuses_every_write_to_the_archived_year_and_writes_nothing(world, login, year_2026):
    _open_2027(login(world.user("city_staff")))
    item, claim, period, report = (year_2026[k] for k in ("item", "claim", "period", "report"))

    with pytest.raises(ValidationError) as exc:  # targets: an Annex 1 row
        item_update(item=item, expected_version=item.version, by=world.user("school_a_secretary"), content="改过的内容")
    assert ARCHIVED in str(exc.value)
    assert TargetItem.objects.get(pk=item.pk).content == item.content

    with pytest.raises(ValidationError) as exc:  # posts: a commitment
        commitment_create(
            claim=claim,
            aspect=Aspect.WORK,
            content="开设公开课两节",
            measurable_result="公开课 2 节",
            due_on=D(2026, 12, 31),
        )
    assert ARCHIVED in str(exc.value)
    assert not Commitment.objects.exists()

    with pytest.raises(ValidationError) as exc:  # evaluations: a self-evaluation
        self_evaluation_save(period=period, member=world.member_a, summary="全年述岗", score=Decimal("90"))
    assert ARCHIVED in str(exc.value)
    assert not SelfEvaluation.objects.exists()

    with pytest.raises(ValidationError) as exc:  # reports: the quarterly report
        quarterly_report_update(
            report=report, by=world.user("unit_staff"), expected_version=report.version, practices="新的做法"
        )
    assert ARCHIVED in str(exc.value)
    assert QuarterlyReport.objects.get(pk=report.pk).practices == report.practices

    # and the calendar of 2026 itself
    r = login(world.user("school_a_secretary")).post(
        reverse("years:calendar", args=[world.school_a.pk]) + "?year=2026",
        {"kind": "q1", "action": "clear"},
        follow=True,
    )
    assert ARCHIVED in r.content.decode()
    assert CalendarWindow.objects.filter(organization=world.school_a, year=2026).exists()


def test_it_still_downloads_the_archived_years_annexes(world, login, year_2026):
    _open_2027(login(world.user("city_staff")))
    client = login(world.user("school_a_secretary"))
    for name in ("reports:annex1_xlsx", "reports:annex2_xlsx"):
        r = client.get(reverse(name, args=[world.school_a.pk]) + "?year=2026")
        assert r.status_code == 200 and r["Content-Type"] == XLSX, name
    r = login(world.user("unit_staff")).get(reverse("reports:quarterly_xlsx", args=[year_2026["report"].pk]))
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    r = login(world.user("school_a_secretary")).get(reverse("reports:annexes", args=[world.school_a.pk]) + "?year=2026")
    assert r.status_code == 200


def test_it_takes_the_quarterly_due_date_from_the_calendar(world, year_2026):
    # the city set the fourth quarter's report to close on 18 December instead of the policy's 20th
    assert year_2026["report"].due_on == D(2026, 12, 18)
