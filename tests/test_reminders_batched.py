"""Reminder sending is batched: the sweep's queries grow with its batches (CLAIM_BATCH reminders each), not with the
number of reminders — counted at 20 and at 200 reminders for the quarterly report (one per reporting unit), the
self-evaluations of rating periods (one per member, spread over 2 and 20 branches' periods) and Annex 1 rows
falling due. Each email is the one exception, on purpose: it is marked sent in its own commit once the mail server
has accepted it (notifications/services.py), so that a sweep killed mid-send is followed by one that sends each
missing email once and none twice; that is one statement per email, and nothing else per reminder."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Dispatch, Notice
from tests.evaluations_fixtures import add_members, evaluation_today, open_period  # noqa: F401 (autouse)
from tests.notifications_fixtures import add_reporting_units, sweep

pytestmark = pytest.mark.django_db


def _statements(day: datetime.date) -> tuple[int, int]:
    """(statements the sweep ran, reminders it dispatched). A bulk INSERT that SQLite's parameter limit splits into
    chunks counts once."""
    with CaptureQueriesContext(connection) as ctx:
        report = sweep(day)
    statements: list[str] = []
    for q in ctx.captured_queries:
        head = q["sql"].split("(", 1)[0] if q["sql"].startswith("INSERT") else None
        if head and statements and statements[-1] == head:
            continue
        statements.append(head or q["sql"])
    return len(statements), report.dispatched


def _only(monkeypatch, module) -> None:
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter([module]))


def test_quarterly_reminders_cost_the_same_queries_at_20_and_200(world, monkeypatch, settings):
    import reports.reminders

    settings.REMINDER_OFFSETS = [7, 3, 1]
    _only(monkeypatch, reports.reminders)
    add_reporting_units(world.city, 19, email=False)
    small, sent_small = _statements(datetime.date(2026, 3, 13))  # D-7 of the 20 March deadline
    add_reporting_units(world.city, 180, start=19, email=False)
    large, sent_large = _statements(datetime.date(2026, 3, 17))  # D-3
    # the 20 and 200 units' own reminders, and the city staff's digest each time
    assert (sent_small, sent_large) == (20 + 1, 200 + 1)
    assert small == large, f"{small} statements for 21 reminders, {large} for 201"


def test_self_evaluation_reminders_cost_the_same_queries_for_2_and_20_periods(world, monkeypatch):
    from evaluations import reminders
    from organizations.enums import OrgKind, Role
    from organizations.models import RoleAssignment
    from organizations.services import organization_create
    from tests.world import make_user

    _only(monkeypatch, reminders)
    made: list = []

    def grow_to(n_periods: int) -> None:
        while len(made) < n_periods:
            i = len(made)
            branch = organization_create(parent=world.school_a, name=f"甲校第{i + 2}支部", kind=OrgKind.BRANCH,
                                         code=f"T-A-S-X{i}", school_name="甲校")
            for m in add_members(branch, 10, prefix=f"支部{i}成员"):
                m.user = make_user(f"m{i}_{m.pk}")
                m.save(update_fields=["user"])
            RoleAssignment.objects.create(user=make_user(f"sec{i}"), organization=branch, role=Role.BRANCH_SECRETARY)
            open_period(branch)
            made.append(branch)

    grow_to(2)
    sweep(datetime.date(2026, 3, 20))  # the upkeep opens the world's own periods first (no reminder is due yet)
    small, sent_small = _statements(datetime.date(2026, 3, 24))  # D-7 of the 31 March close
    grow_to(20)
    large, sent_large = _statements(datetime.date(2026, 3, 28))  # D-3
    # each member's self-evaluation and each branch's missing assessments; the world's own two branches (periods
    # opened by the sweep's upkeep) add their member's and their secretaries' reminders each time
    assert sent_small == 2 * 10 + 2 + 4 and sent_large == 20 * 10 + 20 + 4
    assert small == large, f"{small} statements for {sent_small} reminders, {large} for {sent_large}"


def test_annex1_rows_falling_due_cost_the_same_queries_at_20_and_200(world, monkeypatch):
    from targets import reminders
    from targets.models import AnnualPlan, TargetItem

    _only(monkeypatch, reminders)
    plan = AnnualPlan.objects.create(organization=world.branch_a, year=2026, theme="organization_building")
    items: list = []

    def grow_to(n: int, deadline: datetime.date) -> None:
        while len(items) < n:
            i = len(items)
            items.append(TargetItem.objects.create(
                plan=plan, category="party", content=f"目标{i}", indicator="1", role="party_core", responsible="王",
                deadline=deadline, position=i))

    grow_to(20, datetime.date(2026, 4, 7))
    small, sent_small = _statements(datetime.date(2026, 3, 31))  # D-7
    grow_to(200, datetime.date(2026, 4, 10))
    large, sent_large = _statements(datetime.date(2026, 4, 3))  # D-7 of the new ones
    assert (sent_small, sent_large) == (20, 180)
    assert small == large, f"{small} statements for 20 reminders, {large} for 180"


def test_emails_add_one_statement_each_and_nothing_else(world, monkeypatch, settings):
    import reports.reminders

    settings.REMINDER_OFFSETS = [7, 3, 1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _only(monkeypatch, reports.reminders)
    add_reporting_units(world.city, 19)
    small, sent_small = _statements(datetime.date(2026, 3, 13))
    add_reporting_units(world.city, 180, start=19)
    large, sent_large = _statements(datetime.date(2026, 3, 17))
    assert (sent_small, sent_large) == (21, 201)
    emailed = Notice.objects.filter(dispatch__offset=-3, emailed_at__isnull=False).count()
    assert emailed == 199  # the added units' staff have addresses; the world's own unit and the city's staff none
    assert large - small == 199 - 19, (small, large)
    assert Dispatch.objects.count() == 21 + 201
