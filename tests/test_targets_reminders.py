"""Target items near their deadline remind the organization's secretaries, once per offset."""

from __future__ import annotations

import datetime

import pytest

from targets import reminders, services
from tests.targets_fixtures import make_item, make_plan

pytestmark = pytest.mark.django_db


def test_it_reminds_of_an_unfinished_item_before_its_deadline(world, settings):
    settings.REMINDER_OFFSETS = (7, 3, 1)
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    item = make_item(plan, by, deadline=datetime.date(2026, 6, 30))
    done = make_item(plan, by, content="已完成的", deadline=datetime.date(2026, 6, 30))
    services.progress_record(item=done, by=by, recorded_on=datetime.date(2026, 6, 1), status="done", percent=100, note="完成")
    found = list(reminders.due(today=datetime.date(2026, 6, 23)))
    assert [(r.period, r.offset) for r in found] == [(f"i{item.pk}", -7)]
    assert found[0].organization_id == world.school_a.pk and "2026年6月30日" in found[0].body
    assert list(reminders.due(today=datetime.date(2026, 6, 1))) == []
    assert [r.offset for r in reminders.due(today=datetime.date(2026, 7, 1))] == [1]
