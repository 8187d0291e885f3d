"""The year's calendar holds the evaluations: rating periods open with their windows, and writes outside them are
refused here, in the services, whichever page or crafted request they come through.

A period's ``opens_on``/``closes_on`` are stored (for lists, pages and reminders) and kept in step with the window in
force for its organization (years.selectors.window_for) by ``periods_sweep``, which runs daily (Celery beat, the
daily reminder sweep, ``manage.py sync_periods``) and on every read of a grassroots organization's period list. The
write check itself always resolves the window live, so a change of the calendar applies to writes at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.enums import GRASSROOTS_KINDS
from organizations.models import Organization
from organizations.signals import rows_changed
from years.enums import YearState
from years.models import WorkYear
from years.selectors import Window, cn_date, window_for, windows_for, windows_table

from ..enums import PERIOD_ORDER, PeriodKind, PeriodState
from ..models import EvaluationPeriod, Poll

CHUNK = 2000  # organizations resolved per calendar query (keeps each IN list well inside every database's limits)


class Action(models.TextChoices):
    """The writes a period's window holds; the label completes “不能……”."""

    SELF_EVALUATION = "self", gettext_lazy("提交述岗自评")
    ASSESSMENT = "assess", gettext_lazy("进行党组织综合评定")
    VOTE = "vote", gettext_lazy("参加民意测评投票")
    POLL = "poll", gettext_lazy("修改民意测评")
    CLOSE = "close", gettext_lazy("结束考评期")
    APPRAISAL = "appraisal", gettext_lazy("记录民主评议结论")


def period_window(period: EvaluationPeriod) -> Window:
    """The window in force for the period's organization now (one query)."""
    return window_for(period.organization, period.year, period.kind)


def _named(period: EvaluationPeriod, window: Window) -> dict:
    return {
        "year": period.year,
        "label": PeriodKind(period.kind).label,
        "opens": cn_date(window.opens_on),
        "closes": cn_date(window.closes_on),
    }


def window_refusal(period: EvaluationPeriod, *, action: str, today: datetime.date | None = None) -> str | None:
    """Why a write to the period is refused on `today` because of its window, or None when the window lets it
    through. Closing (turning the parts into ratings) is allowed from the day the window opens, also after it closed
    (the period is then 逾期未结束 and closing it is the secretary's late act); never before it opens."""
    today = today or timezone.localdate()
    window = period_window(period)
    names = _named(period, window)
    if action == Action.CLOSE:
        if today < window.opens_on:
            return _("考评期尚未开始，不能结束（%(year)s年%(label)s时间为%(opens)s至%(closes)s）") % names
        return None
    if window.contains(today) or (period.reopened_until and window.opens_on <= today <= period.reopened_until):
        return None
    message = _("不在%(year)s年%(label)s时间内（%(opens)s至%(closes)s），不能%(action)s") % {
        **names,
        "action": Action(action).label,
    }
    if period.reopened_until and today > period.reopened_until:
        message += _("；重新开放的期限（至%(until)s）也已过") % {"until": cn_date(period.reopened_until)}
    return message


def ensure_in_window(period: EvaluationPeriod, *, action: str, today: datetime.date | None = None) -> None:
    """Refuse a write outside the period's window (or its reopening), with a message naming the window."""
    message = window_refusal(period, action=action, today=today)
    if message:
        raise ValidationError(message)


# ---- the sweep ---------------------------------------------------------------------------------------------------


@dataclass
class SweepReport:
    today: str
    organizations: int = 0
    created: int = 0
    polls: int = 0
    moved: int = 0  # open periods whose dates followed a change of the calendar
    late: int = 0  # open periods past their window (逾期未结束)


def rated_organizations(within: Organization | None = None) -> list[Organization]:
    """The organizations that hold rating periods: grassroots Party organizations (school committee, general branch,
    branch) with no grassroots organization below them, so each member is rated once, where they are (a school
    committee with branches leaves the rating to its branches). One query."""
    qs = Organization.objects.filter(kind__in=GRASSROOTS_KINDS)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    orgs = list(qs.only("pk", "path", "depth", "kind", "name").order_by("path"))
    # in path order a node's descendants follow it directly
    return [org for i, org in enumerate(orgs) if not (i + 1 < len(orgs) and orgs[i + 1].path.startswith(org.path))]


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def periods_sweep(*, today: datetime.date | None = None, within: Organization | None = None) -> SweepReport:
    """Make the rating periods follow the calendar on `today` (idempotent; a fixed number of queries per 2,000
    organizations, whatever their number):

    - every rated organization (``rated_organizations``) gets the period, with its poll, of each window of the year
      that is open today (and last year's year-end window while it still runs in January); nobody has to open it;
    - open periods take the dates of the window now in force (the city or a committee or the school narrowed it);
    - closed periods are never touched, and a window that closed before its period existed creates none (a period
      nobody could ever write to). Open periods past their window stay open but accept no writes (逾期未结束) until
      the secretary closes them into ratings or reopens them.
    An archived year (years) gets no new periods.
    """
    today = today or timezone.localdate()
    report = SweepReport(today=today.isoformat())
    orgs = rated_organizations(within)
    report.organizations = len(orgs)
    archived = set(
        WorkYear.objects.filter(year__in=[today.year - 1, today.year], state=YearState.ARCHIVED).values_list(
            "year", flat=True
        )
    )
    plan = [(today.year, kind) for kind in PERIOD_ORDER]
    plan.append((today.year - 1, PeriodKind.YEAR))  # the year-end rating may run into January
    plan = [(year, kind) for year, kind in plan if year not in archived]
    if not plan or not orgs:
        return report
    years = sorted({year for year, _kind in plan})
    for chunk in _chunks(orgs, CHUNK):
        ids = [org.pk for org in chunk]
        windows = _windows(chunk, plan)
        existing = {
            (p.organization_id, p.year, p.kind): p
            for p in EvaluationPeriod.objects.filter(organization_id__in=ids, year__in=years).only(
                "pk", "organization_id", "year", "kind", "opens_on", "closes_on", "state"
            )
        }
        new, moved = [], []
        for org in chunk:
            for year, kind in plan:
                window = windows[(year, kind)][org.pk]
                period = existing.get((org.pk, year, str(kind)))
                if period is None:
                    if window.contains(today):
                        new.append(
                            EvaluationPeriod(
                                organization_id=org.pk, year=year, kind=kind, opens_on=window.opens_on,
                                closes_on=window.closes_on, state=PeriodState.OPEN,
                            )
                        )
                    continue
                if period.state != PeriodState.OPEN:
                    continue
                if (period.opens_on, period.closes_on) != (window.opens_on, window.closes_on):
                    period.opens_on, period.closes_on = window.opens_on, window.closes_on
                    moved.append(period)
                if today > window.closes_on:
                    report.late += 1
        if new:
            # two sweeps at once (beat and a page read) may both insert: the unique constraint keeps one of each
            EvaluationPeriod.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
            report.created += len(new)
            # each new period gets its poll (found by query: ignore_conflicts gives the rows no primary key)
            missing = list(
                EvaluationPeriod.objects.filter(organization_id__in=ids, year__in=years, poll__isnull=True)
                .values_list("pk", flat=True)
            )
            Poll.objects.bulk_create([Poll(period_id=pk) for pk in missing], batch_size=500, ignore_conflicts=True)
            report.polls += len(missing)
        if moved:
            EvaluationPeriod.objects.bulk_update(moved, ["opens_on", "closes_on"], batch_size=500)
            report.moved += len(moved)
        if new or moved:  # bulk writes send no post_save: caches of what these periods count are dropped here
            rows_changed.send(sender=EvaluationPeriod)
    return report


def _windows(chunk: list[Organization], plan: list[tuple[int, str]]) -> dict[tuple[int, str], dict[int, Window]]:
    """The windows of the plan for the organizations of the chunk: one query per year for a single organization (a
    page read), one for all years and kinds for many (the daily sweep, a school's page)."""
    if len(chunk) == 1:
        org = chunk[0]
        by_year = {year: windows_for(org, year) for year in {year for year, _kind in plan}}
        return {(year, kind): {org.pk: by_year[year][str(kind)]} for year, kind in plan}
    table = windows_table(chunk, sorted({year for year, _kind in plan}), sorted({str(kind) for _year, kind in plan}))
    return {(year, kind): table[(year, str(kind))] for year, kind in plan}
