"""In a browser: a unit fills and submits Q4's Annex 5, the city returns it with a reason, the unit resubmits,
the city accepts and downloads the consolidation; the dashboard shows each change."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import sign_in
from tests.world import PASSWORD

pytestmark = pytest.mark.browser
Q4 = "?year=2026&quarter=4"


def new_page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the 报送 button asks for confirmation
    return page


def status_row(page) -> str:
    page.goto(page.base_url + "/reports/" + Q4)
    return page.locator("#status-table tbody tr", has_text="丙高校党委").inner_text()


def test_unit_submits_city_returns_unit_resubmits_city_accepts(chromium, live_server, browser_world, tmp_path):
    unit = new_page(chromium, live_server)
    city = new_page(chromium, live_server)
    sign_in(unit, "unit_staff", PASSWORD)
    sign_in(city, "city_staff", PASSWORD)
    assert "未报送" in status_row(city)

    # the unit opens and fills in the fourth quarter's report, then submits it
    unit.goto(unit.base_url + "/reports/quarterly/" + Q4)
    unit.get_by_role("button", name="填报2026年第四季度季报表").click()
    unit.get_by_label("主要做法和成效").fill("全面推行“六步工作法”，党员亮岗承诺全部公开。")
    unit.get_by_label("存在问题").fill("个别支部承诺不够具体。")
    unit.get_by_label("下一步打算").fill("年底前推广面达到100%。")
    unit.get_by_label("填报人").fill("林雅婷")
    unit.get_by_label("联系电话").fill("0595-22919000")
    unit.get_by_role("button", name="保存").click()
    unit.get_by_text("已保存").first.wait_for()
    unit.get_by_role("button", name="报送").click()
    unit.get_by_text("已报送市委教育工委").wait_for()
    report_url = unit.url
    assert "已报送" in status_row(city)

    # the city returns it with a reason
    city.goto(report_url)
    city.get_by_role("button", name="退回修改").click()
    city.get_by_text("请填写退回理由").first.wait_for()
    city.get_by_label("退回理由").fill("推广面数据与上季度不衔接，请核实。")
    city.get_by_role("button", name="退回修改").click()
    city.get_by_text("已退回修改").first.wait_for()
    assert "已退回" in status_row(city)

    # the unit sees the reason, revises and resubmits
    unit.goto(report_url)
    assert unit.locator("#events").get_by_text("推广面数据与上季度不衔接，请核实。").is_visible()
    unit.get_by_label("主要做法和成效").fill("全面推行“六步工作法”；推广面数据已核实。")
    unit.get_by_role("button", name="保存").click()
    unit.get_by_text("已保存").first.wait_for()
    unit.get_by_role("button", name="报送").click()
    unit.get_by_text("已报送市委教育工委").wait_for()

    # the city accepts and downloads the consolidation
    city.goto(report_url)
    city.get_by_role("button", name="接收").click()
    city.get_by_text("已接收").first.wait_for()
    assert "已接收" in status_row(city)
    city.goto(city.base_url + "/reports/quarterly/" + Q4)
    with city.expect_download() as info:
        city.get_by_role("link", name="下载全市汇总（Excel）").click()
    path = tmp_path / "consolidation.xlsx"
    info.value.save_as(path)
    wb = load_workbook(io.BytesIO(path.read_bytes()))
    assert wb.sheetnames == ["汇总", "各单位情况"]
    assert any("丙高校党委" in row for row in wb["各单位情况"].iter_rows(values_only=True))
    city.goto(city.base_url + "/reports/" + Q4)
    city.locator("[data-chart=status] svg").first.wait_for()
    city.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    unit.context.close()
    city.context.close()
