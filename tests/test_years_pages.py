"""The year's calendar pages: the city sets the year up in one form, schools narrow a window, branches read it;
and the rating progress along the calendar (reports:calendar_progress)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Assessment, EvaluationPeriod, Poll, PollCode, SelfEvaluation
from organizations.enums import OrgKind
from organizations.services import organization_create
from tests.budget import assert_flat_queries
from tests.world import make_member
from years.enums import WindowKind, default_dates
from years.models import CalendarWindow, WorkYear
from years.selectors import window_for
from years.services import window_set

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2026


def _today(day: datetime.date):
    moment = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10, 0))
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _url(org, year=YEAR) -> str:
    return f"{reverse('years:calendar', args=[org.pk])}?year={year}"


def _full_calendar(**changes) -> dict:
    data = {}
    for kind in WindowKind:
        opens, closes = default_dates(YEAR, kind)
        data[f"{kind.value}-opens_on"] = opens.isoformat()
        data[f"{kind.value}-closes_on"] = closes.isoformat()
    data.update(changes)
    return data


# ---- the city sets the year up ------------------------------------------------------------------------------------


def test_it_prefills_the_citys_form_with_the_policys_dates(world, login):
    r = login(world.user("city_staff")).get(_url(world.city))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'name="q1-opens_on"' in body and 'value="2026-03-01"' in body
    assert 'name="report_q2-closes_on"' in body and 'value="2026-06-20"' in body


def test_it_lets_the_city_set_up_the_whole_year_in_one_form(world, login):
    client = login(world.user("city_staff"))
    data = _full_calendar(
        **{"q1-opens_on": "2026-03-05", "q1-closes_on": "2026-04-10", "report_q3-closes_on": "2026-09-15"}
    )
    r = client.post(_url(world.city), data)
    assert r.status_code == 302
    assert CalendarWindow.objects.filter(organization=world.city, year=YEAR).count() == 8
    assert window_for(world.branch_b, YEAR, "q1").closes_on == D(2026, 4, 10)
    assert window_for(world.unit, YEAR, WindowKind.REPORT_Q3).closes_on == D(2026, 9, 15)
    # the saved values come back in the form
    assert 'value="2026-04-10"' in client.get(_url(world.city)).content.decode()


def test_it_shows_the_error_next_to_the_field_and_writes_nothing(world, login):
    client = login(world.user("city_staff"))
    data = _full_calendar(**{"q1-opens_on": "2026-03-05", "h1-opens_on": "2026-06-20", "h1-closes_on": "2026-06-01"})
    r = client.post(_url(world.city), data)
    assert r.status_code == 400
    body = r.content.decode()
    assert "截止日期不能早于开始日期" in body
    # crispy puts the message right under the h1 close-date input
    at_field = body.index('name="h1-closes_on"')
    assert body.index("截止日期不能早于开始日期") > at_field
    assert body.index("截止日期不能早于开始日期") < body.index('name="q3-opens_on"')
    assert not CalendarWindow.objects.exists()


def test_it_refuses_a_date_that_does_not_parse_with_a_chinese_message(world, login):
    r = login(world.user("city_staff")).post(_url(world.city), _full_calendar(**{"year-closes_on": "31/12"}))
    assert r.status_code == 400
    assert "日期格式不正确" in r.content.decode()
    assert not CalendarWindow.objects.exists()


# ---- narrowing below the city --------------------------------------------------------------------------------------


def test_it_lets_a_school_narrow_a_window_inside_the_parents(world, login):
    window_set(
        organization=world.city,
        year=YEAR,
        kind="q1",
        opens_on=D(2026, 3, 5),
        closes_on=D(2026, 4, 10),
        by=world.user("city_staff"),
    )
    client = login(world.user("school_a_secretary"))
    body = client.get(_url(world.school_a)).content.decode()
    assert "须在上级时间2026年3月5日至2026年4月10日之内" in body
    r = client.post(
        _url(world.school_a), {"kind": "q1", "action": "set", "q1-opens_on": "2026-03-10", "q1-closes_on": "2026-04-01"}
    )
    assert r.status_code == 302
    w = window_for(world.branch_a, YEAR, "q1")
    assert (w.opens_on, w.closes_on, w.set_by) == (D(2026, 3, 10), D(2026, 4, 1), world.school_a.name)
    assert window_for(world.branch_b, YEAR, "q1").closes_on == D(2026, 4, 10)
    # and removes its narrowing again
    r = client.post(_url(world.school_a), {"kind": "q1", "action": "clear"})
    assert r.status_code == 302
    assert not CalendarWindow.objects.filter(organization=world.school_a).exists()
    assert window_for(world.branch_a, YEAR, "q1").closes_on == D(2026, 4, 10)


def test_it_refuses_widening_with_the_message_next_to_the_field(world, login):
    client = login(world.user("county_a_staff"))
    r = client.post(
        _url(world.county_a), {"kind": "h1", "action": "set", "h1-opens_on": "2026-06-01", "h1-closes_on": "2026-07-15"}
    )
    assert r.status_code == 400
    body = r.content.decode()
    message = "只能在上级设定的时间内缩短，不能放宽"
    assert message in body
    row = body[body.index('id="window-h1"') : body.index('id="window-q3"')]
    assert message in row and row.index(message) > row.index('name="h1-closes_on"')
    assert not CalendarWindow.objects.exists()


def test_it_shows_a_branch_the_windows_in_force_read_only(world, login):
    window_set(
        organization=world.school_a,
        year=YEAR,
        kind="q3",
        opens_on=D(2026, 9, 5),
        closes_on=D(2026, 9, 25),
        by=world.user("school_a_secretary"),
    )
    for user in ("branch_a_secretary", "member_a"):
        r = login(world.user(user)).get(_url(world.branch_a))
        assert r.status_code == 200, user
        body = r.content.decode()
        assert "2026年9月25日" in body and world.school_a.name in body
        assert 'name="q3-opens_on"' not in body  # no form


def test_it_refuses_a_branch_secretarys_crafted_posts_and_writes_nothing(world, login):
    client = login(world.user("branch_a_secretary"))
    # the city's calendar lies outside the branch's subtree: it does not exist for them
    r = client.post(_url(world.city), _full_calendar(**{"q1-closes_on": "2026-12-31"}))
    assert r.status_code == 404
    # its own branch: seen, but a branch reads the calendar, it does not set it
    r = client.post(
        _url(world.branch_a), {"kind": "q1", "action": "set", "q1-opens_on": "2026-03-10", "q1-closes_on": "2026-03-20"}
    )
    assert r.status_code == 403
    assert not CalendarWindow.objects.exists()


def test_it_refuses_a_county_the_citys_form(world, login):
    r = login(world.user("county_a_staff")).post(_url(world.city), _full_calendar())
    assert r.status_code == 404
    assert not CalendarWindow.objects.exists()


def test_it_hides_a_sibling_subtrees_calendar(world, login):
    for user, org in [
        ("school_a_secretary", world.school_b),
        ("county_a_staff", world.county_b),
        ("member_a", world.branch_b),
        ("member_a", world.school_a),
    ]:
        r = login(world.user(user)).get(_url(org))
        assert r.status_code == 404, (user, org)


def test_it_shows_the_archived_year_read_only(world, login):
    WorkYear.objects.create(year=2025, state="archived")
    client = login(world.user("city_staff"))
    r = client.get(_url(world.city, 2025))
    body = r.content.decode()
    assert "已归档（只读）" in body and 'name="q1-opens_on"' not in body
    r = client.post(_url(world.city, 2025), _full_calendar())
    assert r.status_code == 400 and "2025年度已归档" in r.content.decode()
    assert not CalendarWindow.objects.exists()
    index = client.get(reverse("years:index")).content.decode()
    assert "2025" in index and "已归档（只读）" in index


# ---- the progress page ---------------------------------------------------------------------------------------------


def _period(org, kind, *, state="open"):
    opens, closes = default_dates(YEAR, kind)
    return EvaluationPeriod.objects.create(
        organization=org, year=YEAR, kind=kind, opens_on=opens, closes_on=closes, state=state
    )


def test_it_counts_the_rating_progress_per_child_and_names_who_is_late(world, login):
    a1, a2 = world.member_a, make_member(world.branch_a, "甲成员二", phone="13900000011")
    make_member(world.branch_b, "乙成员二", phone="13900000012")
    q1 = _period(world.branch_a, "q1")
    SelfEvaluation.objects.create(period=q1, member=a1, summary="总结", score=80)
    Assessment.objects.create(period=q1, member=a1, score=85, comment="好", by=world.user("branch_a_secretary"))
    Assessment.objects.create(period=q1, member=a2, score=85, comment="好", by=world.user("branch_a_secretary"))
    PollCode.objects.create(poll=Poll.objects.get_or_create(period=q1)[0], used=True)  # one ballot cast
    _period(world.branch_b, "q1", state="closed")
    client = login(world.user("city_staff"))
    with _today(D(2026, 5, 10)):
        r = client.get(reverse("reports:calendar_progress", args=[world.city.pk]) + "?year=2026")
    assert r.status_code == 200
    body = r.content.decode()
    q1_section = body[body.index('data-testid="window-q1"') : body.index('data-testid="window-h1"')]
    rows = q1_section.split('data-testid="row"')[1:]
    county_a_row = next(row for row in rows if world.county_a.name in row)
    county_b_row = next(row for row in rows if world.county_b.name in row)
    unit_row = next(row for row in rows if world.unit.name in row)
    cells = lambda row: [c.split("</td>")[0].strip() for c in row.split("<td>")[2:]]  # noqa: E731
    # grassroots, opened, closed, self, polls, assessments, late
    assert cells(county_a_row)[:6] == ["2", "1", "0", "1 / 2", "1 / 1", "2 / 2"]
    assert cells(county_b_row)[:6] == ["2", "1", "1", "0 / 2", "0 / 1", "0 / 2"]
    assert cells(unit_row)[:6] == ["1", "0", "0", "0 / 0", "0 / 0", "0 / 0"]
    assert reverse("reports:calendar_progress", args=[world.county_a.pk]) in county_a_row
    assert reverse("years:calendar", args=[world.county_a.pk]) in county_a_row
    late = q1_section.split('data-testid="late"')[1:]
    late_names = {
        n
        for row in late
        for n in (
            world.branch_a.name,
            world.school_a.name,
            world.unit_branch.name,
            world.school_b.name,
            world.branch_b.name,
        )
        if n in row
    }
    # branch A's period is still open after 31 March; school A, school B and the unit's branch never opened one
    assert late_names == {world.branch_a.name, world.school_a.name, world.school_b.name, world.unit_branch.name}
    assert reverse("evaluations:period_detail", args=[q1.pk]) in q1_section
    # H1 has not closed yet: nobody is late
    h1_section = body[body.index('data-testid="window-h1"') : body.index('data-testid="window-q3"')]
    assert 'data-testid="late"' not in h1_section


def test_it_follows_a_narrowed_window_for_lateness(world, login):
    window_set(
        organization=world.school_a,
        year=YEAR,
        kind="h1",
        opens_on=D(2026, 6, 1),
        closes_on=D(2026, 6, 10),
        by=world.user("school_a_secretary"),
    )
    client = login(world.user("county_a_staff"))
    with _today(D(2026, 6, 15)):
        body = client.get(
            reverse("reports:calendar_progress", args=[world.county_a.pk]) + "?year=2026"
        ).content.decode()
    h1 = body[body.index('data-testid="window-h1"') : body.index('data-testid="window-q3"')]
    assert world.branch_a.name in h1 and "2026年6月10日截止" in h1


def test_it_keeps_the_progress_page_flat(world, login):
    client = login(world.user("city_staff"))

    def grow_to(n):
        have = world.extra.setdefault("schools", [])
        for i in range(len(have), n):
            school = organization_create(
                parent=world.county_a,
                name=f"扩展学校{i}",
                kind=OrgKind.SCHOOL_COMMITTEE,
                code=f"T-A-X{i}",
                school_name=f"扩展学校{i}",
            )
            have.append(school)
            member = make_member(school, f"扩展成员{i}", phone=f"1371000{i:04d}")
            if i % 2:
                p = _period(school, "q1")
                SelfEvaluation.objects.create(period=p, member=member, summary="总结", score=80)
            if i % 3 == 0:
                window_set(
                    organization=school,
                    year=YEAR,
                    kind="h1",
                    opens_on=D(2026, 6, 2),
                    closes_on=D(2026, 6, 20),
                    by=world.user("city_staff"),
                )

    with _today(D(2026, 7, 1)):
        n = assert_flat_queries(
            client,
            reverse("reports:calendar_progress", args=[world.city.pk]) + "?year=2026",
            grow_to=grow_to,
            budget=15,
        )
    print(f"calendar progress: {n} queries")


# ---- Annex 5 deadlines come from the calendar --------------------------------------------------------------------


def test_it_marks_a_quarterly_report_late_after_the_calendars_deadline_and_lists_it_overdue(world, login):
    from reports.services import quarterly_report_open, quarterly_report_submit, quarterly_report_update

    window_set(
        organization=world.city,
        year=YEAR,
        kind="report_q3",
        opens_on=D(2026, 7, 1),
        closes_on=D(2026, 9, 15),
        by=world.user("city_staff"),
    )
    unit_staff = world.user("unit_staff")
    with _today(D(2026, 9, 16)):
        body = login(world.user("city_staff")).get(reverse("reports:quarterly_list") + "?year=2026&quarter=3")
        body = body.content.decode()
        assert "2026年9月15日" in body and 'data-testid="overdue"' in body
        report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=3, by=unit_staff)
        assert report.due_on == D(2026, 9, 15)
        report = quarterly_report_update(
            report=report,
            by=unit_staff,
            expected_version=report.version,
            practices="做法",
            problems="问题",
            next_steps="打算",
            filled_by="林",
            contact_phone="0595-22000000",
        )
        report = quarterly_report_submit(report=report, by=unit_staff, expected_version=report.version)
    assert report.is_late  # the policy's 20 September would have been on time
