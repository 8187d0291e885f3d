"""The city's consolidation of a quarter's Annex 5: a summary with totals plus one sheet per unit, and one PDF."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organizations.enums import OrgKind
from organizations.services import organization_create
from reports.exports.tables import SUMMARY_COLUMNS
from reports.models import QuarterlyReport
from reports.services import quarterly_report_open, quarterly_report_submit, quarterly_report_update
from tests.budget import assert_flat_queries
from tests.reports_fixtures import YEAR, posts_with_claims

NARRATIVE = dict(practices="做法", problems="问题", next_steps="打算", filled_by="林", contact_phone="0595-1234567")


def submitted(unit) -> QuarterlyReport:
    report = quarterly_report_open(organization=unit, year=YEAR, quarter=4, by=None)
    report = quarterly_report_update(report=report, by=None, expected_version=report.version, **NARRATIVE)
    return quarterly_report_submit(report=report, by=None, expected_version=report.version)


@pytest.fixture
def two_units(world):
    second = organization_create(
        parent=world.city, name="丁职业学院党委", kind=OrgKind.UNIVERSITY_COMMITTEE, reports_quarterly=True
    )
    branch = organization_create(parent=second, name="丁职业学院支部", kind=OrgKind.BRANCH)
    posts_with_claims(world.unit, 2, branch=world.unit_branch)
    posts_with_claims(second, 3, branch=branch)
    submitted(world.unit)
    submitted(second)
    third = organization_create(
        parent=world.city, name="市教育局机关党委", kind=OrgKind.BUREAU_COMMITTEE, reports_quarterly=True
    )
    return world.unit, second, third


@pytest.mark.django_db
def test_it_sums_the_units_and_gives_each_a_sheet(world, login, two_units):
    r = login(world.user("city_staff")).get(reverse("reports:consolidation_xlsx") + f"?year={YEAR}&quarter=4")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["汇总", "丙高校党委", "丁职业学院党委"]
    ws = wb["汇总"]
    head = next(row[0].row for row in ws.iter_rows(max_row=10) if [c.value for c in row] == SUMMARY_COLUMNS)
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=head + 1)]
    names = [row[1] for row in rows if row[1]]
    assert names[:3] == ["丙高校党委", "丁职业学院党委", "市教育局机关党委"] and names[-1] == "合计"
    posts = SUMMARY_COLUMNS.index("设岗数")
    by_name = {row[1]: row for row in rows}
    assert by_name["丙高校党委"][posts] == 2 and by_name["丁职业学院党委"][posts] == 3
    assert by_name["合计"][posts] == 5
    assert by_name["市教育局机关党委"][2] == "未报送"
    assert ws.print_title_rows == f"${head}:${head}"


@pytest.mark.django_db
def test_it_makes_one_pdf_with_the_summary_and_every_unit(world, login, two_units, tmp_path):
    r = login(world.user("city_staff")).get(reverse("reports:consolidation_pdf") + f"?year={YEAR}&quarter=4")
    path = tmp_path / "c.pdf"
    path.write_bytes(r.content)
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    assert "（汇总）" in text and "丁职业学院党委" in text and "合计" in text
    assert text.count("主要做法和成效") == 2
    assert "共3页" in text


@pytest.mark.django_db
def test_it_is_for_the_city_committee_only(world, login, two_units):
    r = login(world.user("unit_staff")).get(reverse("reports:consolidation_xlsx"))
    assert r.status_code == 403


@pytest.mark.django_db
def test_the_quarter_list_keeps_its_query_count_flat(world, login):
    client = login(world.user("city_staff"))
    units = []

    def grow_to(n: int) -> None:
        while len(units) < n:
            unit = organization_create(
                parent=world.city, name=f"高校{len(units)}", kind=OrgKind.UNIVERSITY_COMMITTEE, reports_quarterly=True
            )
            units.append(unit)
            QuarterlyReport.objects.create(organization=unit, year=YEAR, quarter=4, due_on="2026-12-20")

    assert_flat_queries(
        client, reverse("reports:quarterly_list") + f"?year={YEAR}&quarter=4", grow_to=grow_to, budget=12
    )
