"""Writes to the year's calendar: setting and narrowing windows, opening a new year (which archives the last)."""

from __future__ import annotations

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.signals import rows_changed

from .enums import WindowKind, YearState, shift_year
from .models import CalendarWindow, WorkYear
from .selectors import cn_date, ensure_year_writable, parent_window


@transaction.atomic
def window_set(
    *, organization: Organization, year: int, kind: str, opens_on: datetime.date, closes_on: datetime.date, by
) -> CalendarWindow:
    """Set (or narrow) one window of the year for the organization and its subtree. At the top of the tree any dates
    of the year; below it only inside the parent's window in force. A window never closes before it opens."""
    ensure_year_writable(year)
    kind = WindowKind(kind)
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": _("截止日期不能早于开始日期")})
    bound = parent_window(organization, year, kind)
    if bound is not None and opens_on and closes_on:
        if opens_on < bound.opens_on or closes_on > bound.closes_on:
            raise ValidationError(
                {
                    "opens_on" if opens_on < bound.opens_on else "closes_on": _(
                        "只能在上级设定的时间内缩短，不能放宽：上级%(label)s时间为%(opens)s至%(closes)s"
                    )
                    % {"label": kind.label, "opens": cn_date(bound.opens_on), "closes": cn_date(bound.closes_on)}
                }
            )
    window = CalendarWindow.objects.select_for_update().filter(organization=organization, year=year, kind=kind).first()
    window = window or CalendarWindow(organization=organization, year=year, kind=kind)
    window.opens_on, window.closes_on, window.set_by = opens_on, closes_on, by
    window.full_clean()
    window.save()
    return window


@transaction.atomic
def window_clear(*, organization: Organization, year: int, kind: str, by) -> int:
    """Drop the organization's own window: its parent's applies again. Returns how many rows went (0 or 1)."""
    ensure_year_writable(year)
    deleted, _rows = CalendarWindow.objects.filter(organization=organization, year=year, kind=kind).delete()
    return deleted


@transaction.atomic
def calendar_set_up(
    *, organization: Organization, year: int, dates: dict[str, tuple[datetime.date, datetime.date]], by
) -> list[CalendarWindow]:
    """Set several windows at once (the city committee setting up the year). All or nothing: errors are collected
    per window kind (``"<kind>-opens_on"``) and nothing is written when any is wrong."""
    ensure_year_writable(year)
    errors: dict[str, list] = {}
    saved = []
    for kind, (opens_on, closes_on) in dates.items():
        try:
            with transaction.atomic():
                saved.append(
                    window_set(organization=organization, year=year, kind=kind, opens_on=opens_on, closes_on=closes_on, by=by)
                )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                errors.setdefault(NON_FIELD_ERRORS, []).extend(exc.messages)
                continue
            for field, messages in exc.message_dict.items():
                key = NON_FIELD_ERRORS if field == NON_FIELD_ERRORS else f"{kind}-{field}"
                errors.setdefault(key, []).extend(messages)
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    return saved


@transaction.atomic
def year_open(*, year: int, by) -> WorkYear:
    """Open a new work year: copy the last year's calendar (every organization's windows) with the dates moved one
    year on, and archive the last year (read-only, still reportable). Only the year after the newest one."""
    latest = WorkYear.objects.select_for_update().order_by("-year").first()
    if WorkYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s年度已经开启") % {"year": year}})
    if latest is not None and year != latest.year + 1:
        raise ValidationError({"year": _("只能开启%(next)s年度（上一年度为%(last)s年）") % {"next": latest.year + 1, "last": latest.year}})
    previous = year - 1
    already = set(CalendarWindow.objects.filter(year=year).values_list("organization_id", "kind"))
    copies = [
        CalendarWindow(
            organization_id=w.organization_id,
            year=year,
            kind=w.kind,
            opens_on=shift_year(w.opens_on, year - w.year),
            closes_on=shift_year(w.closes_on, year - w.year),
            set_by=by,
        )
        for w in CalendarWindow.objects.filter(year=previous)
        if (w.organization_id, w.kind) not in already  # windows already set for the new year are kept
    ]
    for window in copies:
        window.full_clean(exclude=["organization", "set_by"], validate_unique=False)
    CalendarWindow.objects.bulk_create(copies)
    rows_changed.send(sender=CalendarWindow)  # bulk_create sends no post_save; due dates shown elsewhere follow these
    work = WorkYear(year=year, state=YearState.OPEN, opened_by=by)
    work.full_clean()
    work.save()
    now = timezone.now()
    prior, _created = WorkYear.objects.get_or_create(year=previous, defaults={"opened_by": by})
    prior.state, prior.archived_at = YearState.ARCHIVED, now
    prior.save(update_fields=["state", "archived_at"])
    return work
