"""The committee's and reporting units' dashboard: charts (ECharts, data via json_script) each with its table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from evaluations.enums import GRADE_ORDER
from organizations import access

from .. import selectors
from ..dashboard_cache import cached
from ..figures import count_figures
from ..forms import QuarterForm
from ..models import FIGURES
from .common import year_quarter

STATUS_ROWS = 30  # the table beside the chart; the quarterly list pages through all units
COVERAGE_ROWS = 30  # beyond this, the chart and table show the lowest; the coverage page lists every one


def _scope(request: HttpRequest, scopes: list):
    pk = request.GET.get("org")
    if pk and pk.isdigit():
        return access.get_organization_for_user(request.user, int(pk))
    return scopes[0] if scopes else None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    year, quarter = year_quarter(request)
    # the same list on every visit, until organizations or roles change (reports.dashboard_cache)
    scopes = list(cached(("scopes", request.user.pk), lambda: selectors.dashboard_scopes(request.user)))
    root = _scope(request, scopes)
    if root is not None and all(s.pk != root.pk for s in scopes):
        scopes.append(root)  # a unit opened from the status table, beyond the list's length
    context = {
        "year": year,
        "quarter": quarter,
        "filter": QuarterForm(initial={"year": year, "quarter": quarter}),
        "scopes": scopes,
        "root": root,
    }
    if root is None:
        return render(request, "reports/dashboard.html", context)

    # below its filter the page is the same for everyone who sees this subtree (their subtree holds all of it):
    # rendered once per quarter and day, until any counted row changes (reports.dashboard_cache)
    parts = ("body", root.pk, year, quarter, timezone.localdate().isoformat())
    body = cached(parts, lambda: _body(request.user, root, year, quarter))
    context.update({"org": root, "body": mark_safe(body)})  # our own template's output
    return render(request, "reports/dashboard.html", context)


def _body(user, root, year: int, quarter: int) -> str:
    """The dashboard below its filter, rendered: figures, coverage, submission status, progress, grades, lists."""
    # the subtree's aggregates are the same for everyone who sees it: cached until any counted row changes
    key = (root.pk, year, quarter)
    coverage = cached(("coverage", *key), lambda: selectors.coverage_by_child(root, year, quarter))
    coverage_more = max(0, len(coverage) - COVERAGE_ROWS)
    if coverage_more:  # those furthest from 100% are the ones to follow up
        coverage = sorted(coverage, key=lambda r: (r["percent"], r["org"].path))[:COVERAGE_ROWS]
    values, notes = cached(("figures", *key), lambda: count_figures(root, year, quarter))
    units = [u for u in selectors.reporting_units(user) if u.path.startswith(root.path)]
    status = selectors.quarter_status(units, year, quarter)
    status_counts = {key: 0 for key in selectors.STATUS_ORDER}
    for row in status:
        status_counts[row["status"]] += 1
    progress = cached(("progress", root.pk, year), lambda: selectors.target_progress(root, year))
    grades = cached(("grades", root.pk, year), lambda: selectors.grade_distribution(root, year))
    grade_labels = [str(g.label) for g in GRADE_ORDER]
    demos = selectors.demonstrations(root, year)
    contacts = selectors.contact_points(root, year)
    charts = {
        "coverage": {
            "labels": [r["org"].name for r in coverage],
            "values": [float(r["percent"]) for r in coverage],
        },
        "status": {
            "labels": [selectors.STATUS_LABELS[k] for k in selectors.STATUS_ORDER],
            "values": [status_counts[k] for k in selectors.STATUS_ORDER],
        },
        "progress": {
            "labels": [s["label"] for s in progress["by_status"]],
            "values": [s["value"] for s in progress["by_status"]],
        },
        "grades": {
            "periods": [g["period"] for g in grades],
            "grades": grade_labels,
            "series": [[g["grades"][i] for g in grades] for i in range(len(grade_labels))],
        },
        "demos": {
            "labels": ["典型示范单位（综合）", "典型示范单位（单项）", "领导班子联系点"],
            "values": [values["demo_comprehensive"], values["demo_single"], values["contact_points"]],
        },
    }
    return render_to_string(
        "reports/_dashboard_body.html",
        {
            "root": root,
            "year": year,
            "quarter": quarter,
            "org": root,
            "coverage": coverage,
            "coverage_more": coverage_more,
            "figures": [(label, values[name]) for name, label in FIGURES],
            "figure_values": values,
            "notes": notes,
            "status": status[:STATUS_ROWS],
            "status_more": max(0, len(status) - STATUS_ROWS),
            "status_counts": [(selectors.STATUS_LABELS[k], status_counts[k]) for k in selectors.STATUS_ORDER],
            "due_on": selectors.quarter_due_date(year, quarter),
            "days_left": selectors.days_left(year, quarter),
            "progress": progress,
            "grades": grades,
            "grade_labels": grade_labels,
            "demos": demos,
            "contacts": contacts,
            "charts": charts,
        }
    )
