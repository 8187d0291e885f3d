"""Who has to do what about the quarterly report (附件5): the home page's work list and the reminder rules
(reports/reminders.py) pick the units still missing a report with `reports_missing`, so a reminder never names work
the home page does not show. Also the late units of a committee's subtree, and the compact progress figures a
committee's staff see on their home page."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import access
from organizations.enums import STAFF_ROLES, Role
from organizations.models import Organization
from organizations.todo import TodoItem
from years.enums import report_window
from years.selectors import windows_table

from .dashboard_cache import cached
from .models import QuarterlyReport
from .progress import calendar_progress
from .selectors import quarter_of, quarter_status, with_quarter_report

QUARTER_NAMES = {1: gettext_lazy("第一季度"), 2: gettext_lazy("第二季度"), 3: gettext_lazy("第三季度"),
                 4: gettext_lazy("第四季度")}
DONE = (QuarterlyReport.State.SUBMITTED, QuarterlyReport.State.ACCEPTED)
FEW = 20


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def reports_missing(year: int, quarter: int, units) -> dict[int, QuarterlyReport | None]:
    """The units (of those given) without a submitted or accepted report for the quarter, each with its report
    (a draft, or one returned by the city committee) or None: one query."""
    return reports_missing_many([(year, quarter)], units)[(year, quarter)]


def _reports_of(quarters: list[tuple[int, int]], units: list, fields: tuple[str, ...]):
    """The reports of these quarters (of the given units when they are few): one query."""
    which = Q()
    for y, q in quarters:
        which |= Q(year=y, quarter=q)
    reports = QuarterlyReport.objects.filter(which).only(*fields)
    if len(units) <= FEW:
        reports = reports.filter(organization__in=[u.pk for u in units])
    return reports


def reports_missing_many(quarters: list[tuple[int, int]], units) -> dict[tuple[int, int], dict]:
    """reports_missing for several quarters, in one query: {(year, quarter): {unit pk: report or None}}."""
    units = list(units)
    by_key = {(r.year, r.quarter, r.organization_id): r
              for r in _reports_of(quarters, units, ("pk", "organization_id", "state", "year", "quarter"))}
    out = {}
    for y, q in quarters:
        found = {u.pk: by_key.get((y, q, u.pk)) for u in units}
        out[(y, q)] = {pk: r for pk, r in found.items() if getattr(r, "state", None) not in DONE}
    return out


def due_dates_many(units, quarters: list[tuple[int, int]]) -> dict[tuple[int, int], dict[int, datetime.date]]:
    """unit_due_dates for several quarters, in one query: {(year, quarter): {unit pk: due date}}."""
    kinds = [report_window(q) for _y, q in quarters]
    table = windows_table(units, sorted({y for y, _q in quarters}), kinds) if units else {}
    return {(y, q): {pk: w.closes_on for pk, w in table.get((y, report_window(q)), {}).items()} for y, q in quarters}


def _quarter_url(year: int, quarter: int) -> str:
    return reverse("reports:quarterly_list") + f"?year={year}&quarter={quarter}"


def unit_todo(user, *, today: datetime.date) -> list[TodoItem]:
    """For a reporting unit's staff: this quarter's Annex 5 until it is submitted, and last quarter's if still
    missing or returned. Three queries for both quarters."""
    own = [g.organization_id for g in access.grants(user) if g.role == Role.UNIT_STAFF]
    if not own:
        return []
    units = list(Organization.objects.filter(pk__in=own, reports_quarterly=True).only("pk", "name", "path"))
    if not units:
        return []
    items = []
    year, quarter = quarter_of(today)
    quarters = [previous_quarter(year, quarter), (year, quarter)]
    due_of, missing_of = due_dates_many(units, quarters), reports_missing_many(quarters, units)
    for y, q in quarters:
        due, missing = due_of[(y, q)], missing_of[(y, q)]
        for unit in units:
            if unit.pk not in missing:
                continue
            report = missing[unit.pk]
            returned = report is not None and report.state == QuarterlyReport.State.RETURNED
            if (y, q) != (year, quarter) and not returned and due[unit.pk] >= today:
                continue
            items.append(TodoItem(
                kind="reports.quarterly",
                title=(_("修改退回的%(year)s年%(quarter)s季报表（附件5）") if returned else _("填报%(year)s年%(quarter)s季报表（附件5）"))
                % {"year": y, "quarter": QUARTER_NAMES[q]},
                organization=unit.name, deadline=due[unit.pk],
                url=report.get_absolute_url() if report is not None else _quarter_url(y, q),
                action=_("去修改") if returned else _("去填报"),
            ))
    return items


def _staff_units(user):
    paths = access._paths(user, STAFF_ROLES)
    if not paths:
        return Organization.objects.none()
    return Organization.objects.filter(access._subtree_q(paths), reports_quarterly=True)


def late_units_todo(user, *, today: datetime.date) -> list[TodoItem]:
    """For committee and unit staff: the reporting units of their subtree whose Annex 5 is past its deadline and not
    submitted (or returned and not submitted again), for this quarter and the last. Three queries for both."""
    if not access.has_role(user, *STAFF_ROLES):
        return []
    # the same for every staff member of these subtrees: worked out once per day until a unit, a report or the
    # calendar changes (reports.dashboard_cache)
    paths = sorted(access._paths(user, STAFF_ROLES))
    return cached(("late-units", today.isoformat(), *paths), lambda: _late_units(user, today))


def _late_units(user, today: datetime.date) -> list[TodoItem]:
    units = list(_staff_units(user).only("pk", "name", "path").order_by("path"))
    items = []
    year, quarter = quarter_of(today)
    quarters = [previous_quarter(year, quarter), (year, quarter)]
    due_of = due_dates_many(units, quarters)
    reports = {(r.year, r.quarter, r.organization_id): r
               for r in _reports_of(quarters, units, ("pk", "organization_id", "state", "year", "quarter",
                                                      "submitted_at", "is_late"))} if units else {}
    for y, q in quarters:
        for unit in units:
            unit.quarter_report = reports.get((y, q, unit.pk))
        due = due_of[(y, q)]
        late = [r for r in quarter_status(units, due) if r["status"] in ("missing", "returned") and r["due_on"] < today]
        if late:
            names = "、".join(r["unit"].name for r in late[:10]) + ("等" if len(late) > 10 else "")
            items.append(TodoItem(
                kind="reports.late", title=_("%(year)s年%(quarter)s季报表逾期未报送：%(n)s个单位") % {
                    "year": y, "quarter": QUARTER_NAMES[q], "n": len(late)},
                detail=names, deadline=min(r["due_on"] for r in late), count=len(late),
                url=_quarter_url(y, q), action=_("查看"),
            ))
    return items


def has_staff_summary(user) -> bool:
    """Whether the user's home page shows staff_summary (city or county committee staff; no query)."""
    return any(g.role in (Role.CITY_STAFF, Role.COUNTY_STAFF) for g in access.grants(user))


def staff_summary(user, *, today: datetime.date) -> dict | None:
    """Committee staff: the rating progress of their top subtree in the window in force, and this quarter's Annex 5
    submissions — a few figures and a link, not the dashboard."""
    grants = sorted((g for g in access.grants(user) if g.role in (Role.CITY_STAFF, Role.COUNTY_STAFF)),
                    key=lambda g: g.depth)
    if not grants:
        return None
    org = Organization.objects.get(pk=grants[0].organization_id)
    year, quarter = quarter_of(today)

    def figures() -> dict:
        windows = calendar_progress(org, today.year, today=today)
        current = next((w for w in windows if w.state == "open"), None)
        if current is None:
            closed = [w for w in windows if w.state == "closed"]
            current = closed[-1] if closed else (windows[0] if windows else None)
        units = list(with_quarter_report(_staff_units(user).only("pk", "name", "path"), year, quarter))
        submitted = sum(1 for r in quarter_status(units) if r["status"] in ("accepted", "submitted", "late"))
        window = None
        if current is not None:  # what the summary shows of it, not every child's tally
            window = {"label": str(current.label), "window": {"opens_on": current.window.opens_on,
                      "closes_on": current.window.closes_on}, "total": current.total, "late_count": current.late_count}  # fmt: skip
        return {"window": window, "units": len(units), "submitted": submitted}

    # the progress of a whole subtree, the same for every staff member with these roles: counted once per day until
    # any counted row changes (reports.dashboard_cache)
    paths = sorted(access._paths(user, STAFF_ROLES))
    return {
        "org": org,
        **cached(("home-summary", org.pk, today.isoformat(), *paths), figures),
        "progress_url": reverse("reports:calendar_progress", args=[org.pk]) + f"?year={today.year}",
        "dashboard_url": reverse("reports:dashboard"),
        "quarter_label": _("%(year)s年%(quarter)s") % {"year": year, "quarter": QUARTER_NAMES[quarter]},
    }
