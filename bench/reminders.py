"""The daily reminder sweep over 2,000 reporting units: queries and time.

The bench database's reporting units are topped up to 2,000 (county committees and schools flagged to report), each
with one staff login that has an email address; the sweep runs on the 13th of the quarter's last month (the D-7
reminder of the current quarter). All of it in a transaction that is rolled back: the dispatch claims, notices and
email marks are discarded with it, and the emails go to an in-memory outbox (counting the mail-server connections a
real SMTP backend would open).
"""

from __future__ import annotations

import datetime
import time

UNITS = 2000


class _Rollback(Exception):
    pass


def _prepare(units: int) -> int:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from organizations.enums import Role
    from organizations.models import Organization, RoleAssignment

    reporting = list(Organization.objects.filter(reports_quarterly=True).values_list("pk", flat=True)[:units])
    if len(reporting) < units:
        more = list(
            Organization.objects.filter(reports_quarterly=False, depth__gt=1)
            .order_by("depth", "path")
            .values_list("pk", flat=True)[: units - len(reporting)]
        )
        Organization.objects.filter(pk__in=more).update(reports_quarterly=True)
        reporting += more
    Organization.objects.filter(reports_quarterly=True).exclude(pk__in=reporting).update(reports_quarterly=False)
    User = get_user_model()
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"bench_sweep_{pk}", email=f"unit{pk}@example.org", password=password) for pk in reporting]
    )
    have = set(RoleAssignment.objects.filter(role=Role.UNIT_STAFF, organization_id__in=reporting)
               .values_list("organization_id", flat=True))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, organization_id=pk, role=Role.UNIT_STAFF) for u, pk in zip(users, reporting,
                                                                                           strict=True)
         if pk not in have]
    )
    return len(reporting)


def run() -> list[dict]:
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.counting import counting

    try:
        from notifications.services import CLAIM_BATCH, reminders_send
    except ImportError:
        return []
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    day = datetime.date(today.year, quarter * 3, 13)
    rows = []
    try:
        with transaction.atomic():
            units = _prepare(UNITS)
            with counting() as dry_ctx:
                started = time.perf_counter()
                dry = reminders_send(today=day, dry_run=True)
                dry_seconds = time.perf_counter() - started
            # the test suite's outbox that opens and counts connections as the SMTP backend does
            from tests.notifications_fixtures import SessionMailBackend

            SessionMailBackend.connections = 0
            # an email's mark (notifications.delivery): one statement per email, committed with the server's acceptance
            mark = ('UPDATE "notifications_notice" SET "emailed_at"',)
            with counting(mark) as ctx, override_settings(EMAIL_BACKEND="tests.notifications_fixtures.SessionMailBackend"):
                started = time.perf_counter()
                report = reminders_send(today=day)
                seconds = time.perf_counter() - started
            batches = -(-report.due // CLAIM_BATCH)
            rows.append({"name": f"reminder sweep, finding who is due ({units:,} units)",
                         "figure": f"{dry_seconds:.2f} s", "baseline": "—", "ratio": None,
                         "note": f"{dry_ctx.count} queries; {dry.due:,} reminders due"})
            rows.append({"name": f"reminder sweep, sending ({units:,} units)", "figure": f"{seconds:.2f} s",
                         "baseline": "—", "ratio": None,
                         "note": f"{ctx.count:,} queries: {ctx.count - ctx.apart_count:,} for the claims and notices of "
                                 f"{batches} batch(es) of up to {CLAIM_BATCH} reminders, and {ctx.apart_count:,} "
                                 f"email marks (one per email, committed as the mail server accepts it); "
                                 f"{report.dispatched:,} dispatched, {report.notices:,} notices, "
                                 f"{report.emails:,} emails over {SessionMailBackend.connections:,} mail connections"})
            raise _Rollback
    except _Rollback:
        pass
    return rows
