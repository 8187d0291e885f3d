"""Long exports never hold a request: the page estimate from the text, a real worker on the embedded default's
filesystem broker with progress on the job page, the lease that retries or fails a job whose worker died, and the
deploy check that refuses the embedded default's broker and per-process cache in production."""

from __future__ import annotations

import datetime
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from organizations.enums import EightRole, Gender, PoliticalStatus
from organizations.models import Member
from reports import jobs
from reports.exports import tables
from reports.exports.paging import estimate_pages
from reports.exports.table import Table
from reports.models import ExportJob
from tests.reports_fixtures import YEAR, posts_with_claims

ROOT = Path(__file__).resolve().parent.parent
LONG = "围绕立德树人根本任务，带头上好每一节课，关心每一名学生的成长，落实课后服务和家访制度。"


def _table(rows: list[list], *, row_count: int | None = None) -> Table:
    return Table(
        title=tables.ANNEX2_TITLE, unit="测试学校党委", date=datetime.date(2026, 3, 16), columns=tables.ANNEX2_COLUMNS,
        widths=tables.ANNEX2_WIDTHS, rows=rows, row_count=len(rows) if row_count is None else row_count,
    )  # fmt: skip


def _row(i: int, text: str) -> list:
    return [i, "张老师", "女", "中共党员", "语文教师", "第一党支部", f"岗位{i}", text, text * 2, "", "", "", "", "", ""]


def _weasyprint_pages(table: Table) -> int:
    from weasyprint import HTML

    from reports.exports.pdf import html_for

    return len(HTML(string=html_for([table]), base_url=str(ROOT)).render().pages)


def test_the_page_estimate_is_measured_from_the_text_not_the_row_count():
    short = [_row(i, "") for i in range(40)]
    long = [_row(i, LONG) for i in range(40)]
    short_pages, long_pages = estimate_pages(_table(short), limit=10**6), estimate_pages(_table(long), limit=10**6)
    assert long_pages >= 2 * short_pages  # the same 40 rows, longer commitments
    for rows, estimate in ((short, short_pages), (long, long_pages)):
        assert abs(_weasyprint_pages(_table(rows)) - estimate) <= max(1, estimate // 10), (estimate, len(rows))


def test_a_table_too_long_by_its_row_count_is_not_read():
    def never():
        raise AssertionError("read in the request")
        yield

    assert estimate_pages(_table(never(), row_count=5000), limit=2) > 2  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_pdf_of_a_couple_of_pages_comes_back_at_once_a_longer_one_goes_to_the_worker(
    world, login, django_capture_on_commit_callbacks
):
    posts_with_claims(world.branch_a, 3)
    client = login(world.user("school_a_secretary"))
    url = reverse("reports:annex2_pdf", args=[world.school_a.pk]) + f"?year={YEAR}"
    r = client.get(url)
    assert r["Content-Type"] == "application/pdf" and not ExportJob.objects.exists()
    # 40 commitments of a long text each: 40 rows, far fewer than the old rows ÷ 16 threshold, but many pages
    from posts.models import Commitment

    posts_with_claims(world.branch_a, 40)
    Commitment.objects.update(content=LONG * 3)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(url)
    job = ExportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("reports:export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.pages_total > 2 and job.rows_done == job.rows_total == 41


def _running(world, *, attempts: int, silent_for: int) -> ExportJob:
    return ExportJob.objects.create(
        requested_by=world.user("school_a_secretary"), organization=world.school_a, kind="annex2",
        params={"year": YEAR}, state=ExportJob.State.RUNNING, attempts=attempts, phase=ExportJob.Phase.RENDERING,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=silent_for),
    )  # fmt: skip


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_made_again_once_then_failed_with_a_message(
    world, login, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_LEASE_SECONDS = 60
    posts_with_claims(world.branch_a, 2)
    client = login(world.user("school_a_secretary"))
    alive = _running(world, attempts=1, silent_for=30)
    died_once = _running(world, attempts=1, silent_for=600)
    died_twice = _running(world, attempts=2, silent_for=600)

    body = client.get(reverse("reports:export_job", args=[alive.pk])).content.decode()
    alive.refresh_from_db()
    assert alive.state == ExportJob.State.RUNNING and 'hx-trigger="every 2s"' in body  # within its lease

    with django_capture_on_commit_callbacks(execute=True):  # the page read finds it stale and queues it again
        client.get(reverse("reports:export_job", args=[died_once.pk]))
    died_once.refresh_from_db()
    assert died_once.state == ExportJob.State.DONE and died_once.attempts == 2 and died_once.file

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.export_jobs_sweep() == 1  # the periodic sweep: only the twice-dead one is still stale
    died_twice.refresh_from_db()
    assert died_twice.state == ExportJob.State.FAILED and died_twice.finished_at
    body = client.get(reverse("reports:export_job", args=[died_twice.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "后台进程中断" in body and "hx-trigger" not in body


@pytest.mark.django_db
def test_a_worker_that_comes_back_after_its_lease_changes_nothing(world):
    job = _running(world, attempts=1, silent_for=600)
    late = jobs.Progress(job)
    jobs.export_job_reap(job=job)  # queued again: attempt 2 will be the one that counts
    with pytest.raises(jobs.Superseded):
        late.write(rows_done=5)
    job.refresh_from_db()
    assert job.state == ExportJob.State.PENDING and job.rows_done == 0


def _deploy_check(**extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}}
    env.update(
        DEBUG="0", SECRET_KEY="a-long-random-production-secret-key-168-" + "z" * 30, ALLOWED_HOSTS="dj.example.edu.cn",
        DATABASE_URL="sqlite:////tmp/deploy-check-broker.sqlite3", **extra,
    )  # fmt: skip
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_deploy_check_refuses_the_file_broker_eager_tasks_and_a_per_process_cache():
    r = _deploy_check(CELERY_TASK_ALWAYS_EAGER="1")
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "168.E001" in out and "168.E002" in out and "168.E003" in out and "REDIS_URL" in out
    fine = _deploy_check(REDIS_URL="redis://127.0.0.1:6379/0")  # the check reads settings, it connects to nothing
    assert fine.returncode == 0 and "168.E" not in fine.stdout + fine.stderr, fine.stdout + fine.stderr


def test_the_deploy_check_refuses_each_of_a_local_broker_and_a_per_process_cache_on_its_own(settings):
    """Either alone fails: a real broker beside a per-process cache, or a shared cache beside the file broker."""
    from config.checks import production_services

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [e.id for e in production_services()] == ["168.E003"]
    settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}}
    assert [e.id for e in production_services()] == []
    for broker in ("filesystem://", "memory://", ""):
        settings.CELERY_BROKER_URL = broker
        assert [e.id for e in production_services()] == ["168.E001"], broker


# ---- a real worker on the embedded default's filesystem broker ----------------------------------------------------


def _shared_database_url(tmp_path: Path) -> tuple[str, Path | None]:
    """The database as the worker and the probe see it: PostgreSQL's test database itself (the test commits), or a
    copy of SQLite's in-memory test database in a file."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}", None
    file = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(file)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{file}", file


def _add_members(org, n: int) -> None:
    """n members on no post yet: one Annex 2 row each, about 16 to a page."""
    Member.objects.bulk_create(
        Member(
            organization=org, name=f"教师{i:04d}", phone=f"1390000{i:04d}", gender=Gender.FEMALE,
            political_status=PoliticalStatus.MEMBER, job="语文教师", role_group=EightRole.PARTY_MEMBER,
        )  # fmt: skip
        for i in range(n)
    )


def _embedded_env(url: str, var: Path, **extra: str) -> dict:
    """The built-in default settings (no REDIS_URL: the filesystem broker under VAR_DIR) on the shared database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REDIS_", "DJANGO_ALLOW_ASYNC"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=url, VAR_DIR=str(var), PYTHONPATH=str(ROOT))
    env["EXPORT_PROGRESS_SECONDS"] = "0.2"  # a 25-page PDF is laid out in seconds: write progress often enough to see
    env.update(extra)
    return env


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    """A real Celery worker, as `make run` starts it, in a process group of its own; returns once it is ready."""
    celery = Path(sys.executable).parent / "celery"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(celery), "-A", "config", "worker", "-c", "1", "-n", f"exports-{uuid.uuid4().hex[:6]}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while b" ready." not in log.read_bytes():
        assert worker.poll() is None and time.monotonic() < deadline, log.read_bytes()[-3000:].decode()
        time.sleep(0.2)
    return worker


def _probe(env: dict, world, *args: str, timeout: int = 170) -> dict:
    """The city's staff ask for the city-wide Annex 2 PDF, members on no post included (tests/export_probe.py)."""
    probe = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "export_probe.py"), str(world.user("city_staff").pk),
         str(world.city.pk), str(YEAR), "unclaimed=1", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr[-3000:]
    return json.loads(probe.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_a_long_pdf_is_made_by_a_real_worker_with_its_progress_shown(world, tmp_path):
    """The built-in default (no REDIS_URL): the city Annex 2 PDF is a job page within a second, a real worker makes
    it while the page shows progress moving forward, and the file is offered when done."""
    _add_members(world.branch_a, 400)
    url, _file = _shared_database_url(tmp_path)
    env = _embedded_env(url, tmp_path / "var")
    worker = _start_worker(env, tmp_path / "worker.log")
    try:
        seen = _probe(env, world)
    finally:
        worker.terminate()
        worker.wait(30)
        connection.close()
    assert seen["status"] == 302 and seen["seconds"] < 1.0, seen  # the request only queued the job
    assert "/reports/exports/" in seen["location"] and seen["page_polls"]
    snapshots = seen["snapshots"]
    running = [s for s in snapshots if s[0] in {"reading", "rendering", "saving"}]
    assert len({s[3] for s in running}) >= 2, snapshots  # progress read at least twice, moving
    assert [s[3] for s in snapshots] == sorted(s[3] for s in snapshots), snapshots  # and only forward
    assert any(s[0] == "rendering" and s[2] > 0 for s in snapshots), snapshots  # pages laid out, counted
    assert "已生成" in seen["final"] and seen["pdf_head"] == "%PDF-", seen["final"][-500:]
    pages = int(re.search(r"约 (\d+) 页", seen["final"]).group(1))
    made = _pdf_pages(Path(seen["pdf_path"]))
    assert made >= 10 and abs(made - pages) <= max(2, made // 10), (made, pages)  # long, and estimated within 10%
    print(f"\ncity Annex 2 PDF: job page in {seen['seconds']:.3f}s, {made} pages, progress seen {len(snapshots)} times")


def _pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)  # poppler-utils
    return int(re.search(r"Pages:\s+(\d+)", out.stdout).group(1))



@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_mid_render_is_made_again(world, tmp_path, settings):
    """A real worker is killed (SIGKILL, as the OOM killer or a lost machine would) while it lays out the city Annex 2
    PDF: its heartbeat stops, and once the lease has run out the sweep queues the job again; the second attempt makes
    the file. The job is never left `running`."""
    import signal

    if connection.vendor != "postgresql":
        pytest.skip("this process must see the worker's writes: on SQLite the worker reads a copy of the test database")
    _add_members(world.branch_a, 400)
    url, _file = _shared_database_url(tmp_path)
    env = _embedded_env(url, tmp_path / "var", EXPORT_LEASE_SECONDS="4")
    worker = _start_worker(env, tmp_path / "worker.log")
    try:
        seen = _probe(env, world, "--queue-only", timeout=60)
        assert seen["status"] == 302 and seen["seconds"] < 1.0, seen
        job = ExportJob.objects.get(pk=int(re.search(r"/(\d+)/", seen["location"]).group(1)))
        deadline = time.monotonic() + 90
        while True:
            job.refresh_from_db()
            if job.state == ExportJob.State.RUNNING and job.phase == ExportJob.Phase.RENDERING and job.pages_done > 0:
                break
            assert job.state in {ExportJob.State.PENDING, ExportJob.State.RUNNING} and time.monotonic() < deadline, (
                job.state, job.phase, (tmp_path / "worker.log").read_bytes()[-2000:].decode())
            time.sleep(0.1)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool process, mid-render
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(30)
    killed_at_pages = job.pages_done
    time.sleep(1)
    job.refresh_from_db()
    assert job.state == ExportJob.State.RUNNING and job.attempts == 1  # what a dead worker leaves behind
    settings.EXPORT_LEASE_SECONDS = 4
    assert jobs.export_jobs_sweep() == 0  # within its lease: left alone
    time.sleep(5)
    assert jobs.export_jobs_sweep() == 1  # the lease ran out: queued again (run here at once: tests run tasks eagerly)
    job.refresh_from_db()
    connection.close()
    assert job.state == ExportJob.State.DONE and job.attempts == 2 and job.file, (job.state, job.attempts, job.error)
    assert job.pages_total > 10 and killed_at_pages < job.pages_total
    print(f"\nkilled at page {killed_at_pages} of {job.pages_total}; made again on attempt {job.attempts}")
