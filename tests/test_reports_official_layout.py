"""The annexes read as the official forms: 附件N top left, the unit and date once, a signature block to fill by hand,
headers whole, no coloured fills, and workbook rows as tall as their wrapped text."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from machinery.xlsx import display_width
from reports.exports import consolidation, tables
from reports.exports.pdf import pdf_bytes
from reports.exports.xlsx import LINE_HEIGHT, xlsx_bytes
from reports.services import quarterly_report_open
from targets.models import TargetItem
from tests.reports_fixtures import YEAR, plan_with_items, posts_with_claims

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing"),
]

LONG = "围绕立德树人根本任务，" * 12 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 2


def layout_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def annex_tables(world):
    plan = plan_with_items(world.school_a, 3)
    TargetItem.objects.filter(plan=plan, position=TargetItem.objects.filter(plan=plan).order_by("position")[0].position).update(
        content=LONG
    )
    posts_with_claims(world.school_a, 2)
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=world.user("unit_staff"))
    report.filled_by, report.contact_phone = "林老师", "0595-1234567"
    return {
        "附件1": [tables.annex1(world.school_a, YEAR)],
        "附件2": [tables.annex2(world.school_a, YEAR)],
        "附件5": [tables.annex5(report)],
        "汇总": consolidation.consolidation([world.school_a, world.unit], [], YEAR, 4),
    }


def test_each_pdf_is_an_official_form(world, tmp_path):
    for name, made in annex_tables(world).items():
        text = layout_text(pdf_bytes(made), tmp_path)
        expected = "附件5" if name == "汇总" else name
        assert re.search(rf"^\s*{expected}\s*$", text, re.M), name  # on a line of its own, above the title
        assert text.index(expected) < text.index(made[0].title[:10]), name
        assert text.count("填报单位") == (1 if name != "汇总" else 3), name  # the summary also has a 填报单位 column
        for label in ("填报人", "审核人", "联系电话", "单位（盖章）"):
            assert label in text, (name, label)
        words = [c for c in made[0].columns if c in {"序号", "性别", "政治面貌", "姓名", "完成时限", "季度"}]
        for word in words:
            assert word in text, (name, word)  # on one line, not split
        if name == "附件2":
            assert "党员0001" in text and "2026年" in text  # a name is never broken inside


def test_the_unit_and_date_are_printed_once(world, tmp_path):
    [table] = annex_tables(world)["附件1"]
    text = layout_text(pdf_bytes([table]), tmp_path)
    assert text.count(table.date_text) == 1  # not repeated in a page header


def test_the_city_consolidation_names_the_committee_in_full(world, tmp_path):
    made = annex_tables(world)["汇总"]
    text = layout_text(pdf_bytes(made), tmp_path)
    assert "填报单位：中共泉州市委教育工作委员会" in "".join(text.split())
    ws = load_workbook(io.BytesIO(xlsx_bytes(made))).worksheets[0]
    assert "中共泉州市委教育工作委员会" in ws["A3"].value


def test_the_annex5_footer_carries_who_filled_it_in(world, tmp_path):
    [table] = annex_tables(world)["附件5"]
    flat = "".join(layout_text(pdf_bytes([table]), tmp_path).split())
    assert "填报人：林老师" in flat and "联系电话：0595-1234567" in flat


def test_a_date_in_the_pdf_stays_on_one_line(world, tmp_path):
    [table] = annex_tables(world)["附件1"]
    text = layout_text(pdf_bytes([table]), tmp_path)
    assert f"{YEAR}年6月30日" in text or re.search(rf"{YEAR}年\d+月\d+日", text)


def test_each_workbook_is_an_official_form(world):
    for name, made in annex_tables(world).items():
        wb = load_workbook(io.BytesIO(xlsx_bytes(made)))
        for ws, table in zip(wb.worksheets, made, strict=True):
            assert ws["A1"].value == ("附件5" if name == "汇总" else name)
            assert ws["A2"].value == table.title
            for row in ws.iter_rows():
                for c in row:
                    assert c.fill.fill_type in (None, "none"), (name, c.coordinate)
            labels = [c.value for row in ws.iter_rows(max_row=ws.max_row) for c in row if isinstance(c.value, str)]
            for label in ("填报人", "审核人", "联系电话", "单位（盖章）"):
                assert any(label in v for v in labels), (name, label)


def test_numbers_are_centred_and_long_rows_are_tall_enough(world):
    [table] = annex_tables(world)["附件1"]
    ws = load_workbook(io.BytesIO(xlsx_bytes([table]))).worksheets[0]
    head = next(r[0].row for r in ws.iter_rows(max_row=12) if r[0].value == "序号")
    first = head + 1
    assert ws.cell(first, 1).value == 1 and ws.cell(first, 1).alignment.horizontal == "center"
    long_row = next(r for r in range(first, ws.max_row + 1) if ws.cell(r, 3).value == LONG)
    width = ws.column_dimensions["C"].width
    lines = math.ceil(display_width(LONG) / width)
    assert lines > 3
    assert ws.row_dimensions[long_row].height >= lines * LINE_HEIGHT
