from celery import shared_task

from . import jobs

# a job that outgrows this is stopped; its lease then runs out and the sweep retries or fails it
EXPORT_TIME_LIMIT = 45 * 60


@shared_task(acks_late=True, time_limit=EXPORT_TIME_LIMIT)
def make_export(job_id: int) -> None:
    jobs.export_job_run(job_id=job_id)


@shared_task(name="reports.tasks.sweep_exports")
def sweep_exports() -> int:
    """Exports whose worker died: queued once more, or failed with a message (jobs.export_jobs_sweep)."""
    return jobs.export_jobs_sweep()
