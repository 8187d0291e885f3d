"""Annex 1, 2 and 5 as xlsx and PDF: read the files back."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from reports.exports import tables
from reports.exports.pdf import pdf_bytes
from reports.exports.table import chinese_date
from reports.exports.xlsx import xlsx_bytes
from reports.services import quarterly_report_open
from tests.reports_fixtures import YEAR, plan_with_items, posts_with_claims, rate
from tests.xlsx_headers import header_end

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())  # cells wrap inside narrow columns: compare without line breaks


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def sheet(data: bytes, index: int = 0):
    return load_workbook(io.BytesIO(data)).worksheets[index]


def header_row(ws, columns: list[str]) -> int:
    """The worksheet row (1-based) of the header's last line."""
    return header_end([[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=12)], columns) + 1


def body(ws, start: int, n: int) -> list[list[str]]:
    """The rows as Excel shows them: dates in the sheet's 2026年6月30日 format."""
    out = []
    for row in ws.iter_rows(min_row=start, max_row=start + n - 1, values_only=True):
        out.append(["" if v is None else chinese_date(v.date()) if isinstance(v, datetime.datetime) else str(v) for v in row])
    return out


@pytest.mark.django_db
def test_it_writes_annex1_xlsx_with_merged_title_print_titles_and_landscape(world):
    plan_with_items(world.school_a, 5)
    data = xlsx_bytes([tables.annex1(world.school_a, YEAR)])
    ws = sheet(data)
    assert ws["A1"].value == "附件1"
    assert ws["A2"].value == tables.ANNEX1_TITLE
    assert "A2:K2" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].font.name == "黑体"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    head = header_row(ws, tables.ANNEX1_COLUMNS)
    assert ws.print_title_rows == f"${head}:${head}"
    assert ws.freeze_panes == f"A{head + 1}"
    assert "填报单位：甲校党委" in ws["A3"].value
    assert ws.cell(head + 1, 3).value == "目标任务1" or ws.cell(head + 1, 3).value.startswith("目标任务")
    assert ws.cell(head + 1, 3).font.name == "宋体"
    assert ws.cell(head + 1, 3).border.left.style == "thin"
    assert ws.cell(head + 1, 3).alignment.wrap_text
    assert ws.column_dimensions["C"].width == 30
    assert ws.cell(head + 5, 1).value == 5 and ws.cell(head + 6, 1).value is None  # then the signature block


@needs_poppler
@pytest.mark.django_db
def test_it_writes_annex1_pdf_with_chinese_headers_and_an_embedded_cjk_font(world, tmp_path):
    plan_with_items(world.school_a, 3)
    data = pdf_bytes([tables.annex1(world.school_a, YEAR)])
    text = pdf_text(data, tmp_path)
    for column in ["目标类别", "量化指标", "责任人", "完成时限"]:
        assert column in text
    assert "第1页共1页" in text
    assert "甲校党委" in text
    fonts = pdf_fonts(data, tmp_path)
    assert "Noto-Serif-CJK-SC" in fonts and "Noto-Sans-CJK-SC" in fonts
    embedded = [line for line in fonts.splitlines() if "CJK" in line]
    assert embedded and all(line.split()[-5] == "yes" for line in embedded)  # the "emb" column


@needs_poppler
@pytest.mark.django_db
def test_it_puts_the_same_rows_in_annex2_xlsx_and_pdf(world, tmp_path):
    claims = posts_with_claims(world.branch_a, 4)
    rate(world.branch_a, claims[0].member)
    xlsx = sheet(xlsx_bytes([tables.annex2(world.school_a, YEAR)]))
    head = header_row(xlsx, tables.ANNEX2_COLUMNS)
    everyone = body(xlsx, head + 1, 5)
    rows = [r for r in everyone if r[1] != "甲成员"]
    assert [r[1] for r in rows] == ["党员0001", "党员0002", "党员0003", "党员0004"]
    assert rows[0][13] == "良好"
    assert [r[6] for r in everyone if r[1] == "甲成员"] == ["尚未认岗"]  # on no post yet: listed all the same
    text = pdf_text(pdf_bytes([tables.annex2(world.school_a, YEAR)]), tmp_path)
    for r in rows:
        for value in (r[1], r[6], r[8]):
            assert value in text
    assert "年终总评" in text and "履岗承诺" in text


@needs_poppler
@pytest.mark.django_db
def test_it_writes_a_unit_annex5_with_figures_and_narrative(world, tmp_path):
    posts_with_claims(world.unit, 3, branch=world.unit_branch)
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=world.user("unit_staff"))
    report.practices = "开展亮岗履职活动"
    xlsx = sheet(xlsx_bytes([tables.annex5(report)]))
    head = header_row(xlsx, tables.ANNEX5_COLUMNS)
    row = body(xlsx, head + 1, 1)[0]
    assert row[0] == "2026年第四季度"
    assert row[tables.ANNEX5_COLUMNS.index("设岗数")] == "3"
    assert xlsx.cell(head + 2, 1).value == "主要做法和成效"
    text = pdf_text(pdf_bytes([tables.annex5(report)]), tmp_path)
    assert "季度" in text and "设岗" in text and "开展亮岗履职活动" in text and "丙高校党委" in text


@needs_poppler
@pytest.mark.django_db
def test_it_repeats_the_table_header_and_numbers_every_pdf_page(world, tmp_path):
    posts_with_claims(world.branch_a, 40)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_bytes([tables.annex2(world.school_a, YEAR)]))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    for n in range(1, pages + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True
        ).stdout
        text = "".join(out.split())
        assert "履岗承诺" in text and "年终总评" in text, f"page {n} has no table header"
        assert f"第{n}页共{pages}页" in text
        assert ("填报单位：甲校党委" in text) == (n == 1)  # the unit once, on the first page


@needs_poppler
@pytest.mark.django_db
def test_it_puts_the_same_rows_in_annex1_xlsx_and_pdf(world, tmp_path):
    plan_with_items(world.school_a, 6)
    ws = sheet(xlsx_bytes([tables.annex1(world.school_a, YEAR)]))
    head = header_row(ws, tables.ANNEX1_COLUMNS)
    rows = body(ws, head + 1, 6)
    assert ws.cell(head + 7, 1).value is None  # exactly six rows
    deadline = ws.cell(head + 1, 9)  # 完成时限: a date Excel can sort by, shown in Chinese
    assert deadline.is_date and deadline.number_format == 'yyyy"年"m"月"d"日"'
    text = pdf_text(pdf_bytes([tables.annex1(world.school_a, YEAR)]), tmp_path)
    for row in rows:
        for value in row[2:5] + row[7:10]:
            assert "".join(value.split()) in text, value
    assert "师德师风建设" in text and "师德师风建设" in "".join(str(c.value) for c in ws["A"][:head])
