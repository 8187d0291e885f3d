"""The city's Annex 5 consolidation for all reporting units (xlsx), as the city committee downloads it.

Asked through Django's test client in this process (bench settings, the bench database), for the last complete
quarter, where most units have submitted. A consolidation of more units than reports.views.quarterly.BACKGROUND_UNITS
is made by an export job: the figure is then the whole way to the file (the request that creates the job, the job run
in-process as with eager Celery, the download), inside a transaction rolled back afterwards so that the bench
database keeps no job. Baseline: a bare openpyxl write-only workbook holding the same figures, one row per unit,
without styling.
"""

from __future__ import annotations

import io
import time


def _last_quarter() -> tuple[int, int]:
    from django.utils import timezone

    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def _bare(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _download(client, url: str, params: dict):
    """(last response, file bytes, whether it went through an export job), as a user gets the file."""
    from config.celery import app

    # no worker in the bench: the job runs in this process, inside the figure (the settings' key, as the app reads
    # its configuration from Django's settings under the CELERY_ namespace)
    eager = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    try:
        return _download_eager(client, url, params)
    finally:
        app.conf.CELERY_TASK_ALWAYS_EAGER = eager


def _download_eager(client, url: str, params: dict):
    from django.db import transaction
    from django.test import TestCase
    from django.urls import resolve, reverse

    from reports.models import ExportJob

    with transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):  # the job, queued on commit, runs here
            response = client.get(url, params)
        job_pk = resolve(response["Location"]).kwargs["pk"] if response.status_code == 302 else None
        if job_pk is not None:
            assert client.get(response["Location"]).status_code == 200  # the job page, as the user sees it
            response = client.get(reverse("reports:export_download", args=[job_pk]))
        data = b"".join(response.streaming_content) if response.streaming else response.content
        if job_pk is not None:
            ExportJob.objects.get(pk=job_pk).file.delete(save=False)  # the row goes with the rollback
        transaction.set_rollback(True)
    response.close()  # after the rollback: the test client ends the request (and its connection) here
    return response, data, job_pk is not None


def run() -> list[dict]:
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bench.counting import counting

    try:
        url = reverse("reports:consolidation_xlsx")
        Report = apps.get_model("reports.QuarterlyReport")
    except (NoReverseMatch, LookupError):
        return []
    from reports.models import FIGURE_FIELDS

    year, quarter = _last_quarter()
    # the crawl's visits queue export jobs that no worker runs here; a request finding one waiting would only show it
    apps.get_model("reports.ExportJob").objects.filter(state__in=["pending", "running"]).delete()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench_city"))
    units = apps.get_model("organizations.Organization").objects.filter(reports_quarterly=True).count()
    started = time.perf_counter()
    with counting() as counted:
        response, data, via_job = _download(client, url, {"year": year, "quarter": quarter})
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        return [{"name": "Annex 5 consolidation xlsx", "figure": "—", "baseline": "—", "ratio": None,
                 "note": f"HTTP {response.status_code}"}]
    size = len(data)
    rows = [list(r) for r in Report.objects.filter(year=year, quarter=quarter).values_list(*FIGURE_FIELDS)]
    started = time.perf_counter()
    _bare(rows)
    bare = time.perf_counter() - started
    return [{
        "name": f"Annex 5 consolidation xlsx, {units:,} units ({year} Q{quarter})",
        "figure": f"{seconds:.2f} s", "baseline": f"{bare:.2f} s", "ratio": round(seconds / bare, 2),
        "note": f"{counted.count} queries, {size / 1024:.0f} KiB{', through the export job' if via_job else ''}; "
                "baseline: the same figures, one bare row per unit",
    }]
