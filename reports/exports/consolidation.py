"""The city's quarterly workbook: every reporting unit's Annex 5 figures in one summary, their written parts in one
table."""

from __future__ import annotations

import datetime

from django.utils import timezone

from organizations.models import Organization

from ..figures import percent
from ..models import FIGURE_FIELDS, FIGURES, NARRATIVE, QuarterlyReport
from .table import Table
from .tables import ANNEX5_TITLE, CITY_COMMITTEE, FIGURE_HEADS, QUARTER_NAMES, _figure_cells, _figure_groups, _today

SUMMARY_COLUMNS = ["序号", "填报单位", "状态", "报送时间"] + FIGURE_HEADS
SUMMARY_WIDTHS = [6, 24, 10, 17] + [10] * len(FIGURES)

OFFICIAL = {QuarterlyReport.State.SUBMITTED, QuarterlyReport.State.ACCEPTED}
DETAIL_COLUMNS = (
    ["序号", "填报单位", "状态", "报送时间"] + [str(label) for _name, label in NARRATIVE] + ["填报人", "联系电话"]
)
DETAIL_WIDTHS = [6, 20, 10, 14, 40, 30, 30, 10, 14]


STATE_LABELS = {value: str(label) for value, label in QuarterlyReport.State.choices}


def _state_text(report: QuarterlyReport) -> str:
    return STATE_LABELS[report.state] + ("（逾期）" if report.is_late else "")


def _submitted_text(report: QuarterlyReport) -> datetime.date | str:
    return timezone.localtime(report.submitted_at).date() if report.submitted_at else ""


def consolidation(units: list[Organization], reports: list[QuarterlyReport], year: int, quarter: int) -> list[Table]:
    """The city's workbook for a quarter: a summary (one row per reporting unit, figures of submitted and accepted
    reports, and their totals), then the units' written parts (主要做法和成效、存在问题、下一步打算, who filled the
    report in) in one table, a row per submitted or accepted report.

    One table for all units rather than a sheet per unit: a province has thousands of reporting units, and a
    workbook of thousands of sheets is slow to make and to open. Each unit's own Annex 5 is on its report's page."""
    by_unit = {r.organization_id: r for r in reports}
    quarter_text = f"{year}年{QUARTER_NAMES[quarter]}"
    rows: list[list] = []
    details: list[list] = []
    totals = dict.fromkeys(FIGURE_FIELDS, 0)
    blank = [""] * len(FIGURE_FIELDS)
    for i, unit in enumerate(units, start=1):
        report = by_unit.get(unit.pk)
        if report is None:
            rows.append([i, unit.name, "未报送", "", *blank])
            continue
        state, when = _state_text(report), _submitted_text(report)
        if report.state not in OFFICIAL:
            rows.append([i, unit.name, state, when, *blank])
            continue
        figures = _figure_cells(report)
        for name, value in zip(FIGURE_FIELDS, figures, strict=True):
            if name != "coverage_percent":
                totals[name] += value
        rows.append([i, unit.name, state, when, *figures])
        details.append(
            [
                len(details) + 1,
                unit.name,
                state,
                when,
                *[getattr(report, name) for name, _label in NARRATIVE],
                report.filled_by,
                report.contact_phone,
            ]
        )
    totals["coverage_percent"] = percent(totals["org_launched"], totals["org_total"])
    rows.append(["", "合计", "", "", *[totals[name] for name in FIGURE_FIELDS]])
    summary = Table(
        title=f"{ANNEX5_TITLE}（汇总）",
        unit=CITY_COMMITTEE,
        date=_today(),
        columns=SUMMARY_COLUMNS,
        widths=SUMMARY_WIDTHS,
        rows=rows,
        sheet_name="汇总",
        preface=[("季度", quarter_text)],
        closing="合计只计已报送、已接收的季报表。",
        row_count=len(rows),
        annex="附件5",
        groups=_figure_groups(4),
    )
    written = Table(
        title=f"{ANNEX5_TITLE}（各单位情况）",
        unit=CITY_COMMITTEE,
        date=_today(),
        columns=DETAIL_COLUMNS,
        widths=DETAIL_WIDTHS,
        rows=details,
        sheet_name="各单位情况",
        preface=[("季度", quarter_text)],
        closing="只列已报送、已接收的季报表。",
        row_count=len(details),
        annex="附件5",
        long_columns=frozenset({1, 4, 5, 6}),
    )
    return [summary, written]
