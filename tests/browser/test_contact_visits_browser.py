"""完善党员领导干部联系点制度 in Chromium: in the quarter's last month the county's staff find on the home page that a
leader has not yet visited the contact point, open it from the contacts page, record a visit (what was discussed, the
difficulties raised, what was solved, the follow-up; a missing field is named next to it) and the leader is no longer
listed as without a visit."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from organizations import services
from tests.browser.conftest import go, open_signed_in
from tests.evaluations_fixtures import FROZEN_TODAY, on_day
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _on_the_frozen_day():
    """16 March 2026, the first quarter's last month, for the test and every request the live server answers."""
    with on_day(FROZEN_TODAY):
        yield


def test_county_staff_record_a_visit_to_a_contact_point(chromium, live_server, browser_world):
    w = browser_world
    leader = services.leader_create(organization=w.county_a, name="甲领导", title="副书记")
    point = services.contact_point_create(leader=leader, organization=w.school_a, since=datetime.date(2025, 9, 1))
    ctx, page = open_signed_in(chromium, live_server.url, "county_a_staff", PASSWORD)

    item = page.locator("[data-todo-kind='inspections.contact_visit']")
    assert item.locator("[data-todo-title]").inner_text() == "本季度尚有1位班子成员未到联系点"
    assert "甲领导" in item.inner_text() and "还有 15 天" in item.inner_text()
    item.locator("a:has-text('记录联系指导')").click()
    page.wait_for_load_state("networkidle")
    assert "本季度未到联系点" in page.inner_text(f"[data-leader-visits='{leader.pk}']")
    page.click(f"a[href='{reverse('organizations:leader_detail', args=[leader.pk])}']")
    page.wait_for_load_state("networkidle")
    page.click(f"a[href='{reverse('organizations:contact_point', args=[point.pk])}']")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("organizations:contact_point", args=[point.pk]))

    page.fill("input[name=visited_on]", "2026-03-12")
    page.fill("textarea[name=difficulties]", "党员活动场所不足")
    page.click("form button[type=submit]:has-text('保存')")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_guidance.is-invalid").count() == 1  # the field at fault, with its message below it
    assert "必填项" in page.locator("#id_guidance ~ .invalid-feedback, #error_1_id_guidance").first.inner_text()
    assert page.input_value("textarea[name=difficulties]") == "党员活动场所不足"  # nothing typed is lost

    page.fill("textarea[name=guidance]", "指导六步工作法，讲解承诺怎样写得可衡量")
    page.fill("textarea[name=problems_solved]", "协调县青少年宫场地开展主题党日")
    page.fill("textarea[name=follow_up]", "下季度回访检查落实情况")
    page.click("form button[type=submit]:has-text('保存')")
    page.wait_for_load_state("networkidle")
    record = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    for text in ["2026年3月12日", "指导六步工作法", "党员活动场所不足", "协调县青少年宫场地", "下季度回访检查落实情况"]:
        assert text in record, text
    assert "尚无工作记录" not in record

    go(page, reverse("organizations:contacts", args=[w.county_a.pk]))
    assert page.inner_text(f"[data-leader-visits='{leader.pk}']").strip() == "1 次"
    go(page, "/")
    assert page.locator("[data-todo-kind='inspections.contact_visit']").count() == 0
    ctx.close()
