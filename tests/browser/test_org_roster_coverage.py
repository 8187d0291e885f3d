"""The organization tree in the browser: a branch secretary imports a roster (three bad rows refused, nothing written, then the fixed file);
committee staff look at coverage and typical units for the city and for one county."""

import datetime

import pytest
from openpyxl import load_workbook

from organizations import roster, services
from organizations.models import Member
from tests.browser.conftest import sign_in
from tests.organizations_fixtures import org_extras
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def test_branch_secretary_imports_a_roster_after_fixing_three_bad_rows(page, browser_world, tmp_path):
    w = browser_world
    sign_in(page, "branch_a_secretary", PASSWORD)
    page.goto(page.base_url + f"/org/{w.branch_a.pk}/")
    page.get_by_role("link", name="导入名册").click()
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载本支部名册（含示例新成员）").click()
    good = tmp_path / "roster.xlsx"
    dl.value.save_as(good)

    wb = load_workbook(good)
    ws = wb.active
    col = {h: i + 1 for i, h in enumerate(roster.HEADERS)}
    ws.cell(row=3, column=col["性别"], value="未知")
    ws.cell(row=4, column=col["政治面貌"], value="党员")
    ws.cell(row=5, column=col["入党日期"], value="去年七月")
    bad = tmp_path / "roster-bad.xlsx"
    wb.save(bad)

    before = Member.objects.count()
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_role("button", name="上传并检查").click()
    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    text = errors.inner_text()
    for row, column in [("第 3 行", "性别"), ("第 4 行", "政治面貌"), ("第 5 行", "入党日期")]:
        assert row in text and column in text
    assert "没有写入任何数据" in page.get_by_test_id("import-errors-summary").inner_text()
    assert Member.objects.count() == before
    page.screenshot(path=str(tmp_path / "import-errors.png"), full_page=True)

    page.get_by_role("link", name="重新上传").click()
    page.set_input_files("input[name=file]", str(good))
    page.get_by_role("button", name="上传并检查").click()
    assert "新增 5 人" in page.get_by_test_id("import-preview").inner_text()
    assert Member.objects.count() == before
    page.get_by_role("button", name="确认导入").click()
    page.get_by_test_id("import-applied").wait_for()
    assert Member.objects.count() == before + 5
    page.get_by_role("link", name="查看名册").click()
    assert page.get_by_role("heading", name="党员名册").is_visible()


def test_committee_staff_see_coverage_and_typical_units_for_the_city_and_a_county(page, browser_world, tmp_path):
    w = browser_world
    org_extras(w)
    services.organization_launch(organization=w.school_a, launched_on=datetime.date(2026, 3, 1))
    services.demonstration_create(designated_by=w.city, organization=w.school_a, kind="comprehensive", year=2026)
    sign_in(page, "city_staff", PASSWORD)
    page.get_by_role("link", name="推广面").first.click()
    assert page.get_by_test_id("coverage-percent").inner_text() == "20.0%"
    page.select_option("select[name=county]", label="甲县委教育工委")
    page.get_by_role("button", name="筛选").click()
    assert page.get_by_test_id("coverage-percent").inner_text() == "50.0%"
    assert page.get_by_role("link", name="甲校第一支部").is_visible()
    assert page.get_by_text("乙校第一支部").count() == 0
    page.screenshot(path=str(tmp_path / "coverage-county.png"), full_page=True)

    page.get_by_role("link", name="典型示范").first.click()
    assert page.get_by_role("link", name="甲校党委").is_visible()
    assert page.get_by_role("link", name="乙校党委").is_visible()
    page.goto(page.base_url + f"/org/{w.county_b.pk}/demonstrations/")
    assert page.get_by_role("link", name="乙校党委").is_visible()
    assert page.get_by_text("单项典型：公开承诺").is_visible()
    assert page.get_by_role("link", name="甲校党委").count() == 0
