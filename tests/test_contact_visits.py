"""Contact points at work: full visit records, the quarter's reminder for leaders without a visit, and the counts
on Annex 5 and the dashboard."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections import reminders
from organizations import services
from organizations.models import ContactVisit
from organizations.selectors import leaders_without_visit
from reports.figures import count_figures
from reports.work_figures import work_figures

TODAY = datetime.date.today()
QUARTER = (TODAY.month - 1) // 3 + 1


@pytest.fixture
def point_a(world):
    leader = services.leader_create(organization=world.county_a, name="甲领导", title="副书记")
    return services.contact_point_create(leader=leader, organization=world.school_a, since=datetime.date(TODAY.year, 1, 1))


def _visit(point, day=TODAY, **extra):
    fields = dict(guidance="指导六步工作法", difficulties="缺少场地", problems_solved="协调了场地", follow_up="下月回访")
    fields.update(extra)
    return services.contact_visit_log(contact_point=point, visited_on=day, **fields)


def test_a_visit_records_what_was_discussed_difficulties_solutions_and_follow_up(world, login, point_a):
    _visit(point_a)
    page = login(world.user("county_a_staff")).get(reverse("organizations:contact_point", args=[point_a.pk]))
    text = page.content.decode()
    assert "缺少场地" in text and "协调了场地" in text and "下月回访" in text


def test_a_visit_before_the_point_was_set_or_in_the_future_is_refused(world, point_a):
    with pytest.raises(ValidationError):
        _visit(point_a, day=datetime.date(TODAY.year - 1, 12, 31))
    with pytest.raises(ValidationError):
        _visit(point_a, day=TODAY + datetime.timedelta(days=1))
    assert not ContactVisit.objects.exists()


def test_a_crafted_visit_from_another_county_writes_nothing(world, login, point_a):
    data = {"visited_on": TODAY.isoformat(), "guidance": "x"}
    r = login(world.user("county_b_staff")).post(reverse("organizations:contact_point", args=[point_a.pk]), data)
    assert r.status_code == 404 and not ContactVisit.objects.exists()


def test_a_leader_without_a_visit_this_quarter_is_named_to_the_committee(world, point_a):
    start = datetime.date(TODAY.year, QUARTER * 3 - 2, 1)
    assert [x.name for x in leaders_without_visit(world.county_a.path, start, TODAY)] == ["甲领导"]
    last_day = reminders.quarter_bounds(TODAY)[1]
    due = list(reminders._contact_visits(last_day - datetime.timedelta(days=2)))
    assert [(r.organization_id, "甲领导" in r.body) for r in due] == [(world.county_a.pk, True)]
    _visit(point_a, day=start)
    assert not leaders_without_visit(world.county_a.path, start, TODAY).exists()
    assert not list(reminders._contact_visits(last_day - datetime.timedelta(days=2)))


def test_annex5_counts_a_contact_point_only_when_it_was_visited_this_year(world, point_a):
    values, _notes = count_figures(world.county_a, TODAY.year, QUARTER)
    assert values["contact_points"] == 0
    _visit(point_a)
    values, _notes = count_figures(world.county_a, TODAY.year, QUARTER)
    assert values["contact_points"] == 1
    assert work_figures(world.county_a, TODAY.year, QUARTER)["visits"] == 1
    assert work_figures(world.county_a, TODAY.year, QUARTER)["leaders_without_visit"] == 0


def test_the_dashboard_shows_visits_and_leaders_without_one(world, login, point_a):
    page = login(world.user("county_a_staff")).get(
        reverse("reports:dashboard") + f"?org={world.county_a.pk}&year={TODAY.year}&quarter={QUARTER}"
    )
    text = page.content.decode()
    assert 'id="work-no-visit">1<' in text and 'id="work-visits">0<' in text
