"""The year's calendar: the city sets the windows, those below narrow them, a new year archives the last."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from years.enums import WindowKind
from years.models import CalendarWindow, WorkYear
from years.selectors import ensure_year_writable, window_for, windows_for, windows_for_many
from years.services import window_set, year_open

D = datetime.date


def test_it_uses_the_policys_dates_until_the_city_sets_its_own(world):
    w = window_for(world.branch_a, 2026, WindowKind.H1)
    assert (w.opens_on, w.closes_on, w.set_by) == (D(2026, 6, 1), D(2026, 6, 30), "")
    report = window_for(world.unit, 2026, WindowKind.REPORT_Q3)
    assert report.closes_on == D(2026, 9, 20)


def test_it_applies_the_city_window_to_every_branch_and_lets_a_school_narrow_it(world):
    city = world.user("city_staff")
    window_set(organization=world.city, year=2026, kind="q1", opens_on=D(2026, 3, 5), closes_on=D(2026, 4, 10), by=city)
    window_set(
        organization=world.school_a, year=2026, kind="q1", opens_on=D(2026, 3, 10), closes_on=D(2026, 4, 1),
        by=world.user("school_a_secretary"),
    )
    a = window_for(world.branch_a, 2026, "q1")
    b = window_for(world.branch_b, 2026, "q1")
    assert (a.opens_on, a.closes_on, a.set_by) == (D(2026, 3, 10), D(2026, 4, 1), world.school_a.name)
    assert (b.opens_on, b.closes_on, b.set_by) == (D(2026, 3, 5), D(2026, 4, 10), world.city.name)
    many = windows_for_many([world.branch_a, world.branch_b], 2026, "q1")
    assert many[world.branch_a.pk] == a and many[world.branch_b.pk] == b
    assert windows_for(world.branch_a, 2026)["q1"] == a


def test_it_refuses_to_widen_the_parents_window_and_writes_nothing(world):
    window_set(
        organization=world.city, year=2026, kind="q1", opens_on=D(2026, 3, 5), closes_on=D(2026, 4, 10),
        by=world.user("city_staff"),
    )
    with pytest.raises(ValidationError) as exc:
        window_set(
            organization=world.county_a, year=2026, kind="q1", opens_on=D(2026, 3, 1), closes_on=D(2026, 4, 1),
            by=world.user("county_a_staff"),
        )
    assert "不能放宽" in str(exc.value) and "2026年3月5日" in str(exc.value)
    assert not CalendarWindow.objects.filter(organization=world.county_a).exists()


def test_it_refuses_a_window_that_closes_before_it_opens(world):
    with pytest.raises(ValidationError) as exc:
        window_set(
            organization=world.city, year=2026, kind="h1", opens_on=D(2026, 6, 20), closes_on=D(2026, 3, 1),
            by=world.user("city_staff"),
        )
    assert "截止日期不能早于开始日期" in str(exc.value)
    assert not CalendarWindow.objects.exists()


def test_it_opens_the_next_year_with_the_calendar_moved_and_archives_the_last(world):
    city = world.user("city_staff")
    window_set(organization=world.city, year=2027, kind="q1", opens_on=D(2027, 3, 5), closes_on=D(2027, 4, 10), by=city)
    window_set(organization=world.school_a, year=2027, kind="q1", opens_on=D(2027, 3, 8), closes_on=D(2027, 3, 31), by=city)
    WorkYear.objects.create(year=2027)
    year_open(year=2028, by=city)
    assert window_for(world.branch_a, 2028, "q1").opens_on == D(2028, 3, 8)
    assert window_for(world.branch_b, 2028, "q1").closes_on == D(2028, 4, 10)
    assert WorkYear.objects.get(year=2027).is_archived
    with pytest.raises(ValidationError) as exc:
        ensure_year_writable(2027)
    assert "2027年度已归档" in str(exc.value)
    ensure_year_writable(2028)
    with pytest.raises(ValidationError):
        year_open(year=2030, by=city)
