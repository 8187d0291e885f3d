"""The annex files read back as a user opens them: in every PDF each header label (and group label) stands whole on
one line of the header; in every workbook each row is as tall as its wrapped text, counts are whole numbers, 推广面
has its one decimal as in the PDF, and dates are real dates shown in Chinese."""

from __future__ import annotations

import datetime
import io
import math
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from machinery.xlsx import DATE_FORMAT, DATETIME_FORMAT, display_width
from posts.models import Commitment
from reports.exports import consolidation, tables
from reports.exports.pdf import pdf_bytes
from reports.exports.table import Table, header_width
from reports.exports.xlsx import LINE_HEIGHT, xlsx_bytes
from reports.services import quarterly_report_open, quarterly_report_submit, quarterly_report_update
from targets.models import TargetItem
from tests.reports_fixtures import YEAR, plan_with_items, posts_with_claims

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
LONG = "围绕立德树人根本任务，带头上好每一节课，关心每一名学生的成长，落实课后服务和家访制度。" * 3
BODY_STARTS = re.compile(r"^\s*(\d+\s|\d{4}年第|合计|只列|填报人)")


def annexes(world) -> dict[str, callable]:
    """Each annex as a function making its tables afresh (Annex 2 streams its rows once), with long text in them."""
    plan = plan_with_items(world.school_a, 3)
    TargetItem.objects.filter(plan=plan).update(content=LONG, measures=LONG[:60])
    posts_with_claims(world.school_a, 3, branch=world.branch_a)
    Commitment.objects.update(content=LONG)
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=None)
    report = quarterly_report_update(
        report=report, by=None, expected_version=report.version, practices=LONG, problems="问题\n第二行",
        next_steps=LONG[:50], filled_by="林老师", contact_phone="0595-1234567",
    )  # fmt: skip
    report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    return {
        "附件1": lambda: [tables.annex1(world.school_a, YEAR)],
        "附件2": lambda: [tables.annex2(world.school_a, YEAR)],
        "附件5": lambda: [tables.annex5(report)],
        "汇总": lambda: consolidation.consolidation([world.school_a, world.unit], [report], YEAR, 4),
    }


def header_lines(text: str, table) -> list[str]:
    """The lines of a table's header on the page its section starts: from the first line holding one of its labels
    to the line before its first body row."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if table.columns[0] in line and "：" not in line)
    end = next((i for i in range(first + 1, len(lines)) if BODY_STARTS.match(lines[i])), len(lines))
    start = first
    while start > 0 and lines[start - 1].strip() and "：" not in lines[start - 1]:
        start -= 1  # the group labels' line above
    return lines[start:end]


@needs_poppler
def test_every_header_label_is_whole_on_one_line_of_the_pdf_header(world, tmp_path):
    for name, make in annexes(world).items():
        made = make()
        path = tmp_path / "form.pdf"
        path.write_bytes(pdf_bytes(made))
        pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")  # fmt: skip
        for table in made:
            page = next(p for p in pages if table.title in p)
            head = header_lines(page, table)
            labels = list(table.columns) + [label for label, _first, _count in table.groups]
            for label in labels:
                assert any(label in line for line in head), (name, label, "\n".join(head))


def test_no_column_is_narrower_than_its_header_label():
    for columns, widths in ((tables.ANNEX1_COLUMNS, tables.ANNEX1_WIDTHS), (tables.ANNEX2_COLUMNS, tables.ANNEX2_WIDTHS)):
        made = Table(title="t", unit="u", date=datetime.date(2026, 1, 1), columns=columns, widths=widths, rows=[])
        assert all(w >= header_width(c) for w, c in zip(made.widths, columns, strict=True)), made.widths
    assert header_width("责任处室/年段/班级") == 20  # eight Chinese characters, two slashes, the padding


def body_cells(ws, first_row: int):
    """(row, text, width) of every text cell at or below first_row, a cell merged across columns as wide as them all;
    cells merged down several rows (a person's) are left out: their height is the sum of the rows'."""
    spans = {}
    for r in ws.merged_cells.ranges:
        if r.min_row != r.max_row:
            for row in range(r.min_row, r.max_row + 1):
                spans[row, r.min_col] = None
        else:
            spans[r.min_row, r.min_col] = sum(
                ws.column_dimensions[ws.cell(1, c).column_letter].width for c in range(r.min_col, r.max_col + 1)
            )
    for row in ws.iter_rows(min_row=first_row):
        for c in row:
            if type(c.value) is not str or not c.value:
                continue
            key = (c.row, c.column)
            if key in spans and spans[key] is None:
                continue
            yield c.row, c.value, spans.get(key) or ws.column_dimensions[c.column_letter].width


def test_every_workbook_row_is_as_tall_as_its_wrapped_text(world):
    checked = 0
    for name, make in annexes(world).items():
        made = make()
        wb = load_workbook(io.BytesIO(xlsx_bytes(made)))
        for ws, table in zip(wb.worksheets, made, strict=True):
            head = next(c.row for row in ws.iter_rows(max_row=15) for c in row if c.value == table.columns[0])
            for row, text, width in body_cells(ws, head + table.header_levels):
                lines = sum(max(1, math.ceil(display_width(part) / width)) for part in text.split("\n"))
                if lines < 2:
                    continue
                height = ws.row_dimensions[row].height
                assert height and height >= lines * LINE_HEIGHT, (name, ws.title, row, lines, height, text[:20])
                checked += 1
    assert checked >= 8, checked  # long text in Annex 1, 2, 5 and the consolidation's written parts


def test_counts_are_whole_numbers_coverage_has_its_decimal_and_dates_are_dates(world):
    made = annexes(world)
    [annex5] = made["附件5"]()
    ws = load_workbook(io.BytesIO(xlsx_bytes([annex5]))).worksheets[0]
    row = next(r for r in ws.iter_rows() if r[0].value == f"{YEAR}年第四季度")
    figures = dict(zip(annex5.columns[1:], row[1:], strict=False))
    assert figures["占比（%）"].number_format == "0.0" and figures["占比（%）"].data_type == "n"
    counts = [c for label, c in figures.items() if label != "占比（%）"]
    assert counts and all(c.number_format == "0" and isinstance(c.value, int) for c in counts)

    ws = load_workbook(io.BytesIO(xlsx_bytes(made["附件2"]()))).worksheets[0]
    published = ws.cell(
        next(c.row for r in ws.iter_rows() for c in r if c.value == "党员0001"), tables.ANNEX2_COLUMNS.index("公开时间") + 1
    )
    assert published.is_date and published.number_format == DATE_FORMAT, (published.value, published.number_format)

    summary_table = made["汇总"]()[0]
    summary, details = load_workbook(io.BytesIO(xlsx_bytes(made["汇总"]()))).worksheets
    unit = next(r for r in summary.iter_rows() if r[1].value == "丙高校党委")
    assert unit[0].number_format == "0" and unit[3].is_date and unit[3].number_format in (DATE_FORMAT, DATETIME_FORMAT)
    percent = summary_table.columns.index("占比（%）")
    assert unit[percent].number_format == "0.0", [(c.value, c.number_format) for c in unit]
    total = next(r for r in summary.iter_rows() if r[1].value == "合计")
    assert total[percent].number_format == "0.0", [(c.value, c.number_format) for c in total]
    assert any(c.value == LONG for r in details.iter_rows() for c in r)
