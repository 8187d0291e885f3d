"""A 情况通报 still unread NOTICE_READ_DAYS days after it was issued: each member holding an unread receipt is reminded
once (in the inbox, linking to 我的岗位 where unread notices are listed); a member who read it is not; the home page
lists the unread notice until it is read."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bulletins.services import circular_issue
from notifications.models import Notice as InboxNotice
from posts.models import Notice
from posts.services import notice_read
from reports.views.home import todo_items
from tests.notifications_fixtures import sweep
from tests.world import make_member, make_user

ISSUED = datetime.date(2026, 4, 1)
SUBJECT = "情况通报发布已超过7天，你尚未阅读：一季度考评情况通报"


@pytest.fixture(autouse=True)
def _only_post_rules(monkeypatch, settings):
    import posts.reminders

    settings.NOTICE_READ_DAYS = 7
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter([posts.reminders]))


@pytest.fixture
def circular(world):
    reader = make_member(world.branch_a, "甲读者", phone="13900000031", user=make_user("reader_a", "甲读者"))
    notice = circular_issue(committee=world.county_a, by=world.user("county_a_staff"), title="一季度考评情况通报",
                            body="各校按时完成一季一评")  # fmt: skip
    issued_at = timezone.make_aware(datetime.datetime.combine(ISSUED, datetime.time(9, 0)))
    Notice.objects.filter(pk=notice.pk).update(created_at=issued_at)
    notice.refresh_from_db()
    notice_read(notice=notice, member=reader)
    return notice, reader


def _reminders(user):
    return list(InboxNotice.objects.filter(recipient=user, subject__startswith="情况通报发布已超过")
                .values_list("subject", flat=True))  # fmt: skip


def test_a_member_who_has_not_read_it_in_seven_days_is_reminded_once(world, circular):
    notice, reader = circular
    member = world.user("member_a")
    sweep(ISSUED + datetime.timedelta(days=7))
    assert _reminders(member) == []  # seven days to read it
    sweep(ISSUED + datetime.timedelta(days=8))
    assert _reminders(member) == [SUBJECT]
    sent = InboxNotice.objects.get(recipient=member, subject=SUBJECT)
    assert "甲县委教育工委于2026年4月1日发布的情况通报《一季度考评情况通报》你还没有阅读" in sent.body
    assert sent.url.endswith(reverse("posts:mine"))
    sweep(ISSUED + datetime.timedelta(days=9))
    sweep(ISSUED + datetime.timedelta(days=12))
    assert _reminders(member) == [SUBJECT]  # exactly once
    assert _reminders(reader.user) == []  # read on the first day
    assert _reminders(world.user("member_b")) == []  # another county: no receipt at all
    home = [i for i in todo_items(member, today=ISSUED + datetime.timedelta(days=8)) if i.kind == "posts.notice"]
    assert [i.url for i in home] == [reverse("posts:mine")]


def test_a_member_who_reads_it_before_the_sweep_is_not_reminded(world, circular):
    notice, _reader = circular
    notice_read(notice=notice, member=world.member_a)
    sweep(ISSUED + datetime.timedelta(days=8))
    assert _reminders(world.user("member_a")) == []
    assert "posts.notice" not in [i.kind for i in todo_items(world.user("member_a"), today=ISSUED)]


def test_a_sweep_that_missed_the_day_still_reminds_within_the_grace_but_not_an_old_notice(world, circular):
    sweep(ISSUED + datetime.timedelta(days=30))
    assert _reminders(world.user("member_a")) == []  # long past: the home page lists it, no late reminder
    sweep(ISSUED + datetime.timedelta(days=11))
    assert _reminders(world.user("member_a")) == [SUBJECT]


def test_the_number_of_days_is_a_setting(world, circular, settings):
    settings.NOTICE_READ_DAYS = 3
    sweep(ISSUED + datetime.timedelta(days=4))
    assert _reminders(world.user("member_a")) == ["情况通报发布已超过3天，你尚未阅读：一季度考评情况通报"]
