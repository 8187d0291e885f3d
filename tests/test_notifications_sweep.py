"""The sweep's promise: each reminder at most once, notices with their claim, emails after commit, leftovers next run."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.models import Dispatch, Notice
from notifications.services import notices_deliver_email
from notifications.sweep import Reminder, deadline_offset
from organizations.enums import Role
from tests.notifications_fixtures import install_rules, sweep

DAY = datetime.date(2026, 3, 13)


@pytest.fixture
def unit_rule(world, monkeypatch):
    """One rule: remind the reporting unit's staff every day it is asked."""

    def due(*, today):
        yield Reminder(
            kind="test.unit", period="2026Q1", offset=-7, subject="季报表还有7天截止", body="请报送",
            url="/reports/", organization_id=world.unit.pk, roles=(Role.UNIT_STAFF,),
        )

    install_rules(monkeypatch, due)
    staff = world.user("unit_staff")
    staff.email = "unit@example.edu.cn"
    staff.first_name = "丙高校联络员"
    staff.save()
    return staff


def test_it_sends_a_notice_and_an_email(unit_rule, mailoutbox):
    report = sweep(DAY)
    assert (report.due, report.dispatched, report.notices, report.emails) == (1, 1, 1, 1)
    notice = Notice.objects.get(recipient=unit_rule)
    assert notice.subject == "季报表还有7天截止" and notice.emailed_at is not None
    [message] = mailoutbox
    assert message.to == ["unit@example.edu.cn"]
    assert "季报表还有7天截止" in message.subject
    assert "丙高校联络员，您好" in message.body and "http://127.0.0.1:8000/reports/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "查看详情" in html and 'lang="zh-Hans"' in html
    assert message.extra_headers["Message-ID"] == f"<notice-{notice.pk}@127.0.0.1>"


def test_it_sends_nothing_twice(unit_rule, mailoutbox):
    sweep(DAY)
    again = sweep(DAY)
    assert (again.due, again.already_sent, again.dispatched, again.emails) == (1, 1, 0, 0)
    assert Notice.objects.count() == 1 and Dispatch.objects.count() == 1 and len(mailoutbox) == 1


def test_it_keeps_a_claim_taken_by_another_sweep(unit_rule, mailoutbox, monkeypatch):
    """Two sweeps at once: the second read nothing yet, then finds the key taken when it inserts."""
    sweep(DAY)
    monkeypatch.setattr(
        "notifications.services.Dispatch.objects.filter",
        _first_call_empty(Dispatch.objects.filter),
    )
    again = sweep(DAY)
    assert again.dispatched == 0 and Notice.objects.count() == 1 and len(mailoutbox) == 1


def _first_call_empty(real):
    calls = {"n": 0}

    def fake(*args, **kwargs):
        calls["n"] += 1
        qs = real(*args, **kwargs)
        return qs.none() if calls["n"] == 1 else qs

    return fake


def test_it_sends_the_email_left_behind_by_an_interrupted_run(unit_rule, monkeypatch, settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 0  # the next day is more than any backoff away

    def broken(self, *args, **kwargs):
        raise ConnectionError("邮件服务器不可用")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
        first = sweep(DAY)
    notice = Notice.objects.get()
    assert first.notices == 1 and first.emails == 0 and first.emails_failed == 1 and first.emails_pending == 1
    assert notice.emailed_at is None and notice.email_attempts >= 1 and "不可用" in notice.email_error
    # the next day: the reminder is still due (the unit has not reported), nothing new, the pending email goes
    nxt = sweep(DAY + datetime.timedelta(days=1))
    assert nxt.emails == 1 and len(mail.outbox) == 1 and nxt.emails_failed == 0
    assert Notice.objects.count() == 1


def test_it_keeps_trying_a_failed_email_until_its_reminder_is_obsolete(unit_rule, monkeypatch, settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 0
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", lambda self, *a, **k: 1 / 0)
    sweep(DAY)
    for _ in range(8):
        notices_deliver_email(today=DAY)
    notice = Notice.objects.get()
    assert notice.email_attempts >= 9 and notice.email_obsolete_at is None  # no cap: still wanted
    install_rules(monkeypatch)  # the unit reported: the rules no longer produce the reminder
    report = sweep(DAY + datetime.timedelta(days=1))
    notice.refresh_from_db()
    assert report.emails_obsolete == 1 and report.emails_failed == 0 and report.emails_pending == 0
    assert notice.email_obsolete_at is not None and notice.emailed_at is None


def test_it_writes_only_a_notice_for_a_user_without_an_address(unit_rule, mailoutbox):
    unit_rule.email = ""
    unit_rule.save()
    report = sweep(DAY)
    assert report.notices == 1 and report.emails == 0 and mailoutbox == []


def test_it_claims_nothing_nobody_can_receive(world, monkeypatch):
    def due(*, today):
        yield Reminder(
            kind="test.unit", period="p", offset=-1, subject="s", body="", organization_id=world.unit.pk,
            roles=(Role.SECRETARY,),
        )

    install_rules(monkeypatch, due)
    assert sweep(DAY).dispatched == 0 and not Dispatch.objects.exists()


def test_it_sends_each_user_one_notice_even_with_two_roles(unit_rule, world, monkeypatch):
    from organizations.models import RoleAssignment

    RoleAssignment.objects.create(user=unit_rule, organization=world.unit, role=Role.SECRETARY)

    def due(*, today):
        yield Reminder(
            kind="test.both", period="p", offset=-1, subject="s", body="", organization_id=world.unit.pk,
            roles=(Role.UNIT_STAFF, Role.SECRETARY),
        )

    install_rules(monkeypatch, due)
    assert sweep(DAY).notices == 1


def test_it_lists_without_sending_on_a_dry_run(unit_rule, mailoutbox):
    report = sweep(DAY, dry_run=True)
    assert [p.subject for p in report.planned] == ["季报表还有7天截止"]
    assert report.planned[0].recipients == ["丙高校联络员"]
    assert not Dispatch.objects.exists() and not Notice.objects.exists() and mailoutbox == []


def test_the_command_lists_and_sends(unit_rule, capsys, mailoutbox):
    call_command("send_reminders", "--date", "2026-03-13", "--dry-run")
    out = capsys.readouterr().out
    assert "将发送 1 条" in out and "季报表还有7天截止" in out and "丙高校联络员" in out
    call_command("send_reminders", "--date", "2026-03-13")
    assert "本次发出 1 条（站内通知 1 条，邮件 1 封）" in capsys.readouterr().out
    call_command("send_reminders", "--date", "2026-03-13")
    assert "已发过 1 条，本次发出 0 条" in capsys.readouterr().out


def test_the_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "13/03/2026")


def test_the_task_calls_the_sweep(unit_rule, mailoutbox):
    from notifications.tasks import send_reminders

    result = send_reminders.run("2026-03-13")
    assert result["dispatched"] == 1 and result["today"] == "2026-03-13"


@pytest.mark.parametrize(
    "days_left, expected",
    [(8, None), (7, -7), (6, -7), (4, -7), (3, -3), (2, -3), (1, -1), (0, None), (-1, 1), (-7, 1), (-8, None)],
)
def test_each_offset_owns_the_days_up_to_the_next(settings, days_left, expected):
    settings.REMINDER_OFFSETS = [7, 3, 1]
    deadline = datetime.date(2026, 3, 20)
    assert deadline_offset(deadline - datetime.timedelta(days=days_left), deadline) == expected


def test_it_finds_each_apps_rules_by_module_name():
    from notifications.sweep import rule_modules

    found = [m.__name__ for m in rule_modules()]
    assert {"posts.reminders", "evaluations.reminders", "reports.reminders"} <= set(found)
    assert found.index("posts.reminders") < found.index("evaluations.reminders") < found.index("reports.reminders")


def test_notifications_imports_no_higher_app():
    import pathlib
    import re

    import notifications

    higher = re.compile(r"^\s*(from|import)\s+(targets|posts|evaluations|reports)\b", re.M)
    offenders = [
        str(p) for p in pathlib.Path(notifications.__file__).parent.rglob("*.py") if higher.search(p.read_text())
    ]
    assert offenders == []


def _sweep_counting(day):
    """The sweep's report and its queries (SQLite splits one bulk INSERT into 999-parameter chunks: counted once)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluations.services import periods_sweep

    periods_sweep(today=day)  # the apps' daily upkeep at its steady state (periods open the day their window does)
    with CaptureQueriesContext(connection) as ctx:
        report = sweep(day)
    queries = []
    for q in ctx.captured_queries:
        head = q["sql"].split("(", 1)[0] if q["sql"].startswith("INSERT") else q["sql"]
        if not (head.startswith("INSERT") and queries and queries[-1] == head):
            queries.append(head)
    return report, queries


EMAIL_MARK = 'UPDATE "notifications_notice" SET "emailed_at"'


def test_the_whole_sweep_keeps_its_query_count_flat(world):
    """All the installed rules at once, 10 then 200 reporting units."""
    from tests.notifications_fixtures import add_reporting_units

    add_reporting_units(world.city, 9, email=False)
    small, small_queries = _sweep_counting(datetime.date(2026, 3, 13))
    add_reporting_units(world.city, 191, start=9, email=False)
    large, large_queries = _sweep_counting(datetime.date(2026, 3, 17))
    assert large.dispatched > small.dispatched > 0
    assert len(large_queries) == len(small_queries)


def test_sending_costs_one_statement_per_email_and_nothing_else_grows(world):
    """Claims, notices and addresses cost the same at 10 and at 200 units; each email adds only its own mark."""
    from tests.notifications_fixtures import add_reporting_units

    add_reporting_units(world.city, 9)
    small, small_queries = _sweep_counting(datetime.date(2026, 3, 13))
    add_reporting_units(world.city, 191, start=9)
    large, large_queries = _sweep_counting(datetime.date(2026, 3, 17))
    assert (small.emails, large.emails) == (9, 200)
    assert large.notices > small.notices
    small_marks = [q for q in small_queries if q.startswith(EMAIL_MARK)]
    large_marks = [q for q in large_queries if q.startswith(EMAIL_MARK)]
    assert (len(small_marks), len(large_marks)) == (9, 200)
    assert len(large_queries) - len(large_marks) == len(small_queries) - len(small_marks)


def test_it_sends_every_email_of_a_sweep_through_one_mail_connection(world, settings, mailoutbox):
    from tests.notifications_fixtures import SessionMailBackend, add_reporting_units

    settings.EMAIL_BACKEND = "tests.notifications_fixtures.SessionMailBackend"
    SessionMailBackend.connections = 0
    add_reporting_units(world.city, 20)
    report = sweep(DAY)
    assert report.emails == 20 and len(mailoutbox) == 20
    assert SessionMailBackend.connections == 1


def test_a_failed_email_does_not_hold_up_the_others(world, settings, monkeypatch, mailoutbox):
    """The mail server drops the connection on the first message: the rest go out on a new one, it stays pending."""
    from tests.notifications_fixtures import SessionMailBackend, add_reporting_units

    settings.EMAIL_BACKEND = "tests.notifications_fixtures.SessionMailBackend"
    settings.EMAIL_RETRY_BASE_SECONDS = 0  # the next day is more than any backoff away
    SessionMailBackend.connections = 0
    add_reporting_units(world.city, 3)
    real = SessionMailBackend.send_messages
    calls = {"n": 0}

    def first_fails(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionResetError("连接被重置")
        return real(self, messages)

    monkeypatch.setattr(SessionMailBackend, "send_messages", first_fails)
    report = sweep(DAY)
    assert Notice.objects.exclude(email="").count() == 3 and report.emails == 2 and len(mailoutbox) == 2
    failed = Notice.objects.exclude(email="").get(emailed_at__isnull=True)
    assert failed.email_attempts == 1 and "连接被重置" in failed.email_error
    assert SessionMailBackend.connections == 2
    monkeypatch.undo()
    # the next day the units have still not reported: the reminder is wanted, nothing new is due, the email goes
    assert sweep(DAY + datetime.timedelta(days=1)).emails == 1
    assert sorted(m.to[0] for m in mailoutbox) == [f"unit{i:03d}@example.edu.cn" for i in range(3)]


def test_a_connection_the_server_closed_after_some_messages_is_reopened_at_once(world, settings, monkeypatch, mailoutbox):
    """The mail server ends the session after two messages (a per-connection limit or an idle timeout): the third
    goes out the same day on a new connection, not a day late with the next sweep."""
    from tests.notifications_fixtures import SessionMailBackend, add_reporting_units

    settings.EMAIL_BACKEND = "tests.notifications_fixtures.SessionMailBackend"
    SessionMailBackend.connections = 0
    add_reporting_units(world.city, 5)
    real = SessionMailBackend.send_messages
    sent_here: dict[int, int] = {}

    def limit_two(self, messages):
        if sent_here.get(id(self), 0) >= 2 and self.connected:
            self.connected = False  # the server hung up
            raise ConnectionResetError("服务器已关闭连接")
        sent_here[id(self)] = sent_here.get(id(self), 0) + 1
        return real(self, messages)

    def reopen(self):
        opened = SessionMailBackend_open(self)
        if opened:  # a new session with the server
            sent_here[id(self)] = 0
        return opened

    SessionMailBackend_open = SessionMailBackend.open
    monkeypatch.setattr(SessionMailBackend, "send_messages", limit_two)
    monkeypatch.setattr(SessionMailBackend, "open", reopen)
    report = sweep(DAY)
    assert report.emails == 5 and len(mailoutbox) == 5
    assert not Notice.objects.exclude(email="").filter(emailed_at__isnull=True).exists()
    assert SessionMailBackend.connections == 3


@pytest.mark.django_db(transaction=True)
def test_a_sweep_killed_mid_send_is_finished_by_the_next_each_email_once(world, settings, mailoutbox):
    """In process, what the real-worker test does with a SIGKILL: claims and notices are committed before the
    first email; the emails already accepted stay marked; the next sweep sends only the missing ones."""
    from tests.notifications_fixtures import DyingMailBackend, Killed, add_reporting_units

    add_reporting_units(world.city, 5)
    settings.EMAIL_BACKEND = "tests.notifications_fixtures.DyingMailBackend"
    DyingMailBackend.accept = 2
    with pytest.raises(Killed):
        sweep(DAY)
    assert len(mailoutbox) == 2
    assert Dispatch.objects.filter(kind="reports.quarterly").count() == 6  # with the world's unit (no address)
    assert Notice.objects.exclude(email="").count() == 5
    assert Notice.objects.filter(emailed_at__isnull=False).count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = sweep(DAY)
    assert (again.dispatched, again.emails) == (0, 3)
    assert sorted(m.to[0] for m in mailoutbox) == [f"unit{i:03d}@example.edu.cn" for i in range(5)]
    assert not Notice.objects.filter(emailed_at__isnull=True).exclude(email="").exists()


def test_a_failing_rule_does_not_silence_the_others(unit_rule, monkeypatch, caplog):
    import types

    def broken(*, today):
        raise RuntimeError("bug in a rule")

    def fine(*, today):
        return [Reminder(kind="test.ok", period="p", offset=-1, subject="仍然发出", body="", recipient_id=unit_rule.pk)]

    working = types.SimpleNamespace(due=fine)
    failing = types.SimpleNamespace(due=broken, __name__="broken.reminders")
    monkeypatch.setattr("notifications.sweep.rule_modules", lambda: iter([failing, working]))
    report = sweep(DAY)
    assert report.failed_rules == ["broken.reminders"] and report.dispatched == 1
    assert "bug in a rule" in caplog.text


def test_the_command_names_a_failing_rule(unit_rule, monkeypatch, capsys):
    import types

    def broken(*, today):
        raise RuntimeError("bug")

    monkeypatch.setattr(
        "notifications.sweep.rule_modules", lambda: iter([types.SimpleNamespace(due=broken, __name__="x.reminders")])
    )
    call_command("send_reminders", "--date", "2026-03-13")
    assert "提醒规则 x.reminders 出错" in capsys.readouterr().err
