"""Reminders against real services that fail: a pool process killed mid-sweep (SIGKILL, as the OOM killer does), a
whole worker lost (redelivery after the visibility timeout), Redis restarted under a busy worker, and a mail server
that refuses for two sweeps. The worker machinery is the one of test_notifications_celery (a real prefork worker,
the test database shared with it); Redis as there (skipped without REDIS_URL when none listens; CI has one).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from notifications.models import Notice
from tests import test_notifications_celery as real_worker
from tests.notifications_fixtures import add_reporting_units, sweep
from tests.smtp_sink import SmtpSink
from tests.test_notifications_celery import D_MINUS_3, D_MINUS_7, Worker, _count_by_recipient, _emails

# the real-worker test's fixtures: the shared database, the worker's environment, a client of its Redis
shared_db, celery_env, client_app = real_worker.shared_db, real_worker.celery_env, real_worker.client_app

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

UNITS = 6  # the world's reporting unit and five more, each with one staff member who has an address
RECEIVED = re.compile(rb"\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): INFO/MainProcess\] Task notifications\.tasks\.send_reminders\[[^\]]+\] received")


def _units(world) -> None:
    staff = world.user("unit_staff")
    staff.email = "unit@example.edu.cn"
    staff.save()
    add_reporting_units(world.city, UNITS - 1)


def _wait(predicate, timeout: float, what: str, worker: Worker | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}" + (f":\n{worker.tail()}" if worker else ""))


def _sending_now(mail_dir: Path) -> bool:
    sending = mail_dir.parent / "sending"
    return sending.exists() and any(time.time() - m.stat().st_mtime < 0.3 for m in sending.glob("*"))


def _pool_children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _received_count(worker: Worker) -> int:
    return len(RECEIVED.findall(worker.log.read_bytes()))


def _exactly_once(mail_dir: Path, marker: str) -> dict[str, int]:
    return _count_by_recipient(_emails(mail_dir), marker)


# ---- (a) a pool process killed mid-sweep; a whole worker lost ---------------------------------------------------


def test_a_sweep_whose_pool_process_is_killed_is_redelivered_and_sends_each_reminder_once(
    world, shared_db, celery_env, client_app, tmp_path
):
    env, mail_dir, delay_file = celery_env
    env.update(CELERY_VISIBILITY_TIMEOUT="6", CELERY_RESTORE_INTERVAL="1")
    _units(world)
    shared_db.publish()
    queue = f"n168-faults-{uuid.uuid4().hex[:10]}"
    worker = Worker(env, queue, tmp_path / "worker.log", concurrency=1)
    worker.start()
    try:
        # 1. SIGKILL the pool process while it sends: the main process gives the message back, a new child reruns it
        delay_file.write_text("0.6")
        result = client_app.send_task("notifications.tasks.send_reminders", args=[D_MINUS_7.isoformat()], queue=queue)
        _wait(lambda: sum(_exactly_once(mail_dir, "还有7天截止").values()) >= 2 and _sending_now(mail_dir), 60,
              "the sweep to be sending", worker)
        [child] = _pool_children(worker.proc.pid)
        os.kill(child, signal.SIGKILL)
        killed = time.monotonic()
        sent_before = sum(_exactly_once(mail_dir, "还有7天截止").values())
        _wait(lambda: _received_count(worker) >= 2, 30, "the message to come back", worker)
        requeued_after = time.monotonic() - killed
        delay_file.write_text("0.02")
        report = result.get(timeout=120)
        emails = _exactly_once(mail_dir, "还有7天截止")
        assert sent_before < UNITS, "the sweep finished before it could be killed"
        assert len(emails) == UNITS and set(emails.values()) == {1}, (sent_before, emails)
        assert shared_db.notices(offset=-7) == UNITS and shared_db.notices(offset=-7, distinct=True) == UNITS
        assert report["dispatched"] == 0 and report["emails"] == UNITS - sent_before  # the rerun sent only the rest
        assert worker.proc.poll() is None
        print(f"\npool process killed: message redelivered after {requeued_after:.1f} s")

        # 2. the whole worker killed mid-sweep: the message waits in Redis until its visibility timeout (6 s here),
        #    then a new worker takes it
        delay_file.write_text("0.6")
        client_app.send_task("notifications.tasks.send_reminders", args=[D_MINUS_3.isoformat()], queue=queue)
        _wait(lambda: sum(_exactly_once(mail_dir, "还有3天截止").values()) >= 1 and _sending_now(mail_dir), 60,
              "the second sweep to be sending", worker)
        worker.kill()
        killed = time.monotonic()
        delay_file.write_text("0.02")
        worker.start()
        _wait(lambda: RECEIVED.search(worker.log.read_bytes()[worker.offset :]), 60, "the lost message", worker)
        lost_after = time.monotonic() - killed
        _wait(lambda: len(_exactly_once(mail_dir, "还有3天截止")) == UNITS, 60, "the rest of the emails", worker)
        time.sleep(1)
        emails = _exactly_once(mail_dir, "还有3天截止")
        assert set(emails.values()) == {1}, emails
        assert shared_db.notices(offset=-3) == UNITS
        assert lost_after >= 5, f"redelivered before the visibility timeout ({lost_after:.1f} s)"
        print(f"whole worker killed: message redelivered after {lost_after:.1f} s (visibility timeout 6 s)")
    finally:
        worker.stop()
        connection.close()


# ---- (b) Redis restarted under a busy worker --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, on a free port, without persistence (a restart loses its data)."""

    def __init__(self, log: Path):
        self.port, self.log, self.proc = _free_port(), log, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--daemonize", "no"], stdout=out, stderr=subprocess.STDOUT,
            )
        import redis

        def up():
            try:
                return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
            except redis.exceptions.ConnectionError:
                return False

        _wait(up, 20, "the private redis")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        if os.environ.get("REDIS_URL"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


def test_a_worker_busy_with_a_sweep_survives_a_redis_restart(world, shared_db, celery_env, private_redis, tmp_path):
    from celery import Celery

    env, mail_dir, delay_file = celery_env
    env.update(REDIS_URL=private_redis.url)
    _units(world)
    shared_db.publish()
    queue = f"n168-restart-{uuid.uuid4().hex[:10]}"
    # as in production: gossip, mingle, heartbeats and task events on
    worker = Worker(env, queue, tmp_path / "worker.log", concurrency=2, production_flags=True)
    worker.start()
    try:
        delay_file.write_text("0.5")
        app = Celery("n168-restart", broker=private_redis.url, backend=private_redis.url, set_as_current=False)
        app.send_task("notifications.tasks.send_reminders", args=[D_MINUS_7.isoformat()], queue=queue)
        app.close()
        _wait(lambda: _sending_now(mail_dir), 60, "the sweep to be sending", worker)
        private_redis.stop()  # a late-acknowledged message is unacknowledged in the worker right now
        time.sleep(1)
        private_redis.start()
        log_at = worker.log.stat().st_size
        _wait(lambda: b"Connected to" in worker.log.read_bytes()[log_at:] or worker.proc.poll() is not None, 60,
              "the worker to reconnect", worker)
        assert worker.proc.poll() is None, worker.tail()
        delay_file.write_text("0.02")
        app = Celery("n168-restart-after", broker=private_redis.url, backend=private_redis.url, set_as_current=False)
        try:
            report = app.send_task(
                "notifications.tasks.send_reminders", args=[D_MINUS_3.isoformat()], queue=queue
            ).get(timeout=90)
        finally:
            app.close()
        assert report["dispatched"] == UNITS + 1  # the units and the city's digest
        emails = _exactly_once(mail_dir, "还有3天截止")
        assert len(emails) == UNITS and set(emails.values()) == {1}, emails
        # the sweep that was running when Redis went away finished too, each email once
        _wait(lambda: len(_exactly_once(mail_dir, "还有7天截止")) == UNITS, 60, "the first sweep's emails", worker)
        assert set(_exactly_once(mail_dir, "还有7天截止").values()) == {1}
        assert b"Unrecoverable error" not in worker.log.read_bytes(), worker.tail()
        assert worker.proc.poll() is None
    finally:
        worker.stop()
        connection.close()


# ---- (c) a mail server that refuses for two sweeps ----------------------------------------------------------------


def test_emails_refused_for_two_sweeps_go_out_once_each_and_staff_see_the_count(world, settings):
    from notifications.services import emails_retry

    _units(world)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_RETRY_BASE_SECONDS = 0  # each step here stands for a later time: past any backoff
    city = world.user("city_staff")
    with SmtpSink() as sink:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        sink.mode = SmtpSink.GREETING_421
        first = sweep(D_MINUS_7)
        assert first.emails == 0 and first.emails_failed == UNITS and not first.complete
        sink.mode = SmtpSink.MAIL_451
        retry = emails_retry(today=D_MINUS_7)  # beat's retry within the day
        assert retry.sent == 0 and retry.failed == UNITS
        second = sweep(D_MINUS_7 + datetime.timedelta(days=1))
        assert second.emails == 0 and second.emails_failed == UNITS and second.emails_pending == UNITS
        assert sink.messages == [] and sink.sessions >= 3
        alerts = list(Notice.objects.filter(recipient=city, subject__contains="邮件未能发出"))
        assert 1 <= len(alerts) <= 2  # at most once a day (two days here)
        assert {a.subject for a in alerts} == {f"有{UNITS}封提醒邮件未能发出"}, [a.subject for a in alerts]
        assert all("try again later" in a.body and a.email == "" for a in alerts)

        sink.mode = SmtpSink.ACCEPT
        third = sweep(D_MINUS_7 + datetime.timedelta(days=2))
        assert third.emails == UNITS and third.emails_failed == 0 and third.emails_pending == 0 and third.complete
        assert emails_retry(today=D_MINUS_7 + datetime.timedelta(days=2)).sent == 0
        received = sink.received()
    counts: dict[str, int] = {}
    for to, subject, text in received:
        counts[to] = counts.get(to, 0) + 1
        assert "还有5天截止" in subject and "截止日期：2026年3月20日" in text, (subject, text)
    assert len(counts) == UNITS and set(counts.values()) == {1}, counts
