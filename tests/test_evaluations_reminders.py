import datetime

import pytest

from evaluations import reminders, services
from tests.evaluations_fixtures import closed_period, evaluation_today, open_period  # noqa: F401 (evaluation_today: autouse)

pytestmark = pytest.mark.django_db


def test_it_reminds_members_and_secretaries_before_a_period_closes(world):
    period = open_period(world.branch_a)  # closes 31 March
    found = list(reminders.due(today=datetime.date(2026, 3, 29)))
    to_member = [r for r in found if r.recipient_id == world.user("member_a").pk]
    assert len(to_member) == 1 and "述岗自评" in to_member[0].subject and to_member[0].offset == -3
    to_org = [r for r in found if r.organization_id == world.branch_a.pk]
    assert len(to_org) == 1 and "甲成员" in to_org[0].body
    services.self_evaluation_save(period=period, member=world.member_a, summary="完成", score=90)
    assert not [r for r in reminders.due(today=datetime.date(2026, 3, 29)) if r.recipient_id]
    assert not list(reminders.due(today=datetime.date(2026, 3, 1)))


def test_it_flags_an_overdue_rectification(world):
    period = closed_period(world, score="20")
    rect = services.rectification_open(
        rating=period.ratings.get(), meeting_on=datetime.date(2026, 4, 2), meeting_text="说明",
        deadline=datetime.date(2026, 5, 31), by=world.user("branch_a_secretary"),
    )
    overdue = list(reminders.due(today=datetime.date(2026, 6, 1)))
    assert [r.offset for r in overdue] == [1] and "已逾期" in overdue[0].body
    assert rect.is_overdue(datetime.date(2026, 6, 1))
