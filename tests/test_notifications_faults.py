"""Reminders that survive faults, in-process: failed emails retried until obsolete, staff told when they keep failing,
the text counted on the day it is sent or shown, and signed-in pages kept out of caches."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notice
from notifications.sweep import Reminder
from notifications.tasks import RemindersIncomplete, send_reminders
from organizations.enums import Role
from tests.notifications_fixtures import install_rules, sweep

D_MINUS_7 = datetime.date(2026, 3, 13)
DEADLINE = datetime.date(2026, 3, 20)


def _refuse(self, *args, **kwargs):
    raise ConnectionRefusedError("邮件服务器拒绝连接")


@pytest.fixture
def unit_rule(world, monkeypatch, settings):
    """The quarterly-report reminder of one unit, due every day before its deadline (as the real rules are)."""
    settings.EMAIL_RETRY_BASE_SECONDS = 0  # each sweep here stands for a later day: past any backoff

    def due(*, today):
        if today <= DEADLINE:
            days = (DEADLINE - today).days
            yield Reminder(
                kind="test.report", period="2026Q1", offset=-7,
                subject=f"季报表还有{days}天截止", body=f"请于截止前报送（还有{days}天截止）", url="/reports/",
                organization_id=world.unit.pk, roles=(Role.UNIT_STAFF,), deadline=DEADLINE,
            )

    install_rules(monkeypatch, due)
    staff = world.user("unit_staff")
    staff.email = "unit@example.edu.cn"
    staff.save()
    return staff


def test_a_retry_sent_days_later_counts_the_days_again_and_names_the_deadline(unit_rule, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", _refuse)
        first = sweep(D_MINUS_7)
    assert first.emails == 0 and first.emails_failed == 1 and not first.complete
    later = sweep(D_MINUS_7 + datetime.timedelta(days=2))
    assert later.emails == 1 and later.complete
    [message] = mail.outbox
    assert "还有5天截止" in message.subject and "还有7天" not in message.subject
    assert "截止日期：2026年3月20日" in message.body and "还有5天截止" in message.body
    assert "截止日期：2026年3月20日" in message.alternatives[0][0]


def test_a_failing_email_is_dropped_as_obsolete_once_the_deadline_passed(unit_rule, monkeypatch):
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", _refuse)
    sweep(D_MINUS_7)
    sweep(DEADLINE)  # still wanted on the deadline day itself
    notice = Notice.objects.get(recipient=unit_rule)
    assert notice.email_obsolete_at is None and notice.email_attempts >= 2
    after = sweep(DEADLINE + datetime.timedelta(days=1))
    notice.refresh_from_db()
    assert after.emails_obsolete == 1 and after.emails_pending == 0 and notice.email_obsolete_at is not None
    assert mail.outbox == []


def test_city_staff_are_told_how_many_emails_keep_failing(unit_rule, world, monkeypatch):
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", _refuse)
    sweep(D_MINUS_7)
    city = world.user("city_staff")
    assert not Notice.objects.filter(recipient=city).exists()  # not after one or two failures
    sweep(D_MINUS_7 + datetime.timedelta(days=1))
    sweep(D_MINUS_7 + datetime.timedelta(days=2))
    [alert] = Notice.objects.filter(recipient=city)
    assert alert.subject == "有1封提醒邮件未能发出" and "拒绝连接" in alert.body and alert.email == ""
    sweep(D_MINUS_7 + datetime.timedelta(days=2))
    assert Notice.objects.filter(recipient=city).count() == 1  # once a day


def test_the_sweep_task_does_not_report_success_when_emails_failed(unit_rule, monkeypatch):
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", _refuse)
    with pytest.raises(RemindersIncomplete, match="failed 1"):
        send_reminders.apply(args=[D_MINUS_7.isoformat()]).get()


def test_the_command_exits_with_an_error_when_emails_failed(unit_rule, monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", _refuse)
    with pytest.raises(CommandError, match="邮件发送失败 1 封"):
        call_command("send_reminders", "--date", D_MINUS_7.isoformat())


def test_the_inbox_counts_days_from_the_deadline_when_shown(world, login):
    user = world.user("unit_staff")
    today = timezone.localdate()
    Notice.objects.create(
        recipient=user, subject="季报表还有7天截止", body="", deadline=today + datetime.timedelta(days=3)
    )
    Notice.objects.create(recipient=user, subject="整改还有1天截止", body="", deadline=today - datetime.timedelta(days=2))
    body = login(user).get(reverse("notifications:inbox")).content.decode()
    assert "季报表还有3天截止" in body and "还有 3 天" in body and "季报表还有7天截止" not in body
    assert "整改已逾期2天" in body and "已逾期 2 天" in body
    deadline = today + datetime.timedelta(days=3)
    assert f"截止日期：{deadline.year}年{deadline.month}月{deadline.day}日" in body


# ---- Cache-Control ---------------------------------------------------------------------------------------------


def test_pages_for_a_signed_in_user_are_never_stored(world, login):
    client = login(world.user("unit_staff"))
    for url in (reverse("home"), reverse("notifications:inbox")):
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store", url


def test_public_pages_keep_their_caching(client, world):
    for url in (reverse("login"), reverse("targets:public", args=[world.school_a.pk])):
        response = client.get(url)
        # whatever the view itself says (these two say never cache), not the header for signed-in users
        assert response.status_code == 200 and response.get("Cache-Control", "") != "private, no-store", url


def test_static_files_keep_their_caching_for_a_signed_in_user(world, login, settings):
    from django.test import Client

    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(world.user("unit_staff"))
    response = client.get("/static/js/app.js")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
    assert client.get(reverse("home"))["Cache-Control"] == "private, no-store"
