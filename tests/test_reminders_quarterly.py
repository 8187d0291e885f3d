"""The quarterly report calendar: D-7, D-3, D-1 before the 20th of the quarter's third month, and D+1."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Dispatch, Notice
from reports.models import QuarterlyReport
from reports.selectors import quarter_due_date
from tests.notifications_fixtures import add_reporting_units, sweep

ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _only_report_rules(monkeypatch, settings):
    import reports.reminders

    settings.REMINDER_OFFSETS = [7, 3, 1]
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter([reports.reminders]))


def _report(unit, year, quarter, state):
    return QuarterlyReport.objects.create(
        organization=unit, year=year, quarter=quarter, state=state, due_on=quarter_due_date(year, quarter)
    )


def _days_reminded(user, first: datetime.date, last: datetime.date, *, before_each=None) -> list[int]:
    """Run the sweep every day from first to last; the days (relative to last's deadline) the user got a notice."""
    got = []
    day = first
    while day <= last:
        if before_each:
            before_each(day)
        before = Notice.objects.filter(recipient=user).count()
        sweep(day)
        if Notice.objects.filter(recipient=user).count() > before:
            got.append(day)
        day += ONE_DAY
    return got


def _relative(days, deadline):
    return [(d - deadline).days for d in days]


@pytest.mark.parametrize("year", [2026, 2028])
@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_it_reminds_a_missing_unit_on_each_offset_and_once_after(world, year, quarter):
    deadline = quarter_due_date(year, quarter)
    days = _days_reminded(world.user("unit_staff"), deadline - 12 * ONE_DAY, deadline + 12 * ONE_DAY)
    assert _relative(days, deadline) == [-7, -3, -1, 1]
    digests = Notice.objects.filter(recipient=world.user("city_staff"))
    assert digests.count() == 4
    assert all("丙高校党委" in n.body for n in digests)


def test_it_reminds_only_the_reporting_units_staff(world):
    deadline = quarter_due_date(2026, 1)
    sweep(deadline - 7 * ONE_DAY)
    receivers = set(Notice.objects.values_list("recipient__username", flat=True))
    assert receivers == {"unit_staff", "city_staff"}


@pytest.mark.parametrize("state", [QuarterlyReport.State.SUBMITTED, QuarterlyReport.State.ACCEPTED])
def test_it_stops_after_submitting(world, state):
    deadline = quarter_due_date(2026, 2)

    def submit_on_d_minus_5(day):
        if day == deadline - 5 * ONE_DAY:
            _report(world.unit, 2026, 2, state)

    days = _days_reminded(world.user("unit_staff"), deadline - 10 * ONE_DAY, deadline + 10 * ONE_DAY,
                          before_each=submit_on_d_minus_5)
    assert _relative(days, deadline) == [-7]


def test_a_draft_does_not_count_as_submitted(world):
    _report(world.unit, 2026, 3, QuarterlyReport.State.DRAFT)
    deadline = quarter_due_date(2026, 3)
    days = _days_reminded(world.user("unit_staff"), deadline - 8 * ONE_DAY, deadline + 2 * ONE_DAY)
    assert _relative(days, deadline) == [-7, -3, -1, 1]


def test_it_reminds_a_returned_report_again(world):
    deadline = quarter_due_date(2026, 4)
    report = _report(world.unit, 2026, 4, QuarterlyReport.State.SUBMITTED)

    def return_on_d_minus_2(day):
        if day == deadline - 2 * ONE_DAY:
            QuarterlyReport.objects.filter(pk=report.pk).update(state=QuarterlyReport.State.RETURNED)

    days = _days_reminded(world.user("unit_staff"), deadline - 10 * ONE_DAY, deadline + 10 * ONE_DAY,
                          before_each=return_on_d_minus_2)
    assert _relative(days, deadline) == [-2, -1, 1]
    first = Notice.objects.filter(recipient=world.user("unit_staff")).order_by("pk").first()
    assert "退回" in first.body and "还有2天截止" in first.subject


def test_the_digest_names_only_the_missing_units(world):
    done, missing = add_reporting_units(world.city, 2)
    _report(done, 2026, 1, QuarterlyReport.State.SUBMITTED)
    sweep(datetime.date(2026, 3, 13))
    digest = Notice.objects.get(recipient=world.user("city_staff"))
    assert "尚有2个单位未报送" in digest.subject
    assert missing.name in digest.body and world.unit.name in digest.body and done.name not in digest.body


def test_it_sends_nothing_once_every_unit_has_submitted(world):
    _report(world.unit, 2026, 1, QuarterlyReport.State.SUBMITTED)
    assert sweep(datetime.date(2026, 3, 13)).due == 0


def test_it_words_the_reminder_after_the_deadline_as_overdue(world):
    sweep(datetime.date(2026, 9, 21))
    notice = Notice.objects.get(recipient=world.user("unit_staff"))
    assert notice.subject == "2026年第三季度季报表已逾期未报送"
    assert "2026年9月20日" in notice.body


def test_it_catches_up_an_overdue_reminder_missed_on_d_plus_1_but_only_once(world):
    assert sweep(datetime.date(2026, 12, 25)).dispatched == 2  # the unit and the city digest
    assert sweep(datetime.date(2026, 12, 26)).dispatched == 0
    assert sweep(datetime.date(2026, 12, 28)).due == 0  # D+8: the quarter is left to the people now


def test_it_counts_back_over_february_in_a_leap_year(world, settings):
    settings.REMINDER_OFFSETS = [30]
    for year, first_day in [(2028, datetime.date(2028, 2, 19)), (2027, datetime.date(2027, 2, 18))]:
        days = _days_reminded(world.user("unit_staff"), datetime.date(year, 2, 15), datetime.date(year, 2, 25))
        assert days == [first_day]


def test_it_reminds_across_the_year_end(world, settings):
    settings.REMINDER_OFFSETS = [90, 7]
    sweep(datetime.date(2026, 12, 20))  # 90 days before 20 March 2027 (and the 2026 Q4 deadline day itself)
    assert list(Dispatch.objects.filter(kind="reports.quarterly").values_list("period", "offset")) == [
        ("2027Q1", -90)
    ]
    sweep(datetime.date(2026, 12, 21))
    assert Dispatch.objects.filter(kind="reports.quarterly", period="2026Q4", offset=1).count() == 1
    assert sweep(datetime.date(2027, 1, 1)).dispatched == 0


def _sweep_queries(day) -> int:
    """Statements the sweep runs; a bulk INSERT that SQLite's 999-parameter limit splits into chunks counts once."""
    with CaptureQueriesContext(connection) as ctx:
        report = sweep(day)
    assert report.dispatched > 0
    statements: list[str] = []
    for q in ctx.captured_queries:
        head = q["sql"].split("(", 1)[0] if q["sql"].startswith("INSERT") else None
        if head and statements and statements[-1] == head:
            continue
        statements.append(head or q["sql"])
    return len(statements)


def test_it_keeps_the_sweep_query_count_flat(world):
    add_reporting_units(world.city, 9, email=False)
    small = _sweep_queries(datetime.date(2026, 3, 13))
    add_reporting_units(world.city, 190, start=9, email=False)
    large = _sweep_queries(datetime.date(2026, 3, 17))
    assert Notice.objects.filter(dispatch__offset=-3).count() == 200 + 1
    assert small == large, f"{small} queries at 10 units, {large} at 200"
    assert large <= 15


def test_each_email_costs_the_same_few_queries(world):
    units = add_reporting_units(world.city, 10)
    small = _sweep_queries(datetime.date(2026, 3, 13))
    add_reporting_units(world.city, 40, start=10)
    large = _sweep_queries(datetime.date(2026, 3, 17))
    assert (large - small) % 40 == 0 and (large - small) // 40 <= 3, (small, large)
    assert len(units) == 10


def test_it_links_to_the_quarters_reports(world):
    sweep(datetime.date(2026, 6, 13))
    notice = Notice.objects.get(recipient=world.user("unit_staff"))
    assert notice.url.endswith("?year=2026&quarter=2")
