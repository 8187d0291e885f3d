"""A REAL Celery worker against the real Redis: two concurrent sweeps, then a worker killed mid-sweep.

Needs PostgreSQL (DATABASE_URL), because the worker is another process and must see the rows this test commits,
and Redis (REDIS_URL; default redis://127.0.0.1:6379/15). Without REDIS_URL and no Redis listening, it is skipped.
"""

from __future__ import annotations

import datetime
import email
import email.header
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from notifications.models import Dispatch, Notice
from tests.notifications_fixtures import add_reporting_units

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
D_MINUS_7 = datetime.date(2026, 3, 13)
D_MINUS_3 = datetime.date(2026, 3, 17)
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REDIS_URL"):
            raise
        pytest.skip(f"no Redis at {url}")
    return url


def _database_url() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("the worker process must share the database: run with DATABASE_URL=postgres://…")
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """`celery -A config worker` as a subprocess with its own process group (so it can be killed whole)."""

    def __init__(self, env: dict, queue: str, log: Path):
        self.env, self.queue, self.log = env, queue, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        celery = Path(sys.executable).parent / "celery"
        self.offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(celery), "-A", "config", "worker", "-P", "prefork", "-c", "2", "-Q", self.queue,
                 "-n", f"{self.queue}-{uuid.uuid4().hex[:6]}@%h", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "--loglevel", "INFO"],
                cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the worker exited:\n{self.tail()}")
            if b" ready." in self.log.read_bytes()[self.offset :]:
                return
            time.sleep(0.2)
        pytest.fail(f"the worker did not become ready:\n{self.tail()}")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self) -> str:
        return self.log.read_bytes()[-4000:].decode("utf-8", "replace")


def _emails(mail_dir: Path) -> list[tuple[str, str]]:
    """(to, subject) of every message the worker wrote."""
    found = []
    for path in sorted(mail_dir.glob("*")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                msg = email.message_from_bytes(chunk)
                subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
                found.append((msg["To"], subject))
    return found


def _count_by_recipient(emails, marker: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for to, subject in emails:
        if marker in subject:
            counts[to] = counts.get(to, 0) + 1
    return counts


@pytest.fixture
def celery_env(tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    delay_file = tmp_path / "mail-delay"
    delay_file.write_text("0")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=_database_url(),
        REDIS_URL=_redis_url(),
        CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_BACKEND="tests.celery_mail.SlowFileBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        SLOW_MAIL_DELAY_FILE=str(delay_file),
        REMINDER_OFFSETS="7,3,1",
        VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(BASE_DIR),
    )
    return env, mail_dir, delay_file


@pytest.fixture
def client_app(celery_env):
    from celery import Celery

    env = celery_env[0]
    app = Celery("n168-test", broker=env["REDIS_URL"], backend=env["REDIS_URL"])
    yield app
    app.close()


def test_a_real_worker_sends_each_reminder_exactly_once(world, celery_env, client_app, tmp_path):
    env, mail_dir, delay_file = celery_env
    staff = world.user("unit_staff")
    staff.email = "unit@example.edu.cn"
    staff.save()
    add_reporting_units(world.city, 5)
    units = 6
    queue = f"n168-test-{uuid.uuid4().hex[:10]}"
    worker = Worker(env, queue, tmp_path / "worker.log")

    def sweep_twice_at_once(day: datetime.date):
        return [
            client_app.send_task("notifications.tasks.send_reminders", args=[day.isoformat()], queue=queue)
            for _ in range(2)
        ]

    worker.start()
    try:
        # 1. two sweeps at the same moment, for 7 days before the deadline
        delay_file.write_text("0.05")
        results = [r.get(timeout=120) for r in sweep_twice_at_once(D_MINUS_7)]
        assert sum(r["dispatched"] for r in results) == units + 1, results  # the units and the city digest
        assert sorted(r["dispatched"] for r in results) == [0, units + 1], results  # one claimed all, one nothing
        emails = _count_by_recipient(_emails(mail_dir), "还有7天截止")
        assert len(emails) == units and set(emails.values()) == {1}, emails
        notices = Notice.objects.filter(dispatch__offset=-7, dispatch__kind="reports.quarterly")
        assert notices.count() == units
        assert notices.values("recipient").distinct().count() == units
        assert Notice.objects.filter(recipient=world.user("city_staff")).count() == 1

        # 2. the D-3 sweep, killed while an email is on its way
        delay_file.write_text("1.0")
        sweep_twice_at_once(D_MINUS_3)
        sending = mail_dir.parent / "sending"
        deadline = time.monotonic() + 60
        killed_after = None
        while time.monotonic() < deadline:
            sent = sum(_count_by_recipient(_emails(mail_dir), "还有3天截止").values())
            fresh = [m for m in sending.glob("*") if time.time() - m.stat().st_mtime < 0.3] if sending.exists() else []
            if sent >= 2 and fresh:
                worker.kill()
                killed_after = sent
                break
            time.sleep(0.02)
        assert killed_after is not None, worker.tail()
        assert killed_after < units, "the sweep finished before it could be interrupted"
        assert Dispatch.objects.filter(offset=-3).count() == units + 1  # claimed with their notices, in one commit

        # 3. a new worker, the sweep again (twice at once): the rest goes out, nothing twice
        delay_file.write_text("0.05")
        worker.start()
        for r in sweep_twice_at_once(D_MINUS_3):
            r.get(timeout=120)
        emails = _count_by_recipient(_emails(mail_dir), "还有3天截止")
        assert len(emails) == units and set(emails.values()) == {1}, (killed_after, emails)
        assert Notice.objects.filter(dispatch__offset=-3, dispatch__kind="reports.quarterly").count() == units
        assert Notice.objects.filter(dispatch__offset=-3).values("recipient").distinct().count() == units + 1
        assert set(_count_by_recipient(_emails(mail_dir), "还有7天截止").values()) == {1}
        assert not Notice.objects.filter(emailed_at__isnull=True).exclude(email="").exists()
    finally:
        worker.stop()
        connection.close()
