"""The city's consolidation of a quarter's Annex 5: a summary with totals plus the units' written parts, as xlsx and
PDF; a large one is made by a background export job."""

from __future__ import annotations

import io
import subprocess
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organizations.enums import OrgKind
from organizations.services import organization_create
from reports.exports.consolidation import DETAIL_COLUMNS, SUMMARY_COLUMNS
from reports.models import FIGURE_FIELDS, ExportJob, QuarterlyReport
from reports.services import (
    consolidation_export_create,
    export_job_run,
    quarterly_report_open,
    quarterly_report_submit,
    quarterly_report_update,
)
from tests.budget import assert_flat_queries
from tests.reports_fixtures import YEAR, posts_with_claims
from tests.xlsx_headers import header_end

NARRATIVE = dict(practices="做法", problems="问题", next_steps="打算", filled_by="林", contact_phone="0595-1234567")
QUERY = f"?year={YEAR}&quarter=4"


def submitted(unit, **narrative) -> QuarterlyReport:
    report = quarterly_report_open(organization=unit, year=YEAR, quarter=4, by=None)
    report = quarterly_report_update(report=report, by=None, expected_version=report.version, **(NARRATIVE | narrative))
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
    submitted(second, practices="丁院做法", filled_by="陈")
    third = organization_create(
        parent=world.city, name="市教育局机关党委", kind=OrgKind.BUREAU_COMMITTEE, reports_quarterly=True
    )
    return world.unit, second, third


def table_rows(ws, columns: list[str]) -> list[list]:
    head = header_end([[c.value for c in row] for row in ws.iter_rows(max_row=10)], columns) + 1
    return [[c.value for c in row] for row in ws.iter_rows(min_row=head + 1)]


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def assert_summary_agrees(ws, reports: list[QuarterlyReport]) -> None:
    """Each unit's row carries its report's figures, and 合计 their sums."""
    by_name = {row[1]: row for row in table_rows(ws, SUMMARY_COLUMNS) if row[1]}
    first = len(SUMMARY_COLUMNS) - len(FIGURE_FIELDS)
    for report in reports:
        report.refresh_from_db()
        row = by_name[report.organization.name]
        assert row[first:] == [float(v) if name == "coverage_percent" else v
                               for name, v in zip(FIGURE_FIELDS, report.figure_values(), strict=True)]
    for i, name in enumerate(FIGURE_FIELDS):
        if name != "coverage_percent":
            assert by_name["合计"][first + i] == sum(getattr(r, name) for r in reports)


@pytest.mark.django_db
def test_it_sums_the_units_and_lists_each_units_narrative(world, login, two_units):
    """Each unit gets its row in the summary sheet (figures, totals) and in the sheet of written parts."""
    unit, second, third = two_units
    r = login(world.user("city_staff")).get(reverse("reports:consolidation_xlsx") + QUERY)
    assert r.status_code == 200
    wb = workbook(r.content)
    assert wb.sheetnames == ["汇总", "各单位情况"]
    ws = wb["汇总"]
    rows = table_rows(ws, SUMMARY_COLUMNS)
    assert [row[1] for row in rows if row[1]] == ["丙高校党委", "丁职业学院党委", "市教育局机关党委", "合计"]
    assert_summary_agrees(ws, list(QuarterlyReport.objects.filter(organization__in=[unit, second])))
    by_name = {row[1]: row for row in rows}
    posts = SUMMARY_COLUMNS.index("设岗数")
    assert by_name["丙高校党委"][posts] == 2 and by_name["丁职业学院党委"][posts] == 3 and by_name["合计"][posts] == 5
    assert by_name["市教育局机关党委"][2] == "未报送"
    assert ws.print_title_rows.startswith("$")

    written = {row[1]: dict(zip(DETAIL_COLUMNS, row, strict=False)) for row in table_rows(wb["各单位情况"], DETAIL_COLUMNS)}
    assert written["丁职业学院党委"]["主要做法和成效"] == "丁院做法" and written["丁职业学院党委"]["填报人"] == "陈"
    assert written["丙高校党委"]["下一步打算"] == "打算" and written["丙高校党委"]["联系电话"] == "0595-1234567"
    assert "市教育局机关党委" not in written


@pytest.mark.django_db
def test_a_draft_counts_neither_in_the_totals_nor_in_the_written_parts(world, login, two_units):
    unit, second, third = two_units
    draft = quarterly_report_open(organization=third, year=YEAR, quarter=4, by=None)
    quarterly_report_update(report=draft, by=None, expected_version=draft.version, **(NARRATIVE | {"practices": "未定稿"}))
    wb = workbook(login(world.user("city_staff")).get(reverse("reports:consolidation_xlsx") + QUERY).content)
    by_name = {row[1]: row for row in table_rows(wb["汇总"], SUMMARY_COLUMNS)}
    assert by_name["市教育局机关党委"][2] == "草稿" and not any(by_name["市教育局机关党委"][4:])
    assert_summary_agrees(wb["汇总"], list(QuarterlyReport.objects.filter(organization__in=[unit, second])))
    assert "未定稿" not in {cell for row in table_rows(wb["各单位情况"], DETAIL_COLUMNS) for cell in row}


@pytest.mark.django_db
def test_it_makes_one_pdf_with_the_summary_and_the_written_parts(world, login, two_units, tmp_path):
    r = login(world.user("city_staff")).get(reverse("reports:consolidation_pdf") + QUERY)
    path = tmp_path / "c.pdf"
    path.write_bytes(r.content)
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    assert "（汇总）" in text and "（各单位情况）" in text and "合计" in text
    assert "丁院做法" in text and "丁职业学院党委" in text
    assert "共2页" in text


@pytest.mark.django_db
def test_it_is_for_the_city_committee_only(world, login, two_units):
    client = login(world.user("unit_staff"))
    assert client.get(reverse("reports:consolidation_xlsx")).status_code == 403
    assert client.get(reverse("reports:consolidation_pdf")).status_code == 403
    assert not ExportJob.objects.exists()


@pytest.fixture
def in_background(monkeypatch):
    """Every consolidation, however small, goes through the export job."""
    monkeypatch.setattr("reports.views.quarterly.BACKGROUND_UNITS", {"xlsx": 1, "pdf": 1})


@pytest.mark.django_db
def test_a_large_consolidation_is_made_by_a_job_then_downloaded(
    world, login, two_units, in_background, django_capture_on_commit_callbacks
):
    unit, second, _third = two_units
    client = login(world.user("city_staff"))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(reverse("reports:consolidation_xlsx") + QUERY)
    job = ExportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("reports:export_job", args=[job.pk])
    assert job.kind == "consolidation" and job.organization == world.city
    page = client.get(r["Location"]).content.decode()
    assert "全市汇总导出（2026年第4季度）" in page
    assert f"{reverse('reports:quarterly_list')}?year={YEAR}&amp;quarter=4" in page
    poll = client.get(r["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in poll and "附件5汇总_2026年第4季度.xlsx" in poll
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    assert quote("附件5汇总_2026年第4季度.xlsx") in download["Content-Disposition"]
    wb = workbook(b"".join(download.streaming_content))
    assert wb.sheetnames == ["汇总", "各单位情况"]
    assert_summary_agrees(wb["汇总"], list(QuarterlyReport.objects.filter(organization__in=[unit, second])))
    # the quarter's page lists it for the one who asked
    listed = client.get(reverse("reports:quarterly_list") + QUERY).content.decode()
    assert "最近的汇总导出" in listed and reverse("reports:export_job", args=[job.pk]) in listed


@pytest.mark.django_db
def test_asking_again_while_the_file_is_being_made_opens_the_same_job(world, login, two_units, in_background):
    client = login(world.user("city_staff"))
    first = client.get(reverse("reports:consolidation_xlsx") + QUERY)  # the task is queued only after commit
    second = client.get(reverse("reports:consolidation_xlsx") + QUERY)
    job = ExportJob.objects.get()
    assert first["Location"] == second["Location"] == reverse("reports:export_job", args=[job.pk])
    client.get(reverse("reports:consolidation_pdf") + QUERY)  # another format is another file
    assert ExportJob.objects.count() == 2


@pytest.mark.django_db
def test_a_large_pdf_consolidation_is_made_by_a_job(world, login, two_units, in_background, django_capture_on_commit_callbacks):
    client = login(world.user("city_staff"))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(reverse("reports:consolidation_pdf") + QUERY)
    job = ExportJob.objects.get()
    assert r["Location"] == reverse("reports:export_job", args=[job.pk]) and job.params["format"] == "pdf"
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_pending_consolidation_page_polls(world, login, two_units):
    job = consolidation_export_create(requested_by=world.user("city_staff"), year=YEAR, quarter=4, fmt="xlsx")
    body = login(world.user("city_staff")).get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body and "<script>" not in body
    assert reverse("reports:export_download", args=[job.pk]) not in body


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["county_a_staff", "county_b_staff", "unit_staff", "school_b_secretary"])
def test_the_job_and_its_file_are_hidden_from_others(
    world, login, two_units, in_background, django_capture_on_commit_callbacks, outsider
):
    client = login(world.user("city_staff"))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:consolidation_xlsx") + QUERY)
    job = ExportJob.objects.get()
    client.force_login(world.user(outsider))
    assert client.get(reverse("reports:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_failed_consolidation_says_so_in_chinese(world, login, two_units):
    job = ExportJob.objects.create(
        requested_by=world.user("city_staff"), organization=world.city, kind="consolidation", params={"year": YEAR}
    )
    assert export_job_run(job_id=job.pk).state == ExportJob.State.FAILED
    body = login(world.user("city_staff")).get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert "生成失败，请稍后重试或联系管理员。" in body and 'hx-trigger="every 2s"' not in body  # the job stops polling


@pytest.mark.django_db
def test_a_job_fails_when_its_requester_no_longer_reviews(world, two_units):
    from organizations.models import RoleAssignment

    job = consolidation_export_create(requested_by=world.user("city_staff"), year=YEAR, quarter=4, fmt="xlsx")
    RoleAssignment.objects.filter(user=world.user("city_staff")).delete()
    job = export_job_run(job_id=job.pk)
    assert job.state == ExportJob.State.FAILED and not job.file


@pytest.mark.django_db
def test_the_consolidation_keeps_its_query_count_flat(world, login):
    client = login(world.user("city_staff"))
    units = []

    def grow_to(n: int) -> None:
        while len(units) < n:
            unit = organization_create(
                parent=world.city, name=f"高校{len(units)}", kind=OrgKind.UNIVERSITY_COMMITTEE, reports_quarterly=True
            )
            units.append(unit)
            QuarterlyReport.objects.create(
                organization=unit, year=YEAR, quarter=4, due_on="2026-12-20", state=QuarterlyReport.State.ACCEPTED,
                practices="做法", posts=len(units),
            )

    assert_flat_queries(client, reverse("reports:consolidation_xlsx") + QUERY, grow_to=grow_to, budget=10)


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
