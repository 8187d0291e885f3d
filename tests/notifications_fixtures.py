"""Helpers for the notification and reminder tests."""

from __future__ import annotations

import datetime
import types

from django.core import mail
from django.core.mail.backends import locmem

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


class SessionMailBackend(locmem.EmailBackend):
    """The test outbox, but with connections like the SMTP backend's: send_messages opens one when none is open and
    closes it again after; `connections` counts how many were opened (a real mail server sees each as a new session).
    """

    connections = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connected = False

    def open(self):
        if self.connected:
            return False
        type(self).connections += 1
        self.connected = True
        return True

    def close(self):
        self.connected = False

    def send_messages(self, messages):
        new = self.open()
        try:
            return super().send_messages(messages)
        finally:
            if new:
                self.close()


class Killed(BaseException):
    """The process dying (SIGKILL): nothing in the application catches it."""


class DyingMailBackend(SessionMailBackend):
    """Accepts `accept` messages, then the process dies while the next one is on its way."""

    accept = 0

    def send_messages(self, messages):
        if len(mail.outbox) >= self.accept:
            raise Killed
        return super().send_messages(messages)
