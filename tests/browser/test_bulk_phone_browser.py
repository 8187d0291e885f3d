"""The pages that edit many rows at once, on a 390×844 phone: no sideways scrolling, one card a row, one save."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import PeriodKind
from evaluations.models import DemocraticAppraisal
from targets.models import TargetItem
from tests.browser.conftest import go, open_signed_in
from tests.evaluations_fixtures import add_members, window_around_today
from tests.targets_fixtures import make_item, make_plan
from tests.world import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _phone(chromium, live_server, username):
    return open_signed_in(chromium, live_server.url, username, PASSWORD, viewport=PHONE, phone=True)


_go = go


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_annex1_table_on_a_phone(chromium, live_server, browser_world):
    w = browser_world
    by = w.user("school_a_secretary")
    year = timezone.localdate().year
    plan = make_plan(w.school_a, by, year=year)
    for name in ("甲项：党员示范课", "乙项：青年教师培训", "丙项：家访全覆盖"):
        make_item(plan, by, content=name, deadline=datetime.date(year, 12, 31))
    context, page = _phone(chromium, live_server, "school_a_secretary")
    _go(page, reverse("targets:items_grid", args=[plan.pk]))
    assert _scroll_width(page) <= 390
    # one card a row: each label above its input, the selects the card's full width
    label = page.locator("tr[data-grid-row] label.grid-label").nth(1)
    assert label.is_visible()
    select = page.locator('tr[data-grid-row] select[data-field="role"]').first
    card = page.locator("tr[data-grid-row]").first
    assert select.bounding_box()["width"] >= card.bounding_box()["width"] - 40
    label_box, input_box = label.bounding_box(), page.locator('tr[data-grid-row] [data-field="category"]').first.bounding_box()
    assert label_box["y"] < input_box["y"]

    # move 丙项 up to the top, change 乙项, add a row, then save once
    rows = page.locator("tr[data-grid-row]")
    third = rows.nth(2)
    third.locator('[data-grid-move="up"]').click()
    rows.nth(1).locator('[data-grid-move="up"]').click()
    assert rows.nth(0).locator('[data-field="content"]').input_value() == "丙项：家访全覆盖"
    rows.nth(2).locator('[data-field="indicator"]').fill("每学期4次")
    page.get_by_role("button", name="添加一行").click()
    new = page.locator("tr[data-grid-row]").last
    new.locator('[data-field="category"]').select_option("party")
    new.locator('[data-field="content"]').fill("丁项：读书分享会")
    new.locator('[data-field="indicator"]').fill("每月1次")
    new.locator('[data-field="role"]').select_option("party_member")
    new.locator('[data-field="responsible"]').fill("王老师")
    new.locator('[data-field="deadline"]').fill(f"{year}-11-30")
    assert _scroll_width(page) <= 390
    page.get_by_role("button", name="保存目标分解表").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("目标分解表已保存").is_visible()
    assert _scroll_width(page) <= 390
    contents = list(TargetItem.objects.filter(plan=plan).order_by("position").values_list("content", flat=True))
    assert contents == ["丙项：家访全覆盖", "甲项：党员示范课", "乙项：青年教师培训", "丁项：读书分享会"]
    assert TargetItem.objects.get(content="乙项：青年教师培训").indicator == "每学期4次"
    context.close()


def test_the_democratic_appraisal_on_a_phone(chromium, live_server, browser_world):
    w = browser_world
    year = timezone.localdate().year
    window_around_today(w.branch_a, year=year, kind=PeriodKind.YEAR)
    add_members(w.branch_a, 17)  # 18 with 甲成员
    context, page = _phone(chromium, live_server, "branch_a_secretary")
    _go(page, reverse("evaluations:year_end", args=[w.branch_a.pk, year]))
    assert _scroll_width(page) <= 390
    done = page.locator("[data-done-count]")
    assert "0 / 18" in done.inner_text()
    first = page.locator("select[data-fill-target]").first
    first.select_option("excellent")
    assert "1 / 18" in done.inner_text()
    page.get_by_role("button", name="未评的全部设为合格").click()
    assert "18 / 18" in done.inner_text()
    assert first.input_value() == "excellent"  # what was chosen stays
    box, card = first.bounding_box(), page.locator("tr[data-member]").first.bounding_box()
    assert box["width"] >= card["width"] - 40
    page.get_by_role("button", name="保存评议结论").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已记录 18 名党员的民主评议结论").is_visible()
    assert _scroll_width(page) <= 390
    assert DemocraticAppraisal.objects.filter(year=year).count() == 18
    assert DemocraticAppraisal.objects.filter(year=year, conclusion="excellent").count() == 1
    assert "18 / 18" in page.locator("[data-done-count]").inner_text()
    context.close()
