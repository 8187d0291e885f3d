"""Reads of the year's calendar: the window in force for an organization, and whether a year may still be written."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization

from .enums import WindowKind, YearState, default_dates
from .models import CalendarWindow, WorkYear


@dataclass(frozen=True)
class Window:
    """The window in force for one organization: the intersection of its own and its ancestors' windows."""

    year: int
    kind: str
    opens_on: datetime.date
    closes_on: datetime.date
    set_by: str = ""  # the organization whose window bounds this one ("" = the policy's default dates)
    own: bool = False  # the organization narrowed this window itself
    conflict: bool = False  # an own window lies outside the parent's and is ignored until corrected

    @property
    def label(self) -> str:
        return WindowKind(self.kind).label

    def state(self, today: datetime.date | None = None) -> str:
        """'upcoming', 'open' or 'closed' on that day."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "upcoming"
        if today > self.closes_on:
            return "closed"
        return "open"

    def contains(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on

    def describe(self) -> str:
        return _("%(label)s时间为%(opens)s至%(closes)s") % {
            "label": self.label,
            "opens": cn_date(self.opens_on),
            "closes": cn_date(self.closes_on),
        }


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _prefixes(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def _resolve(path: str, year: int, kind: str, rows: list[CalendarWindow], names: dict[str, str]) -> Window:
    """Intersect the windows set along the path, top first. The top of the tree replaces the policy's defaults;
    below it a window only narrows. An own window reaching outside its parent's is clipped and flagged."""
    opens, closes = default_dates(year, kind)
    set_by, own, conflict = "", False, False
    for row in sorted(rows, key=lambda r: len(r.organization_path)):
        is_own = row.organization_path == path
        if len(row.organization_path) == Organization.steplen:
            lo, hi = row.opens_on, row.closes_on
        else:
            lo, hi = max(opens, row.opens_on), min(closes, row.closes_on)
            if (lo, hi) != (row.opens_on, row.closes_on):
                conflict = conflict or is_own
                if lo > hi:
                    continue
        opens, closes = lo, hi
        set_by, own = names.get(row.organization_path, ""), is_own
    return Window(year, kind, opens, closes, set_by, own, conflict)


def _rows(paths: Iterable[str], year: int, kinds: Iterable[str] | None = None) -> list[CalendarWindow]:
    qs = CalendarWindow.objects.filter(organization__path__in=set(paths), year=year).select_related("organization")
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    rows = list(qs)
    for row in rows:
        row.organization_path = row.organization.path
    return rows


def windows_for(organization: Organization, year: int) -> dict[str, Window]:
    """Every window of the year in force for the organization (one query)."""
    rows = _rows(_prefixes(organization.path), year)
    names = {r.organization_path: r.organization.name for r in rows}
    by_kind: dict[str, list] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    return {k: _resolve(organization.path, year, k, by_kind[k], names) for k in WindowKind.values}


def windows_and_bounds(organization: Organization, year: int) -> tuple[dict[str, Window], dict[str, Window] | None]:
    """windows_for() and parent_windows() together, in one query: the parent's chain is the organization's without
    its own windows."""
    rows = _rows(_prefixes(organization.path), year)
    names = {r.organization_path: r.organization.name for r in rows}
    by_kind: dict[str, list] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    windows = {k: _resolve(organization.path, year, k, by_kind[k], names) for k in WindowKind.values}
    parent_path = organization.path[: -Organization.steplen]
    if not parent_path:
        return windows, None
    bounds = {
        k: _resolve(parent_path, year, k, [r for r in by_kind[k] if r.organization_path != organization.path], names)
        for k in WindowKind.values
    }
    return windows, bounds


def window_for(organization: Organization, year: int, kind: str) -> Window:
    """The window of one kind in force for the organization (one query)."""
    rows = _rows(_prefixes(organization.path), year, [kind])
    names = {r.organization_path: r.organization.name for r in rows}
    return _resolve(organization.path, year, kind, rows, names)


def parent_window(organization: Organization, year: int, kind: str) -> Window | None:
    """The window the organization may narrow inside (None for the top of the tree: only the year bounds it)."""
    parent_path = organization.path[: -Organization.steplen]
    if not parent_path:
        return None
    rows = _rows(_prefixes(parent_path), year, [kind])
    names = {r.organization_path: r.organization.name for r in rows}
    return _resolve(parent_path, year, kind, rows, names)


def parent_windows(organization: Organization, year: int) -> dict[str, Window] | None:
    """Every window the organization may narrow inside (one query; None for the top of the tree)."""
    parent_path = organization.path[: -Organization.steplen]
    if not parent_path:
        return None
    rows = _rows(_prefixes(parent_path), year)
    names = {r.organization_path: r.organization.name for r in rows}
    by_kind: dict[str, list] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    return {k: _resolve(parent_path, year, k, by_kind[k], names) for k in WindowKind.values}


def windows_for_many(organizations: Iterable[Organization], year: int, kind: str) -> dict[int, Window]:
    """The window of one kind for many organizations, in one query (only organizations that set a window have rows)."""
    return windows_table(organizations, [year], [kind])[(year, kind)]


def windows_table(
    organizations: Iterable[Organization], years: Iterable[int], kinds: Iterable[str]
) -> dict[tuple[int, str], dict[int, Window]]:
    """The windows of several years and kinds for many organizations, in one query: {(year, kind): {org pk: Window}}."""
    organizations, years, kinds = list(organizations), [int(y) for y in years], [str(k) for k in kinds]
    paths: set[str] = set()
    for org in organizations:
        paths.update(_prefixes(org.path))
    rows = []
    if paths:
        qs = CalendarWindow.objects.filter(organization__path__in=paths, year__in=years, kind__in=kinds)
        rows = list(qs.select_related("organization"))
        for row in rows:
            row.organization_path = row.organization.path
    names = {r.organization_path: r.organization.name for r in rows}
    by_key = {(r.year, r.kind, r.organization_path): r for r in rows}
    out: dict[tuple[int, str], dict[int, Window]] = {}
    for year in years:
        for kind in kinds:
            table = out[(year, kind)] = {}
            for org in organizations:
                chain = [by_key[(year, kind, p)] for p in _prefixes(org.path) if (year, kind, p) in by_key]
                table[org.pk] = _resolve(org.path, year, kind, chain, names)
    return out


def work_year(year: int) -> WorkYear | None:
    return WorkYear.objects.filter(year=year).first()


def is_year_archived(year: int) -> bool:
    return WorkYear.objects.filter(year=year, state=YearState.ARCHIVED).exists()


def ensure_year_writable(year: int | None) -> None:
    """An archived year is read-only: every write to it is refused (it stays readable and reportable). Each write
    service of a year's data calls this first (None: no year given yet; the model's own validation refuses it)."""
    if year is not None and is_year_archived(int(year)):
        raise ValidationError(
            _("%(year)s年度已归档，只能查看和导出，不能再修改。") % {"year": year}
        )


def current_year() -> int:
    return timezone.localdate().year


def work_years() -> list[WorkYear]:
    """Every opened work year, newest first."""
    return list(WorkYear.objects.order_by("-year"))


def next_year(years: list[WorkYear] | None = None) -> int:
    """The year the city committee may open next: the one after the newest, or next calendar year."""
    years = work_years() if years is None else years
    return (years[0].year if years else current_year()) + 1
