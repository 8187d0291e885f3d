"""Run in a subprocess whose DATABASE_REPLICA_URL names the same PostgreSQL test database as DATABASE_URL: the city
dashboard, a background export and a write of an object read inside replica_reads(), with the SQL each alias ran.
Prints {"dashboard": {alias: [sql]}, "export": {...}, "write": {...}} as JSON.

    python tests/replica_probe.py <city staff user pk> <export job pk>
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from contextlib import ExitStack  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from machinery.replica import replica_reads  # noqa: E402
from reports import jobs  # noqa: E402
from reports.models import ExportJob  # noqa: E402

setup_test_environment()
user_pk, job_pk = (int(a) for a in sys.argv[1:3])
client = Client()
client.force_login(get_user_model().objects.get(pk=user_pk))


def captured(action) -> dict:
    with ExitStack() as stack:
        seen = {alias: stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in connections}
        result = action()
    return {"result": result, **{alias: [q["sql"] for q in ctx.captured_queries] for alias, ctx in seen.items()}}


def write_inside():
    with replica_reads():
        job = ExportJob.objects.get(pk=job_pk)  # read from the replica
        read_from = job._state.db
        job.message = "read on the replica, saved on the primary"
        job.save(update_fields=["message"])
        return read_from


out = {
    "dashboard": captured(lambda: client.get(reverse("reports:dashboard")).status_code),
    "export": captured(lambda: jobs.export_job_run(job_id=job_pk).state),
    "write": captured(write_inside),
}
print(json.dumps(out, ensure_ascii=False))
