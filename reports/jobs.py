"""Background exports: queued after commit, made by a Celery worker with its progress on the job, and never left
`running` by a worker that died.

A worker holds a job by its lease: it claims the job (pending → running, one more attempt), then writes heartbeat_at
with its progress a few times a minute and from a heartbeat thread while WeasyPrint is busy. A running job whose
heartbeat is older than EXPORT_LEASE_SECONDS lost its worker: the job page (when read) and the periodic sweep
(reports.tasks.sweep_exports) queue it once more, or fail it with a message once it has had its second attempt. Every
write of a worker names its attempt, so a worker that comes back late changes nothing.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.replica import replica_reads
from organizations.models import Organization

from .exports.paging import PageCounter
from .exports.table import Table
from .models import ExportJob
from .selectors import can_review

CONSOLIDATION = "consolidation"  # ExportJob.kind of the city's Annex 5 consolidation
MEMBERS = "members"  # ExportJob.kind of a member list too long for the request (organizations.exports)
MAKE_EXPORT = "reports.tasks.make_export"  # the Celery task that runs export_job_run
MAX_ATTEMPTS = 2  # the first run and one retry
State, Phase = ExportJob.State, ExportJob.Phase
NAMES = {"annex1": "附件1_年度工作目标分解表", "annex2": "附件2_年度党员亮岗履职一览表"}


def lease_seconds() -> int:
    return int(getattr(settings, "EXPORT_LEASE_SECONDS", 120))


def progress_every() -> float:
    """Seconds between two progress writes, at the most (besides one at each change of phase)."""
    return float(getattr(settings, "EXPORT_PROGRESS_SECONDS", 1.0))


def _queue(job_id: int) -> None:
    """The task is looked up by name: the tasks module calls this one and is not imported back."""
    transaction.on_commit(lambda: current_app.tasks[MAKE_EXPORT].delay(job_id))


@transaction.atomic
def export_job_create(*, requested_by, organization: Organization, kind: str, params: dict) -> ExportJob:
    """A pending background export; reports.tasks.make_export makes its file, queued after commit."""
    job = ExportJob(requested_by=requested_by, organization=organization, kind=kind, params=params)
    job.full_clean()
    job.save()
    _queue(job.pk)
    return job


class Superseded(Exception):
    """The job is no longer this worker's: it was taken back after its lease ran out."""


class Progress:
    """The worker's writes on its job, each naming the attempt it holds: progress at most every progress_every()
    seconds (and at each change of phase), the heartbeat with every write."""

    def __init__(self, job: ExportJob):
        self.job_id, self.attempt = job.pk, job.attempts
        self.every = progress_every()
        self.last = 0.0
        self.rows = self.pages = 0
        self.stop = threading.Event()

    def write(self, **fields) -> None:
        held = ExportJob.objects.filter(pk=self.job_id, state=State.RUNNING, attempts=self.attempt)
        if not held.update(heartbeat_at=timezone.now(), **fields):
            raise Superseded(self.job_id)
        self.last = time.monotonic()

    def tick(self, **fields) -> None:
        if time.monotonic() - self.last >= self.every:
            self.write(**fields)

    def read(self, tables: list[Table]) -> None:
        """Count the tables' rows as they are read, and measure the pages they will make."""
        self.write(phase=Phase.READING, rows_total=sum(t.row_count for t in tables), rows_done=0, pages_done=0)
        for table in tables:
            table.rows = self._counted(table, table.rows)

    def _counted(self, table: Table, rows: Iterable[list]) -> Iterator[list]:
        """The rows, read in order, table after table; each table starts on a page of its own."""
        before, counter = self.pages, PageCounter(table)
        for row in rows:
            counter.add(row)
            self.rows += 1
            self.pages = before + counter.pages
            self.tick(rows_done=self.rows, pages_total=self.pages)
            yield row
        self.pages = before + counter.finish(table)

    def step(self, page: int | None) -> None:
        """WeasyPrint laid out page `page` (None: it is writing the file)."""
        if page is None:
            self.write(phase=Phase.SAVING, pages_done=max(self.pages, 1))
        elif page == 1:
            self.write(phase=Phase.RENDERING, rows_done=self.rows, pages_total=max(self.pages, 1), pages_done=0)
        else:
            self.tick(pages_done=page - 1, pages_total=max(self.pages, page))

    @contextmanager
    def heartbeat(self) -> Iterator[None]:
        """A thread that renews the lease while the work goes on between progress writes (a long layout step)."""

        def beat() -> None:
            try:
                while not self.stop.wait(max(lease_seconds() / 4, 1)):
                    ExportJob.objects.filter(pk=self.job_id, state=State.RUNNING, attempts=self.attempt).update(
                        heartbeat_at=timezone.now()
                    )
            finally:
                connection.close()

        thread = threading.Thread(target=beat, name=f"export-{self.job_id}-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            self.stop.set()
            thread.join()


def _export_file(job: ExportJob, progress: Progress) -> tuple[bytes, str]:
    """The file of an export job and the name it is downloaded under."""
    from . import consolidation_data
    from .exports import tables
    from .exports.pdf import pdf_bytes
    from .exports.xlsx import xlsx_bytes

    ext = job.params.get("format", "pdf")
    if job.kind == MEMBERS:
        return _members_file(job, progress)
    if job.kind == CONSOLIDATION:
        year, quarter = int(job.params["year"]), int(job.params["quarter"])
        # read as the person who asked, with their access as it is now
        if not can_review(job.requested_by):
            raise PermissionError("the requester no longer reviews quarterly reports")
        made = consolidation_data.consolidation_tables(job.requested_by, year, quarter)
        filename = consolidation_data.filename(year, quarter, ext)
    else:
        year = int(job.params["year"])
        builders = {"annex1": tables.annex1, "annex2": tables.annex2}
        extra = {"unclaimed": bool(job.params["unclaimed"])} if "unclaimed" in job.params else {}
        made = [builders[job.kind](job.organization, year, **extra)]
        filename = f"{NAMES[job.kind]}_{job.organization.name}_{year}年.{ext}"
    progress.read(made)
    if ext == "xlsx":
        data = xlsx_bytes(made)
        progress.write(phase=Phase.SAVING, rows_done=progress.rows)
        return data, filename
    return pdf_bytes(made, on_step=progress.step), filename


def _members_file(job: ExportJob, progress: Progress) -> tuple[bytes, str]:
    """党员名册 with the page's filters (organizations.exports), read as the person who asked, with their access as it
    is now: an organization they no longer see is not read."""
    from organizations import access
    from organizations import exports as org_exports

    if not access.is_visible(job.requested_by, job.organization):
        raise PermissionError("the requester no longer sees the organization")
    progress.write(phase=Phase.READING)
    data = org_exports.members_xlsx(job.requested_by, job.organization, org_exports.member_params(job.params))
    progress.write(phase=Phase.SAVING)
    return data, org_exports.members_filename(job.organization)


def export_job_run(*, job_id: int) -> ExportJob:
    """Make the file of a background export. The job ends done (with its file) or failed (with the error and a message
    for the requester); a job not pending (finished, or held by another worker) is left as it is."""
    claimed = ExportJob.objects.filter(pk=job_id, state=State.PENDING).update(
        state=State.RUNNING, attempts=F("attempts") + 1, heartbeat_at=timezone.now(), phase=Phase.WAITING
    )
    job = ExportJob.objects.select_related("organization", "requested_by").get(pk=job_id)
    if not claimed:
        return job
    progress = Progress(job)
    held = ExportJob.objects.filter(pk=job.pk, state=State.RUNNING, attempts=job.attempts)
    try:
        with progress.heartbeat(), replica_reads():  # the export reads the replica, if there is one
            data, filename = _export_file(job, progress)
    except Superseded:
        return ExportJob.objects.get(pk=job.pk)
    except Exception as exc:  # recorded on the job for the person waiting for it
        held.update(
            state=State.FAILED, error=str(exc)[:1000], message=_("生成失败，请稍后重试或联系管理员。"),
            finished_at=timezone.now(), phase=Phase.WAITING,
        )  # fmt: skip
        return ExportJob.objects.get(pk=job.pk)
    job.file.save(f"export-{job.pk}.{filename.rsplit('.', 1)[-1]}", ContentFile(data), save=False)
    name = job.file.name
    if not held.update(
        file=name, filename=filename, state=State.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now(),
        phase=Phase.WAITING, pages_done=F("pages_total"),
    ):  # fmt: skip
        job.file.storage.delete(name)  # taken back meanwhile: the other attempt's file is the one kept
    return ExportJob.objects.get(pk=job.pk)


# ---- the lease ----------------------------------------------------------------------------------------------------


def _stale(now: datetime.datetime) -> Q:
    """Running with no heartbeat for a lease; or pending (never started, or queued again) for ten leases, when no
    worker takes the queue."""
    lease = datetime.timedelta(seconds=lease_seconds())
    return Q(state=State.RUNNING, heartbeat_at__lt=now - lease) | Q(
        Q(heartbeat_at__lt=now - 10 * lease) | Q(heartbeat_at__isnull=True, created_at__lt=now - 10 * lease),
        state=State.PENDING,
    )


@transaction.atomic
def export_job_reap(*, job: ExportJob, now: datetime.datetime | None = None) -> ExportJob:
    """A job whose worker is gone: queued once more if it has had one attempt, failed with a message otherwise. A job
    still within its lease is left alone. The update names the state and heartbeat as read, so that the page and the
    sweep reaping the same job at once queue it once."""
    now = now or timezone.now()
    if not ExportJob.objects.filter(_stale(now), pk=job.pk).exists():
        return job
    same = ExportJob.objects.filter(pk=job.pk, state=job.state, heartbeat_at=job.heartbeat_at, attempts=job.attempts)
    if job.state == State.RUNNING and job.attempts < MAX_ATTEMPTS:
        if same.update(state=State.PENDING, heartbeat_at=now, phase=Phase.WAITING):
            _queue(job.pk)
    elif job.state == State.RUNNING:
        same.update(
            state=State.FAILED, finished_at=now, phase=Phase.WAITING, error="lease expired on the last attempt",
            message=_("生成文件的后台进程中断，自动重试后仍未完成。请重新导出；如仍不成功，请联系管理员。"),
        )  # fmt: skip
    else:
        same.update(
            state=State.FAILED, finished_at=now, error="never taken from the queue",
            message=_("导出任务长时间排队未开始（后台进程可能未运行），请联系管理员。"),
        )  # fmt: skip
    return ExportJob.objects.select_related("organization").get(pk=job.pk)


def export_jobs_sweep(*, now: datetime.datetime | None = None) -> int:
    """Reap every job whose lease ran out (the periodic sweep); how many were found."""
    now = now or timezone.now()
    stale = list(ExportJob.objects.filter(_stale(now)).select_related("organization"))
    for job in stale:
        export_job_reap(job=job, now=now)
    return len(stale)
