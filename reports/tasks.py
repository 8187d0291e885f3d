from celery import shared_task

from . import services


@shared_task(acks_late=True)
def make_export(job_id: int) -> None:
    services.export_job_run(job_id=job_id)
