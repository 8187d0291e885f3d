"""Celery tasks: each calls a service (beat runs send_reminders daily and retry_emails every few minutes, see
CELERY_BEAT_SCHEDULE).

The sweep acknowledges its message only when it has finished (acks_late) and gives it back to the queue when its
worker process dies under it (reject_on_worker_lost, e.g. killed for memory): the sweep then runs again from the
start, which is safe because each reminder's claim (Dispatch) and each email's mark make a second run send only what
the first did not.
"""

import datetime

from celery import shared_task

from . import services


class RemindersIncomplete(Exception):
    """The sweep ran, but emails failed (they stay pending and are retried) or a rule failed: not a success."""


@shared_task(name="notifications.tasks.send_reminders", acks_late=True, reject_on_worker_lost=True)
def send_reminders(day: str | None = None) -> dict:
    report = services.reminders_send(today=datetime.date.fromisoformat(day) if day else None)
    if not report.complete:
        raise RemindersIncomplete(report.counts())
    return report.as_dict()


@shared_task(name="notifications.tasks.retry_emails", acks_late=True, reject_on_worker_lost=True)
def retry_emails() -> dict:
    report = services.emails_retry()
    if report.failed:
        raise RemindersIncomplete(f"emails sent {report.sent}, failed {report.failed}, pending {report.pending}")
    return vars(report)
