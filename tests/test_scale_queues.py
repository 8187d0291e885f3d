"""Exports and reminders on separate Celery queues, each with its own REAL worker on the real Redis: a reminder sweep
sent while an export holds the exports worker finishes at once; the export then finishes too.

The export is made long without burning the shared CPU: the test holds a lock on the export's row, so the exports
worker's first statement (claiming the job) waits until the test lets go, as a province-wide workbook keeps its worker
for minutes. PostgreSQL only (the workers share the test database; SQLite's one writer would block the sweep too).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from reports.models import ExportJob
from tests.real_services import redis_url
from tests.reports_fixtures import YEAR, posts_with_claims
from tests.test_notifications_celery import SharedDatabase, Worker

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
RECEIVED = re.compile(rb"reports\.tasks\.make_export\[[0-9a-f-]+\] received")


def test_the_project_routes_exports_and_reminders_to_their_own_queues():
    from config.celery import app

    route = app.amqp.router.route
    assert route({}, "reports.tasks.make_export")["queue"].name == "exports"
    for task in ("notifications.tasks.send_reminders", "notifications.tasks.retry_emails",
                 "reports.tasks.sweep_exports", "evaluations.tasks.sync_periods", "organizations.tasks.sweep_audit"):
        assert route({}, task)["queue"].name == "reminders", task
    assert {q.name for q in app.amqp.queues.values()} == {"exports", "reminders"}  # a worker without -Q takes both


def worker_env(db_url: str, broker: str, tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "CELERY_", "DJANGO_ALLOW_ASYNC"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=db_url, REDIS_URL=broker, CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "shared-media"), PYTHONPATH=str(settings.BASE_DIR),
    )  # fmt: skip
    return env


def routed_client(broker: str):
    """A Celery client with the project's queues and routes (and none of its eager test setting)."""
    from celery import Celery

    app = Celery("scale-test", broker=broker, backend=broker, set_as_current=False)
    app.conf.update(
        task_queues=settings.CELERY_TASK_QUEUES, task_default_queue=settings.CELERY_TASK_DEFAULT_QUEUE,
        task_routes=settings.CELERY_TASK_ROUTES,
    )  # fmt: skip
    return app


def test_a_long_export_never_delays_a_reminder(world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the export is held by a row lock on the shared PostgreSQL test database")
    posts_with_claims(world.branch_a, 3)
    job = ExportJob.objects.create(
        requested_by=world.user("school_a_secretary"), organization=world.school_a, kind="annex2",
        params={"year": YEAR, "format": "xlsx", "unclaimed": True},
    )  # fmt: skip
    broker = redis_url("redis://127.0.0.1:6379/15")
    env = worker_env(SharedDatabase(tmp_path).url, broker, tmp_path)
    client = routed_client(broker)
    client.control.purge()  # nothing left over on the two queues from an earlier run
    exports = Worker(env, "exports", tmp_path / "exports.log", concurrency=1)
    reminders = Worker(env, "reminders", tmp_path / "reminders.log", concurrency=1)
    s = connection.settings_dict
    holder = psycopg2.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
                              host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432)  # fmt: skip
    exports.start()
    reminders.start()
    try:
        with holder.cursor() as cur:  # the export's row, locked until the test commits
            cur.execute("SELECT id FROM reports_exportjob WHERE id = %s FOR UPDATE", [job.pk])
        export = client.send_task("reports.tasks.make_export", args=[job.pk])
        deadline = time.monotonic() + 30
        while not RECEIVED.search((tmp_path / "exports.log").read_bytes()):
            assert time.monotonic() < deadline, exports.tail()
            time.sleep(0.1)
        started = time.monotonic()
        sweep = client.send_task("notifications.tasks.send_reminders")
        result = sweep.get(timeout=60)
        took = time.monotonic() - started
        job.refresh_from_db()
        assert job.state == ExportJob.State.PENDING, "the export was not still waiting for its worker"
        assert "dispatched" in result and took < 15, (took, result)
        assert not export.ready()
        holder.commit()  # the long export may go on now
        export.get(timeout=120)
        job.refresh_from_db()
        assert job.state == ExportJob.State.DONE and job.file.name.startswith("exports/"), job.error
        assert (tmp_path / "shared-media" / job.file.name).exists()
    finally:
        holder.close()
        exports.stop()
        reminders.stop()
        client.close()
        connection.close()
