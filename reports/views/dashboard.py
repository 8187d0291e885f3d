"""The committee's and reporting units' dashboard: charts (ECharts, data via json_script) each with its table."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from evaluations.enums import GRADE_ORDER
from machinery.replica import reads_from_replica
from organizations import access
from targets.selectors import overdue_opinions_by_organization, reply_days

from .. import chart_summaries, selectors
from ..dashboard_cache import cached, cached_many
from ..figures import aggregate_in_one_query, figure_aggregates, figures_from
from ..forms import QuarterForm
from ..models import FIGURES
from ..work_figures import work_aggregates, work_figures
from .common import year_quarter

STATUS_ROWS = 30  # the table beside the chart; the quarterly list pages through all units
COVERAGE_ROWS = 30  # beyond this, the chart and table show the lowest; the coverage page lists every one


@login_required
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    year, quarter = year_quarter(request)
    user = request.user
    scopes = functools.cache(lambda: selectors.dashboard_scopes(user))  # read at most once, only on a cache miss
    pk = request.GET.get("org")
    if pk and pk.isdigit():
        root = access.get_organization_for_user(user, int(pk))
    else:  # the first of the user's scopes, the same until organizations or roles change (reports.dashboard_cache)
        root = cached(("scope", user.pk), lambda: next(iter(scopes()), None))
        if root is not None and not access.is_visible(user, root):  # checked on the grants already read: no query
            root = next(iter(scopes()), None)  # e.g. a superuser made an ordinary user: no signal reached the cache
    context = {"year": year, "quarter": quarter, "root": root}
    if root is not None:
        today = timezone.localdate().isoformat()
        filter_key = ("filter", user.pk, root.pk, year, quarter, today)
        # below its filter the page is the same for everyone who sees this subtree (their subtree holds all of it):
        # rendered once per quarter and day, until any counted row changes (reports.dashboard_cache)
        body_key = ("body", root.pk, year, quarter, today)
        parts = cached_many(
            {
                filter_key: lambda: _filter(scopes(), root, year, quarter),
                body_key: lambda: _body(user, root, year, quarter),
            }
        )
        # both are our own templates' output
        context.update({"org": root, "filter_form": mark_safe(parts[filter_key]), "body": mark_safe(parts[body_key])})
    return render(request, "reports/dashboard.html", context)


def _filter(scopes: list, root, year: int, quarter: int) -> str:
    """The scope, year and quarter selects, rendered (the scope list may run to SCOPE_OPTIONS entries)."""
    if all(s.pk != root.pk for s in scopes):
        scopes = [*scopes, root]  # a unit opened from the status table, beyond the list's length
    return render_to_string(
        "reports/_dashboard_filter.html",
        {
            "scopes": scopes,
            "root": root,
            "year": year,
            "quarter": quarter,
            "filter": QuarterForm(initial={"year": year, "quarter": quarter}),
        },
    )


def overdue_opinions(root) -> list[dict]:
    """Per organization of the subtree: public opinions left unanswered past PUBLIC_OPINION_REPLY_DAYS."""
    return overdue_opinions_by_organization(root, today=timezone.localdate())


def _figures(root, year: int, quarter: int) -> tuple[dict, list[str], dict]:
    """Annex 5's figures and those of the working systems beside it, counted in one query."""
    annex5 = figure_aggregates(root, year, quarter)
    work = work_aggregates(root, year, quarter)
    counts = aggregate_in_one_query(root, {**annex5, **{f"work_{name}": part for name, part in work.items()}})
    values, notes = figures_from({name: counts[name] for name in annex5})
    return values, notes, work_figures(root, year, quarter, counts={name: counts[f"work_{name}"] for name in work})


def _body(user, root, year: int, quarter: int) -> str:
    """The dashboard below its filter, rendered: figures, coverage, submission status, progress, grades, lists."""
    # the subtree's aggregates are the same for everyone who sees it: cached until any counted row changes
    key = (root.pk, year, quarter)
    coverage = cached(("coverage", *key), lambda: selectors.coverage_by_child(root, year, quarter))
    coverage_more = max(0, len(coverage) - COVERAGE_ROWS)
    if coverage_more:  # those furthest from 100% are the ones to follow up
        # a unit with no grassroots organization has nothing to launch: it goes after those that lag
        coverage = sorted(coverage, key=lambda r: (r["total"] == 0, r["percent"], r["org"].path))[:COVERAGE_ROWS]
    values, notes, work = cached(("figures", *key), lambda: _figures(root, year, quarter))
    units = list(selectors.with_quarter_report(
        selectors.reporting_units(user).filter(path__startswith=root.path), year, quarter
    ))
    due = selectors.unit_due_dates([root, *units], year, quarter)  # the year's calendar, one query
    status = selectors.quarter_status(units, due)
    status_counts = {key: 0 for key in selectors.STATUS_ORDER}
    for row in status:
        status_counts[row["status"]] += 1
    progress = cached(("progress", root.pk, year), lambda: selectors.target_progress(root, year))
    grades = cached(("grades", root.pk, year), lambda: selectors.grade_distribution(root, year))
    grade_labels = [str(g.label) for g in GRADE_ORDER]
    demos = selectors.demonstrations(root, year)
    opinions = cached(("opinions", root.pk, timezone.localdate().isoformat()), lambda: overdue_opinions(root))
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
            "labels": [_("典型示范单位（综合）"), _("典型示范单位（单项）"), _("领导班子联系点")],
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
            "due_on": due[root.pk],
            "days_left": selectors.days_left(year, quarter, due=due[root.pk]),
            "progress": progress,
            "grades": grades,
            "grade_labels": grade_labels,
            "demos": demos,
            "contacts": contacts,
            "work": work,
            "opinions": opinions,
            "opinion_days": reply_days(),
            "charts": charts,
            "chart_labels": chart_summaries.summaries(charts, coverage_more=coverage_more),
        }
    )
