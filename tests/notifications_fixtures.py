"""Helpers for the notification and reminder tests."""

from __future__ import annotations

import datetime
import types

from organizations.enums import OrgKind, Role
from organizations.models import RoleAssignment
from organizations.services import organization_create
from tests.world import make_user


def install_rules(monkeypatch, *due_functions) -> None:
    """Make the sweep see only these rule functions (instead of the installed apps' reminders modules)."""
    modules = [types.SimpleNamespace(due=fn) for fn in due_functions]
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter(modules))


def sweep(day: datetime.date, **kwargs):
    """Run the daily sweep as beat would (outside any transaction the test opened, on_commit runs at once)."""
    from notifications.services import reminders_send

    return reminders_send(today=day, **kwargs)


def add_reporting_units(city, n: int, *, start: int = 0, email: bool = True) -> list:
    """n reporting units (市属高校党委) under the city, each with one staff login."""
    units = []
    for i in range(start, start + n):
        unit = organization_create(
            parent=city, name=f"测试高校{i:03d}党委", kind=OrgKind.UNIVERSITY_COMMITTEE, reports_quarterly=True
        )
        user = make_user(f"unit{i:03d}")
        if email:
            user.email = f"unit{i:03d}@example.edu.cn"
            user.save(update_fields=["email"])
        RoleAssignment.objects.create(user=user, organization=unit, role=Role.UNIT_STAFF)
        units.append(unit)
    return units
