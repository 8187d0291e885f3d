"""Annex 1 and 2 downloads of an organization, and long PDFs made in the background."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports.tables import ANNEX2_COLUMNS
from reports.models import ExportJob
from tests.budget import assert_flat_queries
from tests.reports_fixtures import YEAR, plan_with_items, posts_with_claims
from tests.xlsx_headers import header_end


@pytest.mark.django_db
def test_the_page_offers_both_annexes_for_the_year(world, login):
    plan_with_items(world.school_a, 2)
    r = login(world.user("school_a_secretary")).get(reverse("reports:annexes", args=[world.school_a.pk]) + f"?year={YEAR}")
    body = r.content.decode()
    assert "附件1" in body and "附件2" in body and "2 项目标任务" in body
    assert reverse("reports:annex1_xlsx", args=[world.school_a.pk]) in body


@pytest.mark.django_db
def test_the_organization_page_links_to_the_reports(world, login):
    r = login(world.user("school_a_secretary")).get(reverse("organizations:detail", args=[world.school_a.pk]))
    assert reverse("reports:annexes", args=[world.school_a.pk]) in r.content.decode()


@pytest.mark.django_db
def test_annex2_xlsx_download_carries_the_subtree_rows(world, login):
    posts_with_claims(world.branch_a, 3)
    r = login(world.user("school_a_secretary")).get(
        reverse("reports:annex2_xlsx", args=[world.school_a.pk]) + f"?year={YEAR}"
    )
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    head = header_end(values, ANNEX2_COLUMNS)
    rows = {row[1]: row for row in values[head + 1 :] if isinstance(row[0], int)}  # the signature block follows
    # every member of the subtree has a line: the three on posts, and the member on no post yet
    assert set(rows) == {"党员0001", "党员0002", "党员0003", "甲成员"}
    post = ANNEX2_COLUMNS.index("岗位名称")
    assert rows["甲成员"][post] == "尚未认岗" and rows["党员0001"][post] not in ("", None, "尚未认岗")


@pytest.mark.django_db
def test_a_long_pdf_is_made_in_the_background_then_downloaded(world, login, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("reports.views.annexes.BACKGROUND_PAGES", 0)
    posts_with_claims(world.branch_a, 2)
    client = login(world.user("school_a_secretary"))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(reverse("reports:annex2_pdf", args=[world.school_a.pk]) + f"?year={YEAR}")
    job = ExportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("reports:export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    poll = client.get(r["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in poll and reverse("reports:export_download", args=[job.pk]) in poll
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # another secretary of the same school may not take someone else's export
    client.force_login(world.user("branch_a_secretary"))
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_pending_job_page_polls(world, login):
    job = ExportJob.objects.create(
        requested_by=world.user("school_a_secretary"), organization=world.school_a, kind="annex2", params={"year": YEAR}
    )
    body = login(world.user("school_a_secretary")).get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body


@pytest.mark.django_db
def test_the_annexes_page_keeps_its_query_count_flat(world, login):
    client = login(world.user("school_a_secretary"))

    def grow_to(n: int) -> None:
        plan_with_items(world.school_a, n)
        posts_with_claims(world.branch_a, n // 10)

    assert_flat_queries(
        client, reverse("reports:annexes", args=[world.school_a.pk]) + f"?year={YEAR}", grow_to=grow_to, budget=15
    )


@pytest.mark.django_db
def test_a_huge_xlsx_is_made_in_the_background(world, login, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("reports.views.annexes.XLSX_BACKGROUND_ROWS", 1)
    posts_with_claims(world.branch_a, 2)
    client = login(world.user("school_a_secretary"))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(reverse("reports:annex2_xlsx", args=[world.school_a.pk]) + f"?year={YEAR}")
    job = ExportJob.objects.get()
    assert r.status_code == 302 and job.params == {"year": YEAR, "format": "xlsx", "unclaimed": True}
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws["A1"].value == "附件2" and ws["A2"].value.endswith("党员亮岗履职一览表")


@pytest.mark.django_db
def test_a_failed_export_records_the_error(world):
    from reports.services import export_job_run

    job = ExportJob.objects.create(
        requested_by=world.user("school_a_secretary"), organization=world.school_a, kind="annex2", params={}
    )
    job = export_job_run(job_id=job.pk)
    assert job.state == ExportJob.State.FAILED and "year" in job.error
    assert export_job_run(job_id=job.pk).state == ExportJob.State.FAILED  # a finished job is left alone


@pytest.mark.django_db
def test_the_annexes_page_lists_only_its_own_exports(world, login):
    consolidation = ExportJob.objects.create(
        requested_by=world.user("city_staff"), organization=world.city, kind="consolidation",
        params={"year": YEAR, "quarter": 4, "format": "xlsx"},
    )
    annex = ExportJob.objects.create(
        requested_by=world.user("city_staff"), organization=world.city, kind="annex2", params={"year": YEAR}
    )
    body = login(world.user("city_staff")).get(reverse("reports:annexes", args=[world.city.pk])).content.decode()
    assert body.count(reverse("reports:export_job", args=[annex.pk])) == 1
    assert reverse("reports:export_job", args=[consolidation.pk]) not in body


@pytest.mark.django_db
def test_a_branch_annex2_lists_its_members_on_posts_set_by_the_school(world, login):
    posts_with_claims(world.school_a, 2, branch=world.branch_a)  # posts of 甲校党委, held by members of its branch
    r = login(world.user("branch_a_secretary")).get(
        reverse("reports:annex2_xlsx", args=[world.branch_a.pk]) + f"?year={YEAR}"
    )
    values = [[c.value for c in row] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows()]
    head = header_end(values, ANNEX2_COLUMNS)
    rows = {row[1]: row for row in values[head + 1 :] if isinstance(row[0], int)}  # the signature block follows
    post, pledge = ANNEX2_COLUMNS.index("岗位名称"), ANNEX2_COLUMNS.index("履岗承诺")
    assert set(rows) == {"党员0001", "党员0002", "甲成员"}
    assert rows["党员0001"][post] == "岗位0001" and rows["党员0001"][pledge] == "承诺内容1"
    assert rows["甲成员"][post] == "尚未认岗"
