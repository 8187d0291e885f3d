"""The year's calendar at its edges: the policy's default dates (五.三, Annex 5), the first and last day of a window,
how windows set along the tree intersect, and which year is still writable."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from years.enums import REPORT_WINDOWS, WindowKind, YearState, default_dates, report_window, shift_year
from years.models import CalendarWindow, WorkYear
from years.selectors import (
    Window,
    cn_date,
    ensure_year_writable,
    is_year_archived,
    next_year,
    parent_window,
    parent_windows,
    window_for,
    windows_for,
    windows_for_many,
    windows_table,
    work_year,
    work_years,
)

D = datetime.date


def frozen(day: datetime.date):
    """Patch “now” to noon of `day` in Asia/Shanghai."""
    from unittest import mock
    from zoneinfo import ZoneInfo

    moment = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    return mock.patch("django.utils.timezone.now", return_value=moment)


def put(org, kind, opens, closes, year=2026):
    """A window row as stored (crafted directly, e.g. a child's window left over after its parent narrowed)."""
    return CalendarWindow.objects.create(organization=org, year=year, kind=kind, opens_on=opens, closes_on=closes)


# ---- the policy's defaults --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, opens, closes",
    [
        ("q1", D(2026, 3, 1), D(2026, 3, 31)),
        ("h1", D(2026, 6, 1), D(2026, 6, 30)),
        ("q3", D(2026, 9, 1), D(2026, 9, 30)),
        ("year", D(2026, 12, 1), D(2026, 12, 31)),
        ("report_q1", D(2026, 1, 1), D(2026, 3, 20)),
        ("report_q2", D(2026, 4, 1), D(2026, 6, 20)),
        ("report_q3", D(2026, 7, 1), D(2026, 9, 20)),
        ("report_q4", D(2026, 10, 1), D(2026, 12, 20)),
    ],
)
def test_the_policys_default_window_of_each_kind(kind, opens, closes):
    assert default_dates(2026, kind) == (opens, closes)


def test_the_year_end_window_closes_on_new_years_eve_not_in_the_next_year():
    assert default_dates(2027, WindowKind.YEAR) == (D(2027, 12, 1), D(2027, 12, 31))
    assert default_dates(2028, "q1") == (D(2028, 3, 1), D(2028, 3, 31))


def test_an_unknown_window_kind_is_refused():
    with pytest.raises(ValueError):
        default_dates(2026, "q5")


def test_each_quarter_has_its_report_window():
    assert [report_window(q) for q in (1, 2, 3, 4)] == REPORT_WINDOWS
    assert report_window("3") == WindowKind.REPORT_Q3


def test_moving_a_day_to_another_year_keeps_it_and_turns_29_february_into_28():
    assert shift_year(D(2026, 3, 20)) == D(2027, 3, 20)
    assert shift_year(D(2026, 3, 20), 2) == D(2028, 3, 20)
    assert shift_year(D(2026, 3, 20), -1) == D(2025, 3, 20)
    assert shift_year(D(2028, 2, 29)) == D(2029, 2, 28)
    assert shift_year(D(2028, 2, 29), 4) == D(2032, 2, 29)


# ---- one window: its first and last day --------------------------------------------------------------------------


def test_a_window_is_open_from_its_first_day_through_its_last():
    w = Window(2026, "q1", D(2026, 3, 1), D(2026, 3, 31))
    assert w.state(D(2026, 2, 28)) == "upcoming"
    assert w.state(D(2026, 3, 1)) == "open"
    assert w.state(D(2026, 3, 31)) == "open"
    assert w.state(D(2026, 4, 1)) == "closed"
    assert not w.contains(D(2026, 2, 28))
    assert w.contains(D(2026, 3, 1)) and w.contains(D(2026, 3, 31))
    assert not w.contains(D(2026, 4, 1))


def test_a_window_reads_today_in_shanghai_when_no_day_is_given():
    w = Window(2026, "q1", D(2026, 3, 1), D(2026, 3, 31))
    with frozen(D(2026, 3, 31)):
        assert w.state() == "open"
    with frozen(D(2026, 4, 1)):
        assert w.state() == "closed"
    with frozen(D(2026, 2, 28)):
        assert w.state() == "upcoming"
    # 31 March 23:30 in London is already 1 April in Shanghai
    from unittest import mock

    london_late = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=london_late):
        assert timezone.localdate() == D(2026, 4, 1)
        assert w.state() == "closed"


def test_a_window_describes_itself_in_chinese_dates():
    w = Window(2026, "report_q1", D(2026, 1, 5), D(2026, 3, 20))
    assert w.label == "第一季度季报"
    assert w.describe() == "第一季度季报时间为2026年1月5日至2026年3月20日"
    assert cn_date(D(2026, 10, 1)) == "2026年10月1日"


# ---- windows along the tree ---------------------------------------------------------------------------------------


def test_the_city_may_set_any_dates_and_they_replace_the_defaults_everywhere(world):
    put(world.city, "q1", D(2026, 2, 20), D(2026, 4, 15))  # wider than the policy's March
    w = window_for(world.branch_b, 2026, "q1")
    assert (w.opens_on, w.closes_on, w.set_by, w.own, w.conflict) == (
        D(2026, 2, 20), D(2026, 4, 15), world.city.name, False, False,
    )
    own = window_for(world.city, 2026, "q1")
    assert (own.set_by, own.own, own.conflict) == (world.city.name, True, False)


def test_a_school_narrowing_the_window_is_marked_as_its_own(world):
    put(world.school_a, "h1", D(2026, 6, 10), D(2026, 6, 20))
    mine = window_for(world.school_a, 2026, "h1")
    below = window_for(world.branch_a, 2026, "h1")
    assert (mine.opens_on, mine.closes_on, mine.own, mine.set_by, mine.conflict) == (
        D(2026, 6, 10), D(2026, 6, 20), True, world.school_a.name, False,
    )
    assert (below.opens_on, below.closes_on, below.own, below.set_by) == (D(2026, 6, 10), D(2026, 6, 20), False, world.school_a.name)
    # the sibling subtree keeps the policy's dates
    other = window_for(world.branch_b, 2026, "h1")
    assert (other.opens_on, other.closes_on, other.set_by, other.own) == (D(2026, 6, 1), D(2026, 6, 30), "", False)


def test_an_own_window_reaching_past_the_parents_is_clipped_and_flagged(world):
    put(world.school_a, "q1", D(2026, 3, 10), D(2026, 4, 10))  # closes after the policy's 31 March
    w = window_for(world.school_a, 2026, "q1")
    assert (w.opens_on, w.closes_on, w.own, w.conflict) == (D(2026, 3, 10), D(2026, 3, 31), True, True)
    # below it the clipped window applies, but the conflict is the school's to correct, not the branch's
    b = window_for(world.branch_a, 2026, "q1")
    assert (b.opens_on, b.closes_on, b.own, b.conflict) == (D(2026, 3, 10), D(2026, 3, 31), False, False)


def test_an_own_window_opening_before_the_parents_is_clipped_at_the_start(world):
    put(world.school_a, "q1", D(2026, 2, 1), D(2026, 3, 15))
    w = window_for(world.school_a, 2026, "q1")
    assert (w.opens_on, w.closes_on, w.conflict) == (D(2026, 3, 1), D(2026, 3, 15), True)


def test_an_own_window_entirely_outside_the_parents_is_ignored(world):
    put(world.county_a, "q1", D(2026, 3, 5), D(2026, 3, 25))
    put(world.school_a, "q1", D(2026, 4, 1), D(2026, 4, 30))  # after the county's window closed
    w = window_for(world.school_a, 2026, "q1")
    assert (w.opens_on, w.closes_on, w.set_by, w.own, w.conflict) == (
        D(2026, 3, 5), D(2026, 3, 25), world.county_a.name, False, True,
    )


def test_a_window_ignored_in_the_middle_of_the_tree_does_not_hide_a_valid_one_below(world):
    put(world.county_a, "q1", D(2026, 3, 5), D(2026, 3, 25))
    put(world.school_a, "q1", D(2026, 4, 1), D(2026, 4, 30))  # outside the county's: ignored
    put(world.branch_a, "q1", D(2026, 3, 10), D(2026, 3, 20))  # inside the county's: applies
    w = window_for(world.branch_a, 2026, "q1")
    assert (w.opens_on, w.closes_on, w.set_by, w.own, w.conflict) == (
        D(2026, 3, 10), D(2026, 3, 20), world.branch_a.name, True, False,
    )


def test_a_window_touching_the_parents_on_one_day_is_kept(world):
    put(world.county_a, "q1", D(2026, 3, 5), D(2026, 3, 25))
    put(world.school_a, "q1", D(2026, 3, 25), D(2026, 4, 30))
    w = window_for(world.school_a, 2026, "q1")
    assert (w.opens_on, w.closes_on, w.own, w.conflict) == (D(2026, 3, 25), D(2026, 3, 25), True, True)


def test_a_narrower_window_below_the_city_is_not_a_conflict(world):
    put(world.city, "q3", D(2026, 9, 1), D(2026, 10, 15))
    put(world.county_b, "q3", D(2026, 9, 1), D(2026, 10, 15))  # exactly the parent's: no conflict
    put(world.school_b, "q3", D(2026, 9, 10), D(2026, 10, 1))
    w = window_for(world.branch_b, 2026, "q3")
    assert (w.opens_on, w.closes_on, w.set_by, w.conflict) == (D(2026, 9, 10), D(2026, 10, 1), world.school_b.name, False)
    assert window_for(world.county_b, 2026, "q3").conflict is False


def test_other_years_and_kinds_do_not_leak_into_a_window(world):
    put(world.city, "q1", D(2027, 3, 5), D(2027, 3, 25), year=2027)
    put(world.city, "h1", D(2026, 6, 5), D(2026, 6, 25))
    w = window_for(world.branch_a, 2026, "q1")
    assert (w.opens_on, w.closes_on, w.set_by) == (D(2026, 3, 1), D(2026, 3, 31), "")


def test_every_window_of_the_year_at_once_matches_each_one_alone(world):
    put(world.city, "q1", D(2026, 3, 5), D(2026, 4, 10))
    put(world.school_a, "q1", D(2026, 3, 8), D(2026, 4, 1))
    put(world.school_a, "report_q2", D(2026, 4, 1), D(2026, 6, 15))
    put(world.branch_a, "h1", D(2026, 6, 1), D(2026, 7, 5))  # conflicting own window
    every = windows_for(world.branch_a, 2026)
    assert list(every) == list(WindowKind.values)
    for kind in WindowKind.values:
        assert every[kind] == window_for(world.branch_a, 2026, kind), kind
    assert every["report_q2"].closes_on == D(2026, 6, 15)
    assert every["h1"].conflict and every["h1"].closes_on == D(2026, 6, 30)
    assert every["year"] == Window(2026, "year", D(2026, 12, 1), D(2026, 12, 31))


def test_the_parents_window_is_what_an_organization_may_narrow_inside(world):
    put(world.city, "q1", D(2026, 3, 5), D(2026, 4, 10))
    put(world.school_a, "q1", D(2026, 3, 8), D(2026, 4, 1))
    put(world.school_a, "h1", D(2026, 6, 8), D(2026, 6, 18))  # another kind: no bearing on q1
    assert parent_window(world.city, 2026, "q1") is None
    assert parent_windows(world.city, 2026) is None
    p = parent_window(world.branch_a, 2026, "q1")
    assert (p.opens_on, p.closes_on, p.set_by, p.own) == (D(2026, 3, 8), D(2026, 4, 1), world.school_a.name, True)
    q = parent_window(world.school_a, 2026, "q1")
    assert (q.opens_on, q.closes_on, q.set_by) == (D(2026, 3, 5), D(2026, 4, 10), world.city.name)
    every = parent_windows(world.branch_a, 2026)
    assert list(every) == list(WindowKind.values)
    assert every["q1"] == p
    assert (every["h1"].opens_on, every["h1"].closes_on) == (D(2026, 6, 8), D(2026, 6, 18))
    assert every["q3"] == Window(2026, "q3", D(2026, 9, 1), D(2026, 9, 30))


def test_each_read_of_the_calendar_is_one_query_however_many_windows_are_set(world, django_assert_num_queries):
    for org in (world.city, world.county_a, world.school_a, world.branch_a):
        put(org, "q1", D(2026, 3, 1), D(2026, 3, 31))
        put(org, "report_q1", D(2026, 1, 1), D(2026, 3, 20))
    orgs = [world.branch_a, world.school_a, world.branch_b]
    with django_assert_num_queries(1):
        assert window_for(world.branch_a, 2026, "q1").set_by == world.branch_a.name
    with django_assert_num_queries(1):
        assert windows_for(world.branch_a, 2026)["report_q1"].set_by == world.branch_a.name
    with django_assert_num_queries(1):
        assert parent_window(world.branch_a, 2026, "q1").set_by == world.school_a.name
    with django_assert_num_queries(1):
        assert parent_windows(world.branch_a, 2026)["q1"].set_by == world.school_a.name
    with django_assert_num_queries(1):
        table = windows_table(orgs, [2026, 2027], ["q1", "report_q1"])
    assert table[(2026, "q1")][world.branch_b.pk].set_by == world.city.name


def test_the_table_of_many_organizations_years_and_kinds_matches_each_one_alone(world):
    put(world.city, "q1", D(2026, 3, 5), D(2026, 4, 10))
    put(world.school_a, "q1", D(2026, 3, 8), D(2026, 4, 1))
    put(world.school_b, "q1", D(2027, 3, 2), D(2027, 3, 9), year=2027)
    put(world.unit, "report_q1", D(2026, 1, 1), D(2026, 3, 15))
    orgs = [world.branch_a, world.branch_b, world.unit_branch, world.city]
    table = windows_table(orgs, ["2026", 2027], ["q1", WindowKind.REPORT_Q1])
    assert set(table) == {(2026, "q1"), (2026, "report_q1"), (2027, "q1"), (2027, "report_q1")}
    for (year, kind), by_org in table.items():
        assert set(by_org) == {o.pk for o in orgs}
        for org in orgs:
            assert by_org[org.pk] == window_for(org, year, kind), (year, kind, org.name)
    assert table[(2027, "q1")][world.branch_b.pk].closes_on == D(2027, 3, 9)
    assert table[(2026, "report_q1")][world.unit_branch.pk].closes_on == D(2026, 3, 15)
    many = windows_for_many(orgs, 2026, "q1")
    assert many == table[(2026, "q1")]
    assert windows_table([], [2026], ["q1"]) == {(2026, "q1"): {}}


# ---- which year may still be written -----------------------------------------------------------------------------


def test_an_archived_year_refuses_every_write_and_an_open_one_does_not(db):
    WorkYear.objects.create(year=2025, state=YearState.ARCHIVED)
    WorkYear.objects.create(year=2026, state=YearState.OPEN)
    assert is_year_archived(2025) and not is_year_archived(2026) and not is_year_archived(2024)
    with pytest.raises(ValidationError) as exc:
        ensure_year_writable(2025)
    assert exc.value.messages == ["2025年度已归档，只能查看和导出，不能再修改。"]
    with pytest.raises(ValidationError):
        ensure_year_writable("2025")
    ensure_year_writable(2026)
    ensure_year_writable(2024)  # never opened: nothing archived
    ensure_year_writable(None)


def test_the_work_years_newest_first_and_the_one_to_open_next(db):
    with frozen(D(2026, 5, 1)):
        assert work_years() == [] and work_year(2026) is None
        assert next_year() == 2027  # nothing opened yet: next calendar year
        assert next_year([]) == 2027
        WorkYear.objects.create(year=2026)
        WorkYear.objects.create(year=2028)
        WorkYear.objects.create(year=2027)
        assert [y.year for y in work_years()] == [2028, 2027, 2026]
        assert next_year() == 2029
        assert work_year(2027).year == 2027
        assert next_year([WorkYear(year=2030)]) == 2031
