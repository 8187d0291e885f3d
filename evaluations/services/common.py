"""Helpers every evaluations service shares."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import EvaluationPeriod
from .windows import ensure_in_window

log = logging.getLogger(__name__)
STALE = "此记录已被他人修改，请核对最新内容后再保存"


def ensure_open(period: EvaluationPeriod, action: str | None = None, *, today: datetime.date | None = None) -> None:
    """A closed period accepts no writes. With an action (windows.Action), the write must also fall inside the
    period's window in force (or its reopening), else it is refused with a message naming the window."""
    if not period.is_open:
        raise ValidationError(_("该考评期已结束，不能再修改。如确需修改，请先由书记说明理由重新开放。"))
    if action is not None:
        ensure_in_window(period, action=action, today=today)


def notify(*, user, subject: str, body: str, url: str, key: str) -> None:
    """Send an in-app notice after commit through notifications (a lower layer), once per key."""
    if user is None:
        return

    def send() -> None:
        try:
            from notifications.services import notice_send
        except ImportError:  # notifications not installed yet: nothing to send through
            log.info("notice skipped (no notifications.services): %s", key)
            return
        notice_send(recipient=user, subject=subject, body=body, url=url, key=key)

    transaction.on_commit(send)
