"""Two-level headers and merged person cells, read back from the files: 考评情况 over the four ratings of Annex 2 and
the Annex 5 figures under their headings (merged in the workbook, colspan/rowspan in the PDF, every label whole on one
line); a member's posts under one 序号 with the person's cells merged; a county's Annex 2 naming the school of each
branch and leaving out members on no post unless asked; its queries not growing with its rows."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.enums import Grade, PeriodKind
from posts.models import Post, PostClaim
from reports.exports import tables
from reports.exports.paging import estimate_pages
from reports.exports.pdf import html_for, pdf_bytes
from reports.exports.table import Table
from reports.exports.xlsx import xlsx_bytes
from reports.services import quarterly_report_open
from tests.budget import assert_flat_queries
from tests.reports_fixtures import YEAR, posts_with_claims, rate
from tests.xlsx_headers import header_end

ROOT = Path(__file__).resolve().parent.parent
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def two_posts(world):
    """Three members of branch A on a post each; the first holds a second post and is rated in two periods."""
    claims = posts_with_claims(world.school_a, 3, branch=world.branch_a)
    member = claims[0].member
    second = Post.objects.create(organization=world.branch_a, year=YEAR, name="第二岗位", duties="第二岗位职责")
    PostClaim.objects.create(post=second, member=member)
    rate(world.school_a, member, kind=PeriodKind.Q1, grade=Grade.EXCELLENT)
    rate(world.school_a, member, kind=PeriodKind.YEAR)
    return member


@pytest.mark.django_db
def test_the_annex2_workbook_groups_the_ratings_and_merges_a_persons_posts(world):
    member = two_posts(world)
    ws = load_workbook(io.BytesIO(xlsx_bytes([tables.annex2(world.school_a, YEAR)]))).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    head = header_end(values, tables.ANNEX2_COLUMNS) + 1  # 1-based row of the header's second line
    top = head - 1
    assert ws.cell(top, 11).value == "考评情况" and f"K{top}:N{top}" in merged(ws)
    assert [ws.cell(head, c).value for c in range(11, 15)] == ["一季一评", "半年初评", "三季一评", "年终总评"]
    for col in "ABCDEFGHIJO":  # the other headers take both lines
        assert f"{col}{top}:{col}{head}" in merged(ws), col
    assert ws.print_title_rows == f"${top}:${head}" or ws.print_title_rows == f"{top}:{head}"
    rows = [r for r in range(head + 1, ws.max_row + 1) if ws.cell(r, 7).value in ("岗位0001", "第二岗位")]
    first, second = sorted(rows)
    assert second == first + 1 and ws.cell(first, 2).value == member.name
    assert ws.cell(first, 1).value == 1 and ws.cell(first + 2, 1).value == 2  # 序号 counts people, not posts
    for col in "ABCDEFKLMN":  # the person's cells and grades, merged down across both posts
        assert f"{col}{first}:{col}{second}" in merged(ws), col
    for col in "GHIJO":  # the post's own cells are not
        assert not any(r.startswith(f"{col}{first}:") for r in merged(ws)), col
    assert ws.cell(first, 11).value == "优秀" and ws.cell(first, 14).value == "良好"
    assert ws.cell(second, 7).value == "第二岗位" and ws.cell(second, 8).value == "第二岗位职责"


@pytest.mark.django_db
def test_the_annex5_workbook_groups_its_figures(world):
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=world.user("unit_staff"))
    table = tables.annex5(report)
    ws = load_workbook(io.BytesIO(xlsx_bytes([table]))).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    head = header_end(values, tables.ANNEX5_COLUMNS) + 1
    top = head - 1
    assert f"A{top}:A{head}" in merged(ws)  # 季度 over both lines
    column = 2
    for group, fields in tables.FIGURE_GROUPS:
        assert ws.cell(top, column).value == group
        if len(fields) > 1:
            assert f"{ws.cell(top, column).coordinate}:{ws.cell(top, column + len(fields) - 1).coordinate}" in merged(ws)
        assert [ws.cell(head, column + i).value for i in range(len(fields))] == [label for _n, label in fields]
        column += len(fields)
    assert [g for g, _f in tables.FIGURE_GROUPS] == ["推广面", "典型示范", "联系点", "亮岗承诺", "评岗", "奖惩"]
    assert ws.cell(head + 1, 1).value == f"{YEAR}年第四季度"


@needs_poppler
@pytest.mark.django_db
def test_every_group_label_and_header_is_whole_on_one_line_in_the_pdfs(world, tmp_path):
    member = two_posts(world)
    text = pdf_text(pdf_bytes([tables.annex2(world.school_a, YEAR)]), tmp_path)
    for label in ["考评情况", *tables.ANNEX2_COLUMNS[:4], "一季一评", "半年初评", "三季一评", "年终总评"]:
        assert label in text, label
    assert text.count(member.name) == 1  # one cell across both posts
    assert "岗位0001" in text and "第二岗位" in text
    assert text.index("考评情况") < text.index("一季一评")  # the group above its columns
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=world.user("unit_staff"))
    text = pdf_text(pdf_bytes([tables.annex5(report)]), tmp_path)
    for group, fields in tables.FIGURE_GROUPS:
        assert group in text, group
        for _name, label in fields:
            assert label in text, label


def test_the_pdf_header_spans_and_person_rowspans():
    table = _demo_table(4)
    html = html_for([table])
    assert '<th colspan="4">考评情况</th>' in html.replace(' class="nowrap"', "")
    assert html.count('rowspan="2"') >= len(tables.ANNEX2_COLUMNS) - 4  # the header's own, and the people's
    assert '<tbody class="person">' in html  # a person's rows kept together


DUTIES = "组织集体备课，指导青年教师"
PLEDGES = ["每学期开设校级公开课", "与学困生结对帮扶", "1. 指导青年教师备课上课；2. 参与校园安全巡查"]  # as the demo's


def _demo_table(n: int) -> Table:
    """n rows as the demo's Annex 2 has them: every fifth member holds two posts."""
    rows, person = [], 0
    for i in range(n):
        if i % 5 != 1:
            person += 1
        rows.append([person, f"林{person:03d}", "女", "中共党员", "语文教师", "第一党支部（语文组）", f"教学示范岗{i}",
                     DUTIES, PLEDGES[i % 3], datetime.date(2026, 3, 16), "良好", "优秀", "", "", ""])  # fmt: skip
    return Table(
        title=tables.ANNEX2_TITLE, unit="测试学校党委", date=datetime.date(2026, 3, 16), columns=tables.ANNEX2_COLUMNS,
        widths=tables.ANNEX2_WIDTHS, rows=rows, row_count=n, preface=[("年度", "2026年")], annex="附件2",
        long_columns=tables.ANNEX2_LONG, groups=tables.ANNEX2_GROUPS, person_columns=tables.ANNEX2_PERSON,
        layout=tables.DENSE,
    )  # fmt: skip


def test_annex2_fits_at_least_14_demo_rows_a_page_and_the_estimate_holds():
    from weasyprint import HTML

    rows = 56
    pages = len(HTML(string=html_for([_demo_table(rows)]), base_url=str(ROOT)).render().pages)
    assert rows / pages >= 14, pages
    estimate = estimate_pages(_demo_table(rows), limit=10**6)
    assert abs(estimate - pages) <= max(1, pages // 10), (estimate, pages)


@pytest.mark.django_db
def test_a_county_annex2_names_the_school_and_leaves_out_members_on_no_post(world, login):
    posts_with_claims(world.school_a, 2, branch=world.branch_a)  # 甲成员 of branch A holds no post
    client = login(world.user("county_a_staff"))
    page = client.get(reverse("reports:annexes", args=[world.county_a.pk]) + f"?year={YEAR}").content.decode()
    assert "附件2中尚未认岗的党员" in page and '<option value="0" selected>' in page and "默认不列尚未认岗" in page
    assert f"?year={YEAR}&amp;unclaimed=0" in page  # the downloads carry the choice

    def names(query: str) -> dict:
        r = client.get(reverse("reports:annex2_xlsx", args=[world.county_a.pk]) + f"?year={YEAR}{query}")
        values = [[c.value for c in row] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows()]
        head = header_end(values, tables.ANNEX2_COLUMNS)
        return {row[1]: row for row in values[head + 1 :] if isinstance(row[0], int)}

    default = names("")
    assert set(default) == {"党员0001", "党员0002"}
    assert default["党员0001"][5] == "甲校 · 甲校第一支部"
    listed = names("&unclaimed=1")
    assert listed["甲成员"][6] == tables.NO_POST and listed["甲成员"][5] == "甲校 · 甲校第一支部"
    page = client.get(reverse("reports:annexes", args=[world.county_a.pk]) + f"?year={YEAR}&unclaimed=1").content.decode()
    assert '<option value="1" selected>' in page and "3 行" in page
    # a school's own table lists them by default, its branches by their own names
    mine = login(world.user("school_a_secretary"))
    r = mine.get(reverse("reports:annex2_xlsx", args=[world.school_a.pk]) + f"?year={YEAR}")
    values = [[c.value for c in row] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows()]
    rows = {row[1]: row for row in values[header_end(values, tables.ANNEX2_COLUMNS) + 1 :] if isinstance(row[0], int)}
    assert rows["甲成员"][6] == tables.NO_POST and rows["党员0001"][5] == "甲校第一支部"


@pytest.mark.django_db
def test_the_annex2_export_reads_in_the_same_queries_whatever_its_rows(world, login):
    client = login(world.user("county_a_staff"))

    def grow_to(n: int) -> None:
        claims = posts_with_claims(world.school_a, n, branch=world.branch_a)
        for claim in claims[::3]:
            rate(world.school_a, claim.member)

    url = reverse("reports:annex2_xlsx", args=[world.county_a.pk]) + f"?year={YEAR}&unclaimed=1"
    assert_flat_queries(client, url, grow_to=grow_to, budget=15, small=5, large=40)
