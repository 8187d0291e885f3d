"""A REAL Celery worker against the real Redis: two concurrent sweeps, then a worker killed mid-sweep.

The worker is another process and must see the rows this test writes: with PostgreSQL (DATABASE_URL) it uses the
test database itself (the test commits, transactional_db); with SQLite, pytest's database lives in memory, so the
test copies it, world and all, into a temporary file that the worker opens, and reads the outcome from that file.
Redis: REDIS_URL (default redis://127.0.0.1:6379/15); without REDIS_URL and no Redis listening, it is skipped.
"""

from __future__ import annotations

import datetime
import email
import email.header
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.notifications_fixtures import add_reporting_units
from tests.real_services import redis_url

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
D_MINUS_7 = datetime.date(2026, 3, 13)
D_MINUS_3 = datetime.date(2026, 3, 17)
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _redis_url() -> str:
    return redis_url("redis://127.0.0.1:6379/15")


class SharedDatabase:
    """The database as the worker sees it: its URL, and counts read from it by SQL."""

    def __init__(self, tmp_path: Path):
        self.file: Path | None = None
        if connection.vendor == "postgresql":
            s = connection.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
            self.url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        elif connection.vendor == "sqlite":
            self.file = tmp_path / "shared.sqlite3"
            self.url = f"sqlite:///{self.file}"
        else:
            pytest.skip(f"no shared database for {connection.vendor}")

    def publish(self) -> None:
        """Make what the test wrote visible to the worker (SQLite: copy the in-memory database to the file)."""
        if self.file is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def count(self, sql: str) -> int:
        if self.file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0]
        with sqlite3.connect(self.file, timeout=30) as db:
            return db.execute(sql).fetchone()[0]

    def notices(self, *, offset: int, kind: str = "reports.quarterly", distinct: bool = False, user=None) -> int:
        what = "count(DISTINCT n.recipient_id)" if distinct else "count(*)"
        where = f"d.\"offset\" = {int(offset)}" + (f" AND d.kind = '{kind}'" if kind else "")
        if user is not None:
            where += f" AND n.recipient_id = {int(user.pk)}"
        return self.count(
            f"SELECT {what} FROM notifications_notice n JOIN notifications_dispatch d ON n.dispatch_id = d.id "
            f"WHERE {where}"
        )


class Worker:
    """`celery -A config worker` as a subprocess with its own process group (so it can be killed whole)."""

    def __init__(self, env: dict, queue: str, log: Path, *, concurrency: int = 2, production_flags: bool = False):
        self.env, self.queue, self.log = env, queue, log
        self.concurrency, self.production_flags = concurrency, production_flags
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        celery = Path(sys.executable).parent / "celery"
        self.offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(celery), "-A", "config", "worker", "-P", "prefork", "-c", str(self.concurrency), "-Q", self.queue,
                 "-n", f"{self.queue}-{uuid.uuid4().hex[:6]}@%h", "--loglevel", "INFO"]
                + (["-E"] if self.production_flags else ["--without-gossip", "--without-mingle", "--without-heartbeat"]),
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
def shared_db(tmp_path):
    return SharedDatabase(tmp_path)


@pytest.fixture
def celery_env(tmp_path, shared_db):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    delay_file = tmp_path / "mail-delay"
    delay_file.write_text("0")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=shared_db.url,
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
    app = Celery("n168-test", broker=env["REDIS_URL"], backend=env["REDIS_URL"], set_as_current=False)
    yield app
    app.close()


def test_a_real_worker_sends_each_reminder_exactly_once(world, shared_db, celery_env, client_app, tmp_path):
    env, mail_dir, delay_file = celery_env
    staff = world.user("unit_staff")
    staff.email = "unit@example.edu.cn"
    staff.save()
    add_reporting_units(world.city, 5)
    units = 6
    shared_db.publish()
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
        assert shared_db.notices(offset=-7) == units
        assert shared_db.notices(offset=-7, distinct=True) == units
        assert shared_db.notices(offset=-7, kind="", user=world.user("city_staff")) == 1

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
        # claimed with their notices, in one commit, before the first email
        assert shared_db.count('SELECT count(*) FROM notifications_dispatch WHERE "offset" = -3') == units + 1
        assert shared_db.notices(offset=-3) == units

        # 3. a new worker, the sweep again (twice at once): the rest goes out, nothing twice
        delay_file.write_text("0.05")
        worker.start()
        for r in sweep_twice_at_once(D_MINUS_3):
            r.get(timeout=120)
        emails = _count_by_recipient(_emails(mail_dir), "还有3天截止")
        assert len(emails) == units and set(emails.values()) == {1}, (killed_after, emails)
        assert shared_db.notices(offset=-3) == units
        assert shared_db.notices(offset=-3, kind="", distinct=True) == units + 1
        assert set(_count_by_recipient(_emails(mail_dir), "还有7天截止").values()) == {1}
        assert shared_db.count("SELECT count(*) FROM notifications_notice WHERE emailed_at IS NULL AND email <> ''") == 0
    finally:
        worker.stop()
        connection.close()
