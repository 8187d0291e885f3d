"""Optional read replica (DATABASE_REPLICA_URL): the dashboards' and background exports' reads go to it, and a write
never does, not even of an object read from it. The replica is a second alias of the same PostgreSQL test database,
so what each alias ran can be told apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.db_router import ReplicaRouter
from machinery.replica import replica_reads
from reports.models import ExportJob
from tests.reports_fixtures import YEAR, posts_with_claims
from tests.test_notifications_celery import SharedDatabase

ROOT = Path(settings.BASE_DIR)
WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE", "SELECT ... FOR UPDATE")


def _writes(sqls: list[str]) -> list[str]:
    return [q for q in sqls if q.lstrip().upper().startswith(WRITES[:-1]) or " FOR UPDATE" in q.upper()]


def test_the_router_sends_reads_inside_the_block_to_the_replica_and_every_write_to_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(ExportJob) == "default" and router.db_for_write(ExportJob) == "default"
    with replica_reads():
        assert router.db_for_read(ExportJob) == "replica"
        assert router.db_for_write(ExportJob) == "default"
        assert router.db_for_write(ExportJob, instance=ExportJob(pk=1)) == "default"
    assert router.db_for_read(ExportJob) == "default"
    assert router.allow_migrate("default", "reports") and not router.allow_migrate("replica", "reports")


def _databases(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    code = ("import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps({'aliases': sorted(settings.DATABASES), 'routers': settings.DATABASE_ROUTERS, "
            "'test': settings.DATABASES.get('replica', {}).get('TEST', {})}))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_replica_and_its_router_exist_only_when_configured():
    assert _databases() == {"aliases": ["default"], "routers": [], "test": {}}
    replica = _databases(DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/dangjian")
    assert replica["aliases"] == ["default", "replica"] and replica["routers"] == ["config.db_router.ReplicaRouter"]
    assert replica["test"]["MIRROR"] == "default"  # tests read the replica alias from the test database


@pytest.mark.django_db(transaction=True)
def test_dashboards_and_exports_read_the_replica_and_no_write_reaches_it(world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the replica alias names the PostgreSQL test database")
    posts_with_claims(world.branch_a, 5)
    job = ExportJob.objects.create(
        requested_by=world.user("school_a_secretary"), organization=world.school_a, kind="annex2",
        params={"year": YEAR, "format": "xlsx", "unclaimed": True},
    )  # fmt: skip
    url = SharedDatabase(tmp_path).url
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "CELERY_", "DJANGO_ALLOW_ASYNC"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=url, DATABASE_REPLICA_URL=url,
               VAR_DIR=str(tmp_path / "var"), MEDIA_ROOT=str(tmp_path / "media"), PYTHONPATH=str(ROOT))  # fmt: skip
    probe = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "replica_probe.py"), str(world.user("city_staff").pk), str(job.pk)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=170,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr[-3000:]
    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    connection.close()

    dashboard, export, write = seen["dashboard"], seen["export"], seen["write"]
    assert dashboard["result"] == 200 and export["result"] == ExportJob.State.DONE
    # the reads of the page and of the export went to the replica ...
    assert any("organizations_organization" in q for q in dashboard["replica"]), dashboard
    assert any("posts_postclaim" in q for q in export["replica"]), export["replica"]
    # ... and no write ever did: the job's claim, progress and file, and the object read from the replica, saved
    for part in (dashboard, export, write):
        assert _writes(part["replica"]) == [], _writes(part["replica"])
    assert any(q.startswith("UPDATE") and "reports_exportjob" in q for q in export["default"])
    assert write["result"] == "replica" and any("reports_exportjob" in q for q in write["replica"])  # read there
    assert [q for q in write["default"] if q.startswith("UPDATE")], write  # saved here
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.message == "read on the replica, saved on the primary"
