"""Celery tasks: one line each, calling a service (beat runs sync_periods daily, see CELERY_BEAT_SCHEDULE)."""

import datetime
from dataclasses import asdict

from celery import shared_task

from .services.windows import periods_sweep


@shared_task(name="evaluations.tasks.sync_periods")
def sync_periods(day: str | None = None) -> dict:
    return asdict(periods_sweep(today=datetime.date.fromisoformat(day) if day else None))
