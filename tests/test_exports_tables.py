"""导出Excel beside the lists a committee keeps: the member list, coverage and a notice's read receipts. Each file is
read back: the header row, a known row, as many rows as the page lists (every page of it), its scope and filters;
a sibling's is 404; the queries do not grow with the rows."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organizations import selectors as org_selectors
from organizations.enums import OrgKind
from organizations.models import Member
from organizations.services import organization_create
from posts import services as post_services
from posts.models import NoticeReceipt
from tests.budget import assert_flat_queries, count_queries
from tests.world import make_member

pytestmark = pytest.mark.django_db


def sheets(response) -> dict:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].lower().startswith("attachment; filename*=utf-8''")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: ws for ws in wb.worksheets}


def rows_of(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def header(ws) -> list:
    return [c.value for c in ws[1]]


def assert_list_layout(ws) -> None:
    """Header row bold and frozen; no column left at the default width."""
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert all(ws.column_dimensions[c.column_letter].width >= 6 for c in ws[1])


def many_members(branch, n: int, prefix: str) -> None:
    have = Member.objects.filter(organization=branch, name__startswith=prefix).count()
    for i in range(have, n):
        make_member(branch, f"{prefix}{i:03d}", phone=f"1385555{i:04d}", job="语文教师")


# ---- 党员名册 ----------------------------------------------------------------------------------------------------


def test_the_member_list_comes_out_with_every_page_and_the_page_filters(world, login):
    many_members(world.branch_a, 30, "名册")  # more than one page of the list
    Member.objects.filter(name="名册007").update(is_reserve_cadre=True, job='=HYPERLINK("http://evil.example")')
    make_member(world.branch_a, "离册者", phone="13855550999", is_active=False)
    c = login(world.user("school_a_secretary"))
    page_count = org_selectors.members_of(world.user("school_a_secretary"), world.school_a).count()

    ws = sheets(c.get(reverse("organizations:members_xlsx", args=[world.school_a.pk])))["党员名册"]

    assert header(ws) == [
        "姓名",
        "性别",
        "政治面貌",
        "现任职务",
        "所属方面",
        "所在支部",
        "后备干部",
        "状态",
        "联系电话",
    ]
    assert_list_layout(ws)
    rows = rows_of(ws)
    assert len(rows) == page_count > 25  # every page, not the first one
    known = next(r for r in rows if r[0] == "名册007")
    assert known[3] == '=HYPERLINK("http://evil.example")' and known[5] == "甲校第一支部"
    assert known[6] == "后备干部" and known[7] == "在册" and known[8] == "13855550007"
    assert "离册者" not in [r[0] for r in rows]

    filtered = c.get(reverse("organizations:members_xlsx", args=[world.school_a.pk]) + "?reserve=1&inactive=1&q=")
    assert [r[0] for r in rows_of(sheets(filtered)["党员名册"])] == ["名册007"]
    with_left = c.get(reverse("organizations:members_xlsx", args=[world.school_a.pk]) + "?inactive=1&q=离册")
    assert rows_of(sheets(with_left)["党员名册"])[0][7] == "离册"


def test_the_member_list_shows_phones_only_to_whom_the_page_shows_them(world, login):
    many_members(world.branch_a, 2, "名册")
    ws = sheets(
        login(world.user("county_a_staff")).get(reverse("organizations:members_xlsx", args=[world.school_a.pk]))
    )
    assert "联系电话" not in header(ws["党员名册"])
    assert not any("1385555" in str(v) for r in rows_of(ws["党员名册"]) for v in r)


def test_the_member_list_page_links_to_its_export_with_its_filters(world, login):
    body = (
        login(world.user("school_a_secretary"))
        .get(reverse("organizations:members", args=[world.school_a.pk]) + "?q=名&status=full&reserve=1")
        .content.decode()
    )
    url = reverse("organizations:members_xlsx", args=[world.school_a.pk])
    assert f'href="{url}?q=%E5%90%8D&amp;status=full&amp;reserve=1"' in body and "导出Excel" in body


def test_a_sibling_member_list_is_404(world, login):
    r = login(world.user("school_a_secretary")).get(reverse("organizations:members_xlsx", args=[world.school_b.pk]))
    assert r.status_code == 404


def test_the_member_export_keeps_its_query_count_flat(world, login):
    c = login(world.user("school_a_secretary"))
    url = reverse("organizations:members_xlsx", args=[world.school_a.pk])
    assert_flat_queries(c, url, grow_to=lambda n: many_members(world.branch_a, n, "名册"), budget=10)


# ---- 推广面 ------------------------------------------------------------------------------------------------------


def grassroots(county, n: int) -> None:
    school = organization_create(parent=county, name=f"{county.name}新校", kind=OrgKind.SCHOOL_COMMITTEE)
    for i in range(n):
        organization_create(parent=school, name=f"{county.name}新校第{i}支部", kind=OrgKind.BRANCH, school_name="新校")


def test_coverage_comes_out_as_on_its_page_for_the_county_chosen(world, login):
    grassroots(world.county_a, 3)
    world.school_a.__class__.objects.filter(pk=world.school_a.pk).update(launched_on=datetime.date(2026, 3, 1))
    c = login(world.user("city_staff"))

    books = sheets(c.get(reverse("organizations:coverage_xlsx", args=[world.city.pk])))
    units, missing = books["各单位推广面"], books["尚未推行的基层党组织"]
    assert header(units) == ["单位", "基层党组织", "已推行", "推广面（%）", "尚未推行"]
    assert header(missing) == ["党组织", "所属学校/单位", "组织类别"]
    assert_list_layout(units)
    page_rows = org_selectors.coverage_rows(world.city)
    assert len(rows_of(units)) == len(page_rows)
    county_a = next(r for r in rows_of(units) if r[0] == "甲县委教育工委")
    row = next(r for r in page_rows if r["org"].pk == world.county_a.pk)
    assert county_a == [row["org"].name, row["total"], row["launched"], row["percent"], row["missing"]]
    assert isinstance(county_a[1], int) and isinstance(county_a[3], float)  # numbers stay numbers
    assert len(rows_of(missing)) == org_selectors.not_launched(world.city).count()

    chosen = sheets(
        c.get(reverse("organizations:coverage_xlsx", args=[world.city.pk]) + f"?county={world.county_a.pk}")
    )
    assert [r[0] for r in rows_of(chosen["各单位推广面"])] == ["甲县委教育工委"]
    names = [r[0] for r in rows_of(chosen["尚未推行的基层党组织"])]
    assert "甲县委教育工委新校第0支部" in names and not any(n.startswith("乙") for n in names)
    assert ["甲县委教育工委新校第1支部", "新校", "党支部"] in rows_of(chosen["尚未推行的基层党组织"])


def test_the_coverage_page_links_to_its_export(world, login):
    c = login(world.user("city_staff"))
    body = c.get(reverse("organizations:coverage", args=[world.city.pk]) + f"?county={world.county_a.pk}").content
    url = reverse("organizations:coverage_xlsx", args=[world.city.pk])
    assert f'href="{url}?county={world.county_a.pk}"' in body.decode()


def test_a_sibling_coverage_is_404(world, login):
    c = login(world.user("county_a_staff"))
    assert c.get(reverse("organizations:coverage_xlsx", args=[world.county_b.pk])).status_code == 404
    city = reverse("organizations:coverage_xlsx", args=[world.county_a.pk]) + f"?county={world.school_b.pk}"
    assert c.get(city).status_code == 404


def test_the_coverage_export_keeps_its_query_count_flat(world, login):
    c = login(world.user("city_staff"))
    made = []

    def grow_to(n):
        while len(made) < n:
            made.append(organization_create(parent=world.school_a, name=f"覆盖支部{len(made)}", kind=OrgKind.BRANCH))

    assert_flat_queries(c, reverse("organizations:coverage_xlsx", args=[world.city.pk]), grow_to=grow_to, budget=10)


# ---- 阅读回执 ----------------------------------------------------------------------------------------------------


def notice_with_receipts(world, n: int):
    many_members(world.branch_a, n, "回执")
    notice = post_services.notice_issue(
        organization=world.branch_a, by=world.user("branch_a_secretary"), title="岗位履职情况通报", body="通报内容"
    )
    return notice


def test_the_receipts_come_out_as_on_the_notice_page(world, login):
    notice = notice_with_receipts(world, 4)
    read = NoticeReceipt.objects.filter(notice=notice, member__name="回执002").get()
    when = timezone.make_aware(datetime.datetime(2026, 3, 16, 9, 30))
    NoticeReceipt.objects.filter(pk=read.pk).update(read_at=when)
    c = login(world.user("branch_a_secretary"))

    ws = sheets(c.get(reverse("posts:notice_receipts_xlsx", args=[notice.pk])))["阅读回执"]

    assert header(ws) == ["姓名", "所在支部", "阅读情况", "阅读时间"]
    assert_list_layout(ws)
    rows = rows_of(ws)
    assert len(rows) == notice.receipts.count()
    page_order = notice.receipts.order_by("read_at", "member__name").values_list("member__name", flat=True)
    assert [r[0] for r in rows] == list(page_order)  # in the page's order
    known = rows.index(["回执002", "甲校第一支部", "已读", datetime.datetime(2026, 3, 16, 9, 30)])
    assert ws.cell(known + 2, 4).number_format == 'yyyy"年"m"月"d"日" hh:mm'  # a date-time, shown in Chinese
    assert ["回执000", "甲校第一支部", "未读", None] in rows
    page = c.get(notice.get_absolute_url()).content.decode()
    assert reverse("posts:notice_receipts_xlsx", args=[notice.pk]) in page


def test_receipts_are_404_to_a_sibling_and_to_a_member(world, login):
    notice = notice_with_receipts(world, 1)
    url = reverse("posts:notice_receipts_xlsx", args=[notice.pk])
    assert login(world.user("school_b_secretary")).get(url).status_code == 404
    assert login(world.user("member_a")).get(url).status_code == 404
    assert login(world.user("school_a_secretary")).get(url).status_code == 200


def test_the_receipts_export_keeps_its_query_count_flat(world, login):
    c = login(world.user("branch_a_secretary"))
    notice = notice_with_receipts(world, 0)

    def grow_to(n):
        many_members(world.branch_a, n, "回执")
        for m in Member.objects.filter(organization=world.branch_a).exclude(post_notice_receipts__notice=notice):
            NoticeReceipt.objects.create(notice=notice, member=m)

    n = assert_flat_queries(c, reverse("posts:notice_receipts_xlsx", args=[notice.pk]), grow_to=grow_to, budget=10)
    assert n == count_queries(c, reverse("posts:notice_receipts_xlsx", args=[notice.pk]))[0]


def test_a_member_list_too_long_for_the_request_is_made_in_the_background(
    world, login, monkeypatch, django_capture_on_commit_callbacks
):
    from organizations import exports
    from reports.models import ExportJob

    monkeypatch.setattr(exports, "MEMBERS_BACKGROUND_ROWS", 5)
    many_members(world.branch_a, 8, "名册")
    c = login(world.user("city_staff"))

    with django_capture_on_commit_callbacks(execute=True):
        r = c.get(reverse("organizations:members_xlsx", args=[world.city.pk]) + "?q=名册")

    job = ExportJob.objects.get(kind="members")
    assert r.status_code == 302 and r["Location"] == reverse("reports:export_job", args=[job.pk])
    assert job.state == ExportJob.State.DONE and job.params["q"] == "名册"  # the worker ran in process
    ws = sheets(c.get(reverse("reports:export_download", args=[job.pk])))["党员名册"]
    assert sorted(r[0] for r in rows_of(ws)) == [f"名册{i:03d}" for i in range(8)]
    assert login(world.user("county_b_staff")).get(reverse("reports:export_download", args=[job.pk])).status_code == 404
