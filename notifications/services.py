"""Writes of the inbox: notices, reminder dispatch, email delivery, marking read.

Exactly once, as this module means it:
- A reminder's Dispatch row (unique key) and its notices are written in ONE transaction. Two sweeps, or two workers
  at the same moment, insert the same keys with ON CONFLICT DO NOTHING; each keeps only the rows its own run token
  inserted, so a key is claimed by exactly one of them and its notices exist exactly once. A sweep that dies before
  committing leaves nothing behind; the next run claims those keys again.
- Email goes out after commit. Each email is sent inside a short transaction that first marks the notice emailed
  (a conditional UPDATE, which also locks the row) and commits only once the mail server has accepted the message.
  A process that dies before that commit rolls the mark back, and the next sweep sends the email again. So email is
  at-least-once: a duplicate is possible only if the process dies in the instant between the server's acceptance and
  our commit. We prefer that to losing a reminder silently, and every email carries a Message-ID made from the
  notice, so a mail system that sees the rare second copy can recognise it as the same message.

What a sweep costs: the rules, the claims, the notices and the lookup of recipients and their addresses are a fixed
number of queries per batch of CLAIM_BATCH reminders, however many reminders the batch holds. Each email then costs
exactly one statement, its mark: that per-message commit is what lets a sweep killed mid-send be followed by one
that sends each missing email once and none twice (a mark for a whole batch could not tell, after a crash, which of
its messages the server had already accepted). All emails of one delivery go through one mail-server connection.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import RoleAssignment

from .models import Dispatch, Notice
from .sweep import Reminder, reminders_due, rules_prepare

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
CLAIM_BATCH = 500


# ---- one notice ------------------------------------------------------------------------------------------------


@transaction.atomic
def notice_send(*, recipient, subject: str, body: str, url: str = "", key: str | None = None, email: bool = True):
    """Put a notice in `recipient`'s inbox (and email it after commit when they have an address).

    With `key`, at most once per key, ever: a second call with the same key (even from another process at the same
    moment) writes nothing and returns None.
    """
    if not (subject or "").strip():
        raise ValidationError({"subject": _("通知标题不能为空")})
    dispatch = None
    if key:
        try:
            with transaction.atomic():
                dispatch = Dispatch.objects.create(
                    key=key[:200], kind=key.split("|", 1)[0][:60], period="", offset=0, recipient=recipient,
                    subject=subject[:200], recipients=1, run=uuid.uuid4().hex,
                )
        except IntegrityError:
            return None
    notice = Notice(
        recipient=recipient,
        subject=subject,
        body=body,
        url=url,
        dispatch=dispatch,
        email=(recipient.email or "") if email else "",
    )
    notice.full_clean(exclude=["dispatch", "recipient"])
    notice.save()
    if notice.email:
        transaction.on_commit(partial(notices_deliver_email, notice_ids=[notice.pk]))
    return notice


# ---- the reminder sweep ----------------------------------------------------------------------------------------


@dataclass
class Planned:
    key: str
    subject: str
    recipients: list[str]


@dataclass
class SweepReport:
    today: str
    due: int = 0  # reminders the rules found due today
    already_sent: int = 0  # of those, claimed by an earlier run
    dispatched: int = 0  # claimed and written by this run
    notices: int = 0
    emails: int = 0
    planned: list[Planned] = field(default_factory=list)
    failed_rules: list[str] = field(default_factory=list)  # rule modules that raised (logged; the rest still ran)

    def as_dict(self) -> dict:
        return asdict(self)


def _recipients(reminders: list[Reminder]) -> dict[str, list]:
    """Active users who receive each reminder, in two queries whatever the number of reminders."""
    org_ids = {r.organization_id for r in reminders if r.organization_id is not None}
    user_ids = {r.recipient_id for r in reminders if r.recipient_id is not None}
    by_org: dict[int, list[tuple[str, object]]] = defaultdict(list)
    if org_ids:
        assignments = (
            RoleAssignment.objects.filter(organization_id__in=org_ids, user__is_active=True)
            .select_related("user")
            .order_by("organization_id", "user_id")
        )
        for ra in assignments:
            by_org[ra.organization_id].append((ra.role, ra.user))
    users = get_user_model().objects.filter(is_active=True).in_bulk(user_ids) if user_ids else {}
    result: dict[str, list] = {}
    for r in reminders:
        if r.recipient_id is not None:
            result[r.key] = [users[r.recipient_id]] if r.recipient_id in users else []
        else:
            seen: dict[int, object] = {}
            for role, user in by_org.get(r.organization_id, []):
                if role in r.roles:
                    seen.setdefault(user.pk, user)
            result[r.key] = list(seen.values())
    return result


def _claim(reminders: list[Reminder], recipients: dict[str, list], report: SweepReport) -> None:
    """Claim the reminders' keys and write their notices in one transaction; their emails go after commit.

    Keys are inserted in sorted order so that two concurrent sweeps lock them in the same order (no deadlock).
    """
    run = uuid.uuid4().hex
    with transaction.atomic():
        Dispatch.objects.bulk_create(
            [
                Dispatch(
                    key=r.key, kind=r.kind, period=r.period, offset=r.offset, organization_id=r.organization_id,
                    recipient_id=r.recipient_id, subject=r.subject[:200], recipients=len(recipients[r.key]), run=run,
                )
                for r in sorted(reminders, key=lambda r: r.key)
            ],
            ignore_conflicts=True,
        )
        ours = dict(Dispatch.objects.filter(run=run).values_list("key", "pk"))
        notices = [
            Notice(
                recipient=user, subject=r.subject[:200], body=r.body, url=r.url[:300], dispatch_id=ours[r.key],
                email=user.email or "",
            )
            for r in reminders
            if r.key in ours
            for user in recipients[r.key]
        ]
        Notice.objects.bulk_create(notices)
        report.dispatched += len(ours)
        report.notices += len(notices)
        if any(n.email for n in notices):
            ids = list(ours.values())

            def deliver() -> None:
                report.emails += notices_deliver_email(dispatch_ids=ids)

            transaction.on_commit(deliver)


def reminders_send(*, today: datetime.date | None = None, dry_run: bool = False) -> SweepReport:
    """The daily sweep: send every reminder due on `today` (default: today in Asia/Shanghai) that was not sent yet.

    Guarantees: each reminder key is dispatched at most once whatever runs concurrently; its notices are written
    with its claim; emails follow after commit, and emails left unsent by an interrupted run go out on the next run.
    Not one transaction as a whole on purpose: each batch commits on its own, so an interruption keeps what was sent.
    With dry_run, writes nothing and lists what would go out.
    """
    today = today or timezone.localdate()
    report = SweepReport(today=today.isoformat())
    if not dry_run:
        rules_prepare(today=today, errors=report.failed_rules)  # the apps' daily upkeep (e.g. periods opening)
    due = reminders_due(today=today, errors=report.failed_rules)
    report.due = len(due)
    for start in range(0, len(due), CLAIM_BATCH):
        batch = due[start : start + CLAIM_BATCH]
        taken = set(Dispatch.objects.filter(key__in=[r.key for r in batch]).values_list("key", flat=True))
        report.already_sent += len(taken)
        fresh = [r for r in batch if r.key not in taken]
        recipients = _recipients(fresh)
        # a reminder nobody can receive is not claimed: a staff member added later in its window still gets it
        fresh = [r for r in fresh if recipients[r.key]]
        if dry_run:
            report.planned += [
                Planned(r.key, r.subject, [u.get_full_name() or u.get_username() for u in recipients[r.key]])
                for r in fresh
            ]
            continue
        if fresh:
            _claim(fresh, recipients, report)
    if not dry_run:
        # emails of this run went out on commit; this picks up what an interrupted run left behind
        report.emails += notices_deliver_email()
    return report


# ---- email -----------------------------------------------------------------------------------------------------


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def _message(notice: Notice) -> EmailMultiAlternatives:
    user = notice.recipient
    context = {
        "notice": notice,
        "name": user.get_full_name() or user.get_username(),
        "link": _absolute(notice.url) if notice.url else "",
        "inbox": _absolute("/inbox/"),
    }
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=_("【168平台】%(subject)s") % {"subject": notice.subject},
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
        _close_quietly(self.connection)


def _deliver_one(notice: Notice, mailer: _Mailer) -> bool:
    """Hand one notice's email to `mailer` (a shared connection); True when it was handed over by this call."""
    try:
        # No savepoint: at the top level this is the message's own transaction; inside a caller's transaction a
        # savepoint would make nothing durable, and a failed email is recorded below without rolling anything back.
        with transaction.atomic(savepoint=False):
            # marks and locks the row; a concurrent sender waits here, then finds it marked and skips it
            taken = Notice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
            if not taken:
                return False
            try:
                mailer.send(_message(notice))
            except Exception as exc:  # a failed email stays pending and is tried again by the next sweep
                logger.warning("email for notice %s failed: %s", notice.pk, exc)
                mailer.close()  # the next message opens a fresh connection
                Notice.objects.filter(pk=notice.pk).update(
                    emailed_at=None, email_attempts=F("email_attempts") + 1, email_error=str(exc)[:300]
                )
                return False
    except DatabaseError as exc:  # the mark did not commit, so the notice stays pending and goes out next time
        logger.warning("email for notice %s not sent: %s", notice.pk, exc)
        return False
    return True


def _close_quietly(mailer) -> None:
    try:
        mailer.close()
    except Exception as exc:
        logger.warning("closing the mail connection failed: %s", exc)


def notices_deliver_email(*, dispatch_ids: list[int] | None = None, notice_ids: list[int] | None = None) -> int:
    """Email every notice that has an address and was not emailed yet (optionally only these); returns how many.

    Guarantees: a notice's email is handed to the mail server by one process only, and is marked emailed in the same
    commit (one statement per email; the notices and their recipients are read in one query); one that fails stays
    pending (up to MAX_EMAIL_ATTEMPTS) and is retried by the next sweep. All messages share one mail connection,
    opened only when there is something to send (after a failure, the next message opens a new one).
    """
    pending = Notice.objects.filter(emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS).exclude(email="")
    if dispatch_ids is not None:
        pending = pending.filter(dispatch_id__in=dispatch_ids)
    if notice_ids is not None:
        pending = pending.filter(pk__in=notice_ids)
    notices = list(pending.select_related("recipient").order_by("pk"))
    if not notices:
        return 0
    mailer = _Mailer()
    try:
        return sum(_deliver_one(n, mailer) for n in notices)
    finally:
        mailer.close()


# ---- the inbox -------------------------------------------------------------------------------------------------


@transaction.atomic
def notice_mark_read(*, notice: Notice, user) -> Notice:
    """Mark the user's own notice read (idempotent: the first reading time is kept)."""
    if notice.recipient_id != user.pk:
        raise ValidationError(_("只能标记自己的通知"))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


@transaction.atomic
def notices_mark_all_read(*, user) -> int:
    """Mark every unread notice of the user read; returns how many changed."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
