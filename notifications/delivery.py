"""Email of the inbox: each notice's email handed to the mail server once, retried with backoff while it fails, and
dropped (recorded as obsolete) once its reminder no longer asks for anything.

At-least-once, as services' module note explains: each email is sent inside a short transaction that first marks
the notice emailed (a conditional UPDATE that also locks the row) and commits once the mail server has accepted it;
a process that dies before that commit rolls the mark back, and the next pass sends it again. Every email carries a
Message-ID made from the notice, so the rare second copy is recognisable as the same message.

A failed email stays pending: attempt n is followed by attempt n+1 no sooner than EMAIL_RETRY_BASE_SECONDS * 2^(n-1)
later (at most EMAIL_RETRY_MAX_SECONDS), by the retry task that beat runs every few minutes or by the next sweep. It
is tried until it goes out or its reminder is obsolete: the rules no longer produce the reminder (the report was
submitted, the work done, the window over), or a reminder before a deadline reaches a day after it. A notice that is
no reminder is tried for EMAIL_RETRY_DAYS days. The text is rendered when it is sent: “还有N天截止” is counted from
the notice's deadline on the day the email goes out, and the email names the deadline as a date.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notice
from .sweep import Reminder, reminders_due

logger = logging.getLogger(__name__)


@dataclass
class Delivery:
    """What one pass over pending emails did."""

    sent: int = 0
    failed: list[int] = field(default_factory=list)  # notices whose email failed in this pass
    errors: list[str] = field(default_factory=list)

    def add(self, other: Delivery) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.errors += other.errors


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long after its `attempts`-th failure an email is tried again (doubling, capped)."""
    base = int(getattr(settings, "EMAIL_RETRY_BASE_SECONDS", 300))
    cap = int(getattr(settings, "EMAIL_RETRY_MAX_SECONDS", 3600))
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def pending_emails():
    """Notices whose email has not gone out and is still wanted."""
    return Notice.objects.filter(emailed_at__isnull=True, email_obsolete_at__isnull=True).exclude(email="")


# ---- the message -----------------------------------------------------------------------------------------------


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def message_for(notice: Notice, *, today: datetime.date) -> EmailMultiAlternatives:
    """The email of `notice` as sent on `today` (days left counted today; the deadline named as a date)."""
    user = notice.recipient
    subject = notice.subject_on(today)
    context = {
        "notice": notice,
        "subject": subject,
        "body": notice.body_on(today),
        "deadline_text": notice.deadline_text,
        "name": user.get_full_name() or user.get_username(),
        "link": _absolute(notice.url) if notice.url else "",
        "inbox": _absolute("/inbox/"),
    }
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=_("【168平台】%(subject)s") % {"subject": subject},
        body=render_to_string("notifications/email/notice.txt", context),
        to=[notice.email],
        headers={"Message-ID": f"<notice-{notice.pk}@{host}>"},
    )
    message.attach_alternative(render_to_string("notifications/email/notice.html", context), "text/html")
    return message


class _Mailer:
    """One mail connection shared by a delivery, reopened after a failure. A connection that has already delivered
    may have been closed by the server meanwhile (an idle timeout, a per-connection message limit): a message that
    fails on it is tried once more on a fresh connection before it is counted as failed."""

    def __init__(self):
        self.connection = get_connection()
        self.delivered = 0

    def send(self, message) -> None:
        try:
            self.connection.open()  # a no-op while open, so send_messages does not close it after one message
            self.connection.send_messages([message])
        except Exception:
            reused = self.delivered > 0
            self.close()
            if not reused:
                raise
            self.connection.open()
            self.connection.send_messages([message])
        self.delivered += 1

    def close(self) -> None:
        self.delivered = 0
        try:
            self.connection.close()
        except Exception as exc:
            logger.warning("closing the mail connection failed: %s", exc)


def _deliver_one(notice: Notice, mailer: _Mailer, today: datetime.date, result: Delivery) -> None:
    try:
        # No savepoint: at the top level this is the message's own transaction; inside a caller's transaction a
        # savepoint would make nothing durable, and a failed email is recorded below without rolling anything back.
        with transaction.atomic(savepoint=False):
            # marks and locks the row; a concurrent sender waits here, then finds it marked and skips it
            taken = pending_emails().filter(pk=notice.pk).update(emailed_at=timezone.now())
            if not taken:
                return
            try:
                mailer.send(message_for(notice, today=today))
            except Exception as exc:  # stays pending, tried again after the backoff
                logger.warning("email for notice %s failed: %s", notice.pk, exc)
                mailer.close()  # the next message opens a fresh connection
                attempts = notice.email_attempts + 1
                Notice.objects.filter(pk=notice.pk).update(
                    emailed_at=None, email_attempts=F("email_attempts") + 1, email_error=str(exc)[:300],
                    email_next_at=timezone.now() + retry_delay(attempts),
                )
                result.failed.append(notice.pk)
                result.errors.append(str(exc)[:300])
                return
    except DatabaseError as exc:  # the mark did not commit, so the notice stays pending and goes out next time
        logger.warning("email for notice %s not sent: %s", notice.pk, exc)
        result.failed.append(notice.pk)
        result.errors.append(str(exc)[:300])
        return
    result.sent += 1


def notices_deliver_email(
    *, dispatch_ids: list[int] | None = None, notice_ids: list[int] | None = None, today: datetime.date | None = None
) -> Delivery:
    """Email every pending notice whose retry time has come (optionally only these); what went out and what failed.

    Guarantees: a notice's email is handed to the mail server by one process only, and is marked emailed in the same
    commit (one statement per email; the notices and their recipients are read in one query); one that fails stays
    pending with its next try after the backoff. All messages share one mail connection, opened only when there is
    something to send (after a failure, the next message opens a new one).
    """
    today = today or timezone.localdate()
    pending = pending_emails().filter(Q(email_next_at__isnull=True) | Q(email_next_at__lte=timezone.now()))
    if dispatch_ids is not None:
        pending = pending.filter(dispatch_id__in=dispatch_ids)
    if notice_ids is not None:
        pending = pending.filter(pk__in=notice_ids)
    notices = list(pending.select_related("recipient").order_by("pk"))
    result = Delivery()
    if not notices:
        return result
    mailer = _Mailer()
    try:
        for notice in notices:
            _deliver_one(notice, mailer, today, result)
    finally:
        mailer.close()
    return result


# ---- obsolete emails -------------------------------------------------------------------------------------------


def _still_wanted(today: datetime.date, due_today: list[Reminder] | None) -> set[str] | None:
    """Subject keys of the reminders the rules produce today or yesterday (the deadline day itself has no reminder
    of its own, so yesterday's D-1 speaks for it); None when a rule failed and the answer cannot be trusted."""
    errors: list[str] = []
    reminders = list(due_today) if due_today is not None else reminders_due(today=today, errors=errors)
    reminders += reminders_due(today=today - datetime.timedelta(days=1), errors=errors)
    if errors:
        logger.warning("obsolete emails not decided today: reminder rules failed (%s)", ", ".join(errors))
        return None
    return {r.subject_key for r in reminders}


def emails_expire(*, today: datetime.date | None = None, due_today: list[Reminder] | None = None) -> int:
    """Drop the pending emails nobody needs any more, recording them obsolete; returns how many.

    A reminder's email is obsolete when the rules no longer produce that reminder (done, or its window over) or,
    for a reminder before its deadline, once the deadline has passed; any other notice's email after
    EMAIL_RETRY_DAYS days. Only emails that already failed are looked at (a fresh one goes out first).
    """
    today = today or timezone.localdate()
    failed = pending_emails().filter(email_attempts__gt=0)
    candidates = list(
        failed.select_related("dispatch").only(
            "pk", "deadline", "created_at", "dispatch__kind", "dispatch__period", "dispatch__offset",
            "dispatch__organization", "dispatch__recipient",
        )
    )
    if not candidates:
        return 0
    retry_days = int(getattr(settings, "EMAIL_RETRY_DAYS", 3))
    wanted: set[str] | None = None
    if any(n.dispatch and n.dispatch.period for n in candidates):
        wanted = _still_wanted(today, due_today)
    obsolete = []
    for notice in candidates:
        d = notice.dispatch
        if d is None or not d.period:  # not a reminder of the rules
            if (today - timezone.localdate(notice.created_at)).days >= retry_days:
                obsolete.append(notice.pk)
        elif d.offset < 0 and notice.deadline is not None and today > notice.deadline:
            obsolete.append(notice.pk)
        elif wanted is not None and d.subject_key not in wanted:
            obsolete.append(notice.pk)
    if not obsolete:
        return 0
    dropped = pending_emails().filter(pk__in=obsolete).update(email_obsolete_at=timezone.now())
    logger.info("%s pending email(s) dropped: their reminders are obsolete", dropped)
    return dropped
