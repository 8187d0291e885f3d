"""Members are reminded of approved commitments falling due, once per offset."""

from __future__ import annotations

import datetime

import pytest

from notifications.models import Notice
from posts import services
from tests.notifications_fixtures import sweep
from tests.posts_fixtures import approved, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_post_rules(monkeypatch, settings):
    import posts.reminders

    settings.REMINDER_OFFSETS = (7, 3, 1)
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter([posts.reminders]))


def test_it_reminds_the_member_before_and_after_the_date_once_each(world):
    claim = services.post_claim(post=make_post(world.branch_a, year=2026), member=world.member_a, by=None)
    c = approved(claim, None)
    c.due_on = datetime.date(2026, 12, 10)
    c.save(update_fields=["due_on"])
    for day in [datetime.date(2026, 12, 1), datetime.date(2026, 12, 3), datetime.date(2026, 12, 7), datetime.date(2026, 12, 7),
                datetime.date(2026, 12, 11)]:
        sweep(day)
    subjects = list(Notice.objects.filter(recipient=world.member_a.user, subject__contains="岗位上的承诺")
                    .values_list("subject", flat=True))
    assert len(subjects) == 3 and sum("已到期" in s for s in subjects) == 1


def test_it_stops_once_the_commitment_is_fulfilled(world):
    claim = services.post_claim(post=make_post(world.branch_a, year=2026), member=world.member_a, by=None)
    c = approved(claim, None)
    c = services.commitment_status_set(commitment=c, status="fulfilled", note="完成")
    c.due_on = datetime.date(2026, 12, 10)
    c.save(update_fields=["due_on"])
    sweep(datetime.date(2026, 12, 8))
    assert not Notice.objects.filter(subject__contains="岗位上的承诺").exists()
