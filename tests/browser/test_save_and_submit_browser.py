"""In Chromium: a returned commitment and a returned Annex 5 are fixed in the form and submitted with 提交审核 / 报送
without pressing 保存 first; after a reload the new text is there and submitted. Leaving a page with unsaved edits
asks first (beforeunload); saving or submitting the edited form does not."""

from __future__ import annotations

import pytest

from posts import services as posts_services
from posts.models import Commitment
from reports import services as reports_services
from reports.models import QuarterlyReport
from tests.browser.conftest import sign_in
from tests.posts_fixtures import make_post, returned
from tests.world import PASSWORD

pytestmark = pytest.mark.browser
NEW_COMMITMENT = "本学期开设校级公开课两节，并组织一次评课"
NEW_PROBLEM = "两个支部承诺不够具体，已逐一谈话督促修改"


def _page(chromium, live_server, username, dialogs: list):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    sign_in(page, username, PASSWORD)

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        # the confirm of 报送 is accepted; a warning about leaving with unsaved edits is answered "stay"
        dialog.dismiss() if dialog.type == "beforeunload" else dialog.accept()

    page.on("dialog", on_dialog)
    return page


def _returned_commitment(w) -> Commitment:
    claim = posts_services.post_claim(post=make_post(w.branch_a), member=w.member_a, by=None)
    return returned(claim, w.user("branch_a_secretary"), content="多读书")


def _returned_report(w) -> QuarterlyReport:
    unit = w.user("unit_staff")
    r = reports_services.quarterly_report_open(organization=w.unit, year=2026, quarter=4, by=unit)
    r = reports_services.quarterly_report_update(
        report=r, by=unit, expected_version=r.version, practices="全面推行亮岗履职", problems="个别支部进度慢",
        next_steps="年底前推广面达到100%", filled_by="林雅婷", contact_phone="0595-22919000")
    r = reports_services.quarterly_report_submit(report=r, by=unit, expected_version=r.version)
    return reports_services.quarterly_report_return(report=r, by=w.user("city_staff"), reason="存在问题写具体些",
                                                    expected_version=r.version)


def test_the_member_fixes_a_returned_commitment_and_submits_it_in_one_step(chromium, live_server, browser_world):
    commitment = _returned_commitment(browser_world)
    dialogs: list[str] = []
    page = _page(chromium, live_server, "member_a", dialogs)
    page.goto(page.base_url + commitment.get_absolute_url())
    content = page.locator("#edit-form [name=content]")
    content.click()
    content.fill(NEW_COMMITMENT)
    page.locator("#submit-commitment").click()
    page.get_by_text("已提交审核").first.wait_for()
    page.reload()
    assert page.locator("#commitment-state").inner_text() == "待审核"
    assert page.locator("#commitment-content").inner_text() == NEW_COMMITMENT
    assert dialogs == []  # submitting the edited form itself does not warn
    commitment.refresh_from_db()
    assert commitment.versions.order_by("number").last().content == NEW_COMMITMENT  # 第2稿 is the new text
    page.context.close()


def test_the_unit_edits_a_returned_report_and_submits_it_after_the_confirm(chromium, live_server, browser_world):
    report = _returned_report(browser_world)
    dialogs: list[str] = []
    page = _page(chromium, live_server, "unit_staff", dialogs)
    page.goto(page.base_url + report.get_absolute_url())
    problems = page.get_by_label("存在问题")
    problems.click()
    problems.fill(NEW_PROBLEM)
    page.get_by_role("button", name="报送").click()
    page.get_by_text("已报送市委教育工委").wait_for()
    page.reload()
    assert page.locator("#report-state").inner_text() == "已报送"
    assert NEW_PROBLEM in page.content()
    assert dialogs == ["confirm"]  # 确定报送？ — and no warning about leaving
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.SUBMITTED and report.problems == NEW_PROBLEM
    page.context.close()


def test_leaving_with_unsaved_edits_asks_first(chromium, live_server, browser_world):
    commitment = _returned_commitment(browser_world)
    report = _returned_report(browser_world)
    dialogs: list[str] = []

    # a member who typed into the commitment and follows a link is asked; staying keeps the text
    page = _page(chromium, live_server, "member_a", dialogs)
    url = page.base_url + commitment.get_absolute_url()
    page.goto(url)
    page.get_by_role("link", name="亮岗履职流程").click()  # no edits yet: leaves without asking
    page.wait_for_load_state()
    assert dialogs == [] and page.url != url
    page.goto(url)
    content = page.locator("#edit-form [name=content]")
    content.click()
    content.fill("还没保存的修改")
    with page.expect_event("dialog"):
        page.get_by_role("link", name="亮岗履职流程").click(no_wait_after=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"] and page.url == url
    assert content.input_value() == "还没保存的修改"
    page.context.close()

    # on Annex 5, another form of the page (重新统计) would not carry the edited text: asked too
    page = _page(chromium, live_server, "unit_staff", dialogs)
    url = page.base_url + report.get_absolute_url()
    page.goto(url)
    problems = page.get_by_label("存在问题")
    problems.click()
    problems.fill(NEW_PROBLEM)
    with page.expect_event("dialog"):
        page.get_by_role("button", name="按最新数据重新统计").click(no_wait_after=True)
    page.wait_for_timeout(300)
    assert dialogs[-1] == "beforeunload" and page.url == url
    report.refresh_from_db()
    assert report.problems == "个别支部进度慢"  # nothing was sent
    # 保存 of the edited form goes through without asking
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("已保存").first.wait_for()
    assert dialogs.count("beforeunload") == 2
    report.refresh_from_db()
    assert report.problems == NEW_PROBLEM
    page.context.close()
