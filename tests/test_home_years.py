"""Words that stay true: in December, with next year's plan already made and published and next year opened, the
year selectors still default to the current year, and the public page shows this year's goals until 1 January."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from targets.models import AnnualPlan, Publication
from tests.evaluations_fixtures import on_day
from years.models import WorkYear

pytestmark = pytest.mark.django_db
DECEMBER = datetime.date(2026, 12, 15)


@pytest.fixture
def next_year_ready(world):
    WorkYear.objects.get_or_create(year=2026)
    WorkYear.objects.get_or_create(year=2027)
    for year, goal in ((2026, "二〇二六年目标：建成党员活动室"), (2027, "二〇二七年目标：创建市级先进基层党组织")):
        plan = AnnualPlan.objects.create(organization=world.school_a, year=year, theme="organization_building")
        Publication.objects.create(
            plan=plan, audience="society", published_on=datetime.date(2026, 12, 10 if year == 2027 else 1),
            snapshot={"year": year, "theme": "基层组织工作建设年", "items": [{"content": goal, "deadline": f"{year}-12-31"}]},
            item_count=1,
        )
    return world


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_reports_year_selector_defaults_to_this_year_in_december(client, next_year_ready):
    w = next_year_ready
    with on_day(DECEMBER):
        body = _get(client, w.user("school_a_secretary"), reverse("reports:annexes", args=[w.school_a.pk]))
    assert re.search(r'<option value="2026" selected>', body)
    assert not re.search(r'<option value="2027" selected>', body)
    assert "2026年 · " in body


def test_other_year_selectors_default_to_this_year_in_december(client, next_year_ready):
    w = next_year_ready
    sec = w.user("school_a_secretary")
    with on_day(DECEMBER):
        calendar = _get(client, sec, reverse("years:calendar", args=[w.school_a.pk]))
        progress = _get(client, sec, reverse("reports:calendar_progress", args=[w.school_a.pk]))
        posts = _get(client, sec, reverse("posts:org_posts", args=[w.school_a.pk]))
    assert "2026年度日历" in calendar and "2027年度日历" not in calendar
    assert "2026年度考评进度" in progress
    assert 'value="2026"' in posts


@pytest.mark.parametrize(
    ("day", "shown", "hidden"),
    [
        (DECEMBER, "二〇二六年目标", "二〇二七年目标"),
        (datetime.date(2026, 12, 31), "二〇二六年目标", "二〇二七年目标"),
        (datetime.date(2027, 1, 1), "二〇二七年目标", "二〇二六年目标"),
    ],
)
def test_the_public_page_shows_this_years_goals_until_1_january(client, next_year_ready, day, shown, hidden):
    with on_day(day):
        body = client.get(reverse("targets:public", args=[next_year_ready.school_a.pk])).content.decode()
    assert shown in body and hidden not in body


def test_the_public_page_shows_next_years_goals_when_nothing_of_this_year_is_public(client, world):
    plan = AnnualPlan.objects.create(organization=world.school_a, year=2027, theme="organization_building")
    Publication.objects.create(plan=plan, audience="society", published_on=datetime.date(2026, 12, 10),
                               snapshot={"year": 2027, "items": [{"content": "二〇二七年目标", "deadline": "2027-12-31"}]},
                               item_count=1)
    with on_day(DECEMBER):
        body = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    assert "二〇二七年目标" in body
