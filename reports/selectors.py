"""Reads for reports, always scoped through organizations.access."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Case, Count, FilteredRelation, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from organizations import access
from organizations.enums import COMMITTEE_KINDS, GRASSROOTS_KINDS
from organizations.models import Organization
from years.enums import report_window
from years.selectors import window_for, windows_for_many

from .models import QuarterlyReport, QuarterlyReportEvent


def quarter_due_date(year: int, quarter: int) -> datetime.date:
    """The policy's default: Annex 5 is due before the 20th of the quarter's third month (五.三): 20 March, June,
    September, December. A unit's real deadline is its calendar's (unit_due_date)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, not {quarter}")
    return datetime.date(year, quarter * 3, 20)


def unit_due_date(organization: Organization, year: int, quarter: int) -> datetime.date:
    """The unit's Annex 5 deadline: the close of its quarter's report window in the year's calendar (set by the city
    committee, perhaps narrowed above the unit; the policy's 20th when nobody set one). One query."""
    quarter_due_date(year, quarter)  # validates the quarter
    return window_for(organization, year, report_window(quarter)).closes_on


def unit_due_dates(units, year: int, quarter: int) -> dict[int, datetime.date]:
    """unit_due_date for many units, by pk, in one query."""
    quarter_due_date(year, quarter)
    windows = windows_for_many(units, year, report_window(quarter))
    return {pk: w.closes_on for pk, w in windows.items()}


def quarter_of(day: datetime.date) -> tuple[int, int]:
    """(year, quarter) containing the day."""
    return day.year, (day.month - 1) // 3 + 1


def current_quarter() -> tuple[int, int]:
    return quarter_of(timezone.localdate())


def reporting_units(user) -> QuerySet[Organization]:
    """Organizations that report Annex 5 quarterly and that the user may see."""
    return access.visible_organizations(user).filter(reports_quarterly=True).order_by("path")


def can_fill(user, org: Organization) -> bool:
    """Staff of the reporting unit itself fill in and submit its report (committee staff above only review it)."""
    if access.is_superuser(user):
        return True
    return any(g.organization_id == org.pk and g.role in access.STAFF_ROLES for g in access.grants(user))


def can_review(user) -> bool:
    """The city committee accepts or returns quarterly reports."""
    return access.is_city_staff(user)


def get_report_for_user(user, pk: int, *, to_fill: bool = False, to_review: bool = False) -> QuarterlyReport:
    """404 outside the user's subtree; 403 for those who see the report but may not fill in / review it."""
    report = access.get_for_user(QuarterlyReport.objects.select_related("organization"), user, pk)
    if to_fill:
        access.require(can_fill(user, report.organization))
    if to_review:
        access.require(can_review(user))
    return report


def reports_for_user(user, *, year: int | None = None, quarter: int | None = None) -> QuerySet[QuarterlyReport]:
    qs = access.scope(QuarterlyReport.objects.select_related("organization"), user)
    if year:
        qs = qs.filter(year=year)
    if quarter:
        qs = qs.filter(quarter=quarter)
    return qs.order_by("-year", "-quarter", "organization__path")


def events_of(report: QuarterlyReport) -> QuerySet[QuarterlyReportEvent]:
    return report.events.select_related("by").order_by("at", "pk")


def with_quarter_report(units: QuerySet[Organization], year: int, quarter: int) -> QuerySet[Organization]:
    """The units, each with `.quarter_report`: its report of the quarter, or None (a join: no query of its own)."""
    of_quarter = Q(quarterly_reports__year=year, quarterly_reports__quarter=quarter)
    return units.annotate(
        quarter_report=FilteredRelation("quarterly_reports", condition=of_quarter)
    ).select_related("quarter_report")


def quarter_status(units: list[Organization], due: dict[int, datetime.date] | None = None) -> list[dict]:
    """Each unit's submission status for the quarter (units from with_quarter_report; no query): accepted,
    submitted (on time), returned, late (submitted after the due date, not yet accepted) or missing (nothing
    submitted yet). With `due` (unit_due_dates), each row also says its deadline and whether it is overdue
    (nothing submitted and the deadline passed)."""
    rows = []
    today = timezone.localdate()
    for unit in units:
        report = getattr(unit, "quarter_report", None)  # not set when the join found no report
        if report is None or report.state == QuarterlyReport.State.DRAFT:
            status = "missing"
        elif report.state == QuarterlyReport.State.SUBMITTED and report.is_late:
            status = "late"
        else:
            status = report.state
        label = STATUS_LABELS[status] + ("（逾期）" if status == "accepted" and report.is_late else "")
        due_on = (due or {}).get(unit.pk)
        overdue = due_on is not None and status in ("missing", "returned") and today > due_on
        rows.append({"unit": unit, "report": report, "status": status, "label": label, "due_on": due_on,
                     "overdue": overdue})
    return rows


def days_left(year: int, quarter: int, today: datetime.date | None = None, *, due: datetime.date | None = None) -> int:
    """Days until the due date (the calendar's `due`, else the policy's) — negative once it has passed."""
    return ((due or quarter_due_date(year, quarter)) - (today or timezone.localdate())).days


STATUS_ORDER = ["accepted", "submitted", "returned", "late", "missing"]
STATUS_LABELS = {
    "accepted": "已接收",
    "submitted": "已报送",
    "returned": "已退回",
    "late": "逾期",
    "missing": "未报送",
}


# ---- dashboard -----------------------------------------------------------------------------------------------------


SCOPE_OPTIONS = 100  # a province has more units than a list can offer; the others open from the status table


def dashboard_scopes(user) -> list[Organization]:
    """The subtrees a user may filter the dashboard by (1 query): their own top organizations and the committees
    under them first, then reporting units, at most SCOPE_OPTIONS in all."""
    kinds = [k.value for k in COMMITTEE_KINDS]
    own = access._paths(user, access.MANAGING_ROLES)
    first = Q(kind__in=kinds) | Q(path__in=own)
    return list(
        access.visible_organizations(user)
        .filter(first | Q(reports_quarterly=True))
        .annotate(rank=Case(When(first, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .only("pk", "path", "depth", "numchild", "name", "kind")
        .order_by("rank", "path")[:SCOPE_OPTIONS]
    )


def coverage_by_child(root: Organization, year: int, quarter: int) -> list[dict]:
    """推广面 of each child subtree of `root` as of the quarter's end (2 queries), counted as Annex 5 counts it."""
    from .figures import percent, quarter_end

    end = quarter_end(year, quarter)
    children = list(Organization.objects.get_children(root).order_by("path"))
    width = len(root.path) + Organization.steplen
    grouped = (
        Organization.objects.filter(path__startswith=root.path, depth__gt=root.depth, kind__in=GRASSROOTS_KINDS)
        .annotate(prefix=Substr("path", 1, width))
        .order_by()  # no default ordering in the GROUP BY
        .values("prefix")
        .annotate(total=Count("pk"), launched=Count("pk", filter=Q(launched_on__isnull=False, launched_on__lte=end)))
    )
    counts = {row["prefix"]: row for row in grouped}
    rows = []
    for child in children:
        row = counts.get(child.path, {"total": 0, "launched": 0})
        rows.append(
            {"org": child, "total": row["total"], "launched": row["launched"],
             "percent": percent(row["launched"], row["total"])}
        )
    return rows


def target_progress(root: Organization, year: int) -> dict:
    """Target items of the year's plans in the subtree, by status, with the average percent done (1 query)."""
    from targets.enums import ItemStatus
    from targets.models import TargetItem

    qs = TargetItem.objects.filter(plan__organization__path__startswith=root.path, plan__year=year)
    row = qs.aggregate(
        total=Count("pk"),
        average=Avg("percent"),
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in ItemStatus},
    )
    return {
        "total": row["total"],
        "average": round(row["average"] or 0, 1),
        "by_status": [{"label": str(s.label), "value": row[s.value]} for s in ItemStatus],
    }


def grade_distribution(root: Organization, year: int) -> list[dict]:
    """Ratings in the subtree for each of the year's periods, by grade, and how many of them were graded without a
    part (缺自评 / 缺测评 / 缺评定: the rating's snapshot names the absent parts) (1 query)."""
    from evaluations.enums import GRADE_ORDER, PERIOD_ORDER, PeriodKind
    from evaluations.models import Rating

    counts: dict[tuple[str, str], int] = {}
    missing: dict[str, int] = {}
    for r in (
        Rating.objects.filter(member__organization__path__startswith=root.path, period__year=year)
        .order_by()
        .values("period__kind", "grade")
        .annotate(n=Count("pk"), missing=Count("pk", filter=Q(snapshot__has_key="absent")))
    ):
        counts[(r["period__kind"], r["grade"])] = r["n"]
        missing[r["period__kind"]] = missing.get(r["period__kind"], 0) + r["missing"]
    return [
        {"period": str(PeriodKind(kind).label), "grades": [counts.get((kind, g.value), 0) for g in GRADE_ORDER],
         "missing": missing.get(kind, 0)}
        for kind in PERIOD_ORDER
    ]


def demonstrations(root: Organization, year: int, limit: int = 20) -> list:
    from organizations.models import DemonstrationUnit

    return list(
        DemonstrationUnit.objects.filter(organization__path__startswith=root.path, year__lte=year)
        .select_related("organization")
        .order_by("-year", "organization__path")[:limit]
    )


def contact_points(root: Organization, year: int, limit: int = 20) -> list:
    from organizations.models import ContactPoint

    return list(
        ContactPoint.objects.filter(
            leader__organization__path__startswith=root.path, leader__is_active=True, since__year__lte=year
        )
        .select_related("leader", "organization")
        .annotate(n_visits=Count("visits", filter=Q(visits__visited_on__year=year)))
        .order_by("leader__organization__path", "leader__name", "pk")[:limit]
    )
