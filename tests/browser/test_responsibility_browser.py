"""责任制 in Chromium: the school secretary opens 任务分解 and reads the responsibility list (书记第一责任人、校长一岗双责、
支部书记直接责任人); adds an Annex 1 row for 教务处 with a member chosen as 责任人 (a deadline outside the year is named
next to the field); the list gains the office's 具体责任人, and the member named finds the row on the home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.enums import Role
from organizations.models import RoleAssignment
from targets.enums import Step
from targets.models import TargetItem
from tests.browser.conftest import go, open_signed_in
from tests.evaluations_fixtures import FROZEN_TODAY, on_day
from tests.targets_fixtures import make_plan, walk
from tests.world import PASSWORD, make_member, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _on_the_frozen_day():
    with on_day(FROZEN_TODAY):
        yield


def test_the_secretary_names_a_member_responsible_and_the_member_finds_it(chromium, live_server, browser_world):
    w = browser_world
    principal = make_user("principal_a", "林校长")
    make_member(w.school_a, "林校长", phone="13900000031", user=principal)
    RoleAssignment.objects.create(user=principal, organization=w.school_a, role=Role.PRINCIPAL, title="校长")
    secretary = w.user("school_a_secretary")
    plan = make_plan(w.school_a, secretary, year=FROZEN_TODAY.year)
    walk(plan, secretary, through=Step.DECISION)

    ctx, page = open_signed_in(chromium, live_server.url, "school_a_secretary", PASSWORD)
    go(page, reverse("targets:step", args=[plan.pk, Step.DECOMPOSITION]))
    card = page.locator("#responsibility")
    assert card.locator("[data-duty=first]").inner_text() == "school_a_secretary"
    assert card.locator("[data-duty=principal]").inner_text() == "林校长（校长）"
    assert card.locator("[data-duty=direct]").inner_text() == "甲校第一支部：branch_a_secretary"
    assert "附件1 目标任务写明处室和责任人后列出" in card.locator("[data-duty=specific]").inner_text()

    page.select_option("#id_category", "party")
    page.fill("#id_content", "结对帮扶两名学困生")
    page.fill("#id_indicator", "2名")
    page.select_option("#id_role", "party_member")
    page.fill("#id_office", "教务处")
    page.fill("#id_responsible", "甲成员")
    assert page.locator("#responsible-members option[value='甲成员']").count() == 1  # offered from the roster
    page.fill("#id_deadline", f"{FROZEN_TODAY.year + 2}-01-10")
    page.get_by_role("button", name="添加", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_deadline.is-invalid").count() == 1
    assert "完成时限应在计划年度内" in page.locator("#id_deadline ~ .invalid-feedback, #error_1_id_deadline").first.inner_text()
    assert not TargetItem.objects.exists()
    page.fill("#id_deadline", "2026-03-20")
    page.get_by_role("button", name="添加", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#responsibility [data-duty=specific]").inner_text() == "教务处：甲成员"
    item = TargetItem.objects.get()
    assert item.responsible_member == w.member_a
    ctx.close()

    ctx, member = open_signed_in(chromium, live_server.url, "member_a", PASSWORD, phone=True)
    todo = member.locator("[data-todo-kind='targets.my_item']")
    assert todo.locator("[data-todo-title]").inner_text() == "我负责的目标任务：结对帮扶两名学困生"
    assert "还有 4 天" in todo.inner_text()
    todo.locator("a:has-text('查看')").click()
    member.wait_for_load_state("networkidle")
    mine = member.inner_text(f"[data-my-item='{item.pk}']")
    assert "结对帮扶两名学困生" in mine and "教务处" in mine and "2026年3月20日" in mine
    ctx.close()
