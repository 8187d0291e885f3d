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
- A failed email is retried with backoff until it goes out or its reminder is obsolete (delivery.py); a sweep with
  failed emails says so in its report, and the city's staff are told when emails keep failing (undelivered_alert).

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

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.enums import OrgKind, Role
from organizations.models import RoleAssignment

from .delivery import Delivery, emails_expire, notices_deliver_email, pending_emails
from .models import ChannelDelivery, Dispatch, Notice
from .outbox import channel_deliver, routes
from .sweep import Reminder, reminders_due, rules_prepare

__all__ = ["notices_deliver_email"]  # re-exported: delivery lives in its own module

logger = logging.getLogger(__name__)

CLAIM_BATCH = 500


# ---- one notice ------------------------------------------------------------------------------------------------


@transaction.atomic
def notice_send(
    *, recipient, subject: str, body: str, url: str = "", key: str | None = None, email: bool = True,
    deadline: datetime.date | None = None,
):
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
        deadline=deadline,
    )
    route = routes([recipient.pk]).get(recipient.pk) if email else None
    if route:  # the person's preferred channel instead of the email
        notice.email = ""
    notice.full_clean(exclude=["dispatch", "recipient"])
    notice.save()
    if route:
        ChannelDelivery.objects.create(notice=notice, channel=route[0], address=route[1])
        transaction.on_commit(partial(channel_deliver, notice_ids=[notice.pk]))
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
    emails: int = 0  # emails handed to the mail server by this run
    emails_failed: int = 0  # emails that failed in this run: stay pending, tried again after a backoff
    emails_obsolete: int = 0  # pending emails dropped: their reminders are done or past their deadline
    emails_pending: int = 0  # emails still to go out after this run
    planned: list[Planned] = field(default_factory=list)
    failed_rules: list[str] = field(default_factory=list)  # rule modules that raised (logged; the rest still ran)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def complete(self) -> bool:
        """Everything due went out: no email failed in this run and no rule failed."""
        return not self.emails_failed and not self.failed_rules

    def counts(self) -> str:
        return (
            f"due {self.due}, dispatched {self.dispatched}, notices {self.notices}, emails sent {self.emails}, "
            f"failed {self.emails_failed}, obsolete {self.emails_obsolete}, pending {self.emails_pending}"
            + (f", failed rules {', '.join(self.failed_rules)}" if self.failed_rules else "")
        )


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


def _claim(
    reminders: list[Reminder], recipients: dict[str, list], report: SweepReport, today: datetime.date, failed: set
) -> None:
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
                email=user.email or "", deadline=r.deadline,
            )
            for r in reminders
            if r.key in ours
            for user in recipients[r.key]
        ]
        routed = routes({n.recipient.pk for n in notices})
        for n in notices:
            if n.recipient.pk in routed:
                n.email = ""
        Notice.objects.bulk_create(notices)
        deliveries = ChannelDelivery.objects.bulk_create(
            [ChannelDelivery(notice=n, channel=routed[n.recipient.pk][0], address=routed[n.recipient.pk][1])
             for n in notices if n.recipient.pk in routed]
        )  # fmt: skip
        if deliveries:
            transaction.on_commit(partial(channel_deliver, ids=[d.pk for d in deliveries]))
        report.dispatched += len(ours)
        report.notices += len(notices)
        if any(n.email for n in notices):
            ids = list(ours.values())

            def deliver() -> None:
                delivery: Delivery = notices_deliver_email(dispatch_ids=ids, today=today)
                report.emails += delivery.sent
                failed.update(delivery.failed)

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
    failed: set[int] = set()
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
            _claim(fresh, recipients, report, today, failed)
    if not dry_run:
        # emails of this run went out on commit; this picks up what an interrupted or failed run left behind
        retry = emails_retry(today=today, due_today=None if report.failed_rules else due)
        report.emails += retry.sent
        report.emails_failed = len(failed | set(retry.failed_ids))
        report.emails_obsolete = retry.obsolete
        report.emails_pending = retry.pending
        if report.emails_failed:
            logger.error("reminder sweep of %s: emails failed (%s)", report.today, report.counts())
    return report


# ---- failed emails: retries, obsolete ones, the alert ------------------------------------------------------


def emails_retry(*, today: datetime.date | None = None, due_today: list[Reminder] | None = None) -> EmailReport:
    """Every few minutes (beat) and at the end of each sweep: drop the pending emails whose reminders are obsolete,
    send those whose retry time has come, and tell the city's staff when emails keep failing."""
    today = today or timezone.localdate()
    report = EmailReport()
    report.obsolete = emails_expire(today=today, due_today=due_today)
    channel_deliver()  # SMS / 企业微信 / 钉钉 messages an earlier pass left pending
    delivery = notices_deliver_email(today=today)
    report.sent, report.failed, report.failed_ids = delivery.sent, len(set(delivery.failed)), sorted(set(delivery.failed))
    after = int(getattr(settings, "EMAIL_ALERT_AFTER_ATTEMPTS", 3))
    left = pending_emails().aggregate(pending=Count("pk"), stuck=Count("pk", filter=Q(email_attempts__gte=after)))
    report.pending = left["pending"]
    report.alerted = undelivered_alert(today=today, stuck=left["stuck"])
    return report


@dataclass
class EmailReport:
    sent: int = 0
    failed: int = 0  # emails that failed in this run (each stays pending, tried again after its backoff)
    obsolete: int = 0  # pending emails dropped in this run: their reminders no longer ask for anything
    pending: int = 0  # emails still to go out after this run
    alerted: int = 0  # staff told about emails that keep failing
    failed_ids: list[int] = field(default_factory=list)


def undelivered_alert(*, today: datetime.date, stuck: int | None = None) -> int:
    """Once a day, while emails have failed EMAIL_ALERT_AFTER_ATTEMPTS times or more and are still wanted, a notice
    (in the inbox only: email is what fails) to the city committee's staff with how many; returns how many got it.
    `stuck`: that number when the caller has just counted it."""
    after = int(getattr(settings, "EMAIL_ALERT_AFTER_ATTEMPTS", 3))
    stuck_emails = pending_emails().filter(email_attempts__gte=after)
    count = stuck_emails.count() if stuck is None else stuck
    if not count:
        return 0
    last_error = stuck_emails.order_by("-pk").values_list("email_error", flat=True).first() or ""
    staff = (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__role=Role.CITY_STAFF,
            role_assignments__organization__kind=OrgKind.CITY_COMMITTEE,
        )
        .distinct()
        .order_by("pk")
    )
    told = 0
    for user in staff:
        notice = notice_send(
            recipient=user,
            subject=_("有%(count)d封提醒邮件未能发出") % {"count": count},
            body=_(
                "%(count)d封提醒邮件已连续发送失败%(after)d次以上，系统会继续重试，直至提醒失效（已办理或已过截止日期）。"
                "站内通知已送达，请检查邮件服务器设置。最近一次错误：%(error)s"
            )
            % {"count": count, "after": after, "error": last_error or _("（无）")},
            key=f"notifications.undelivered|{today.isoformat()}|u{user.pk}",
            email=False,
        )
        told += notice is not None
    if told:
        logger.error("%s email(s) keep failing; %s staff member(s) alerted", count, told)
    return told


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
