"""Celery tasks of 情况通报: each calls a service."""

from celery import shared_task

from . import services


@shared_task(name="bulletins.tasks.notify_circular")
def notify_circular(notice_id: int) -> int:
    return services.circular_notify(notice_id=notice_id)
