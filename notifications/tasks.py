"""Celery tasks: one line each, calling a service (beat runs send_reminders daily, see CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task

from . import services


@shared_task(name="notifications.tasks.send_reminders")
def send_reminders(day: str | None = None) -> dict:
    return services.reminders_send(today=datetime.date.fromisoformat(day) if day else None).as_dict()
