"""推行“四争” and 党员联系群众 in Chromium on a 390-px phone: a member on a post finds the year's 四争 aim on the home
page, is told next to the choice when none is chosen, chooses one; logs a contact with a parent (a missing 事由 is
named next to it); the branch secretary sees the aim on Annex 2 and the contact counted for the member."""

from __future__ import annotations

import pytest
from django.urls import reverse

from posts.models import Post, PostClaim
from tests.browser.conftest import go, open_signed_in
from tests.evaluations_fixtures import FROZEN_TODAY, on_day
from tests.world import PASSWORD

pytestmark = pytest.mark.browser
YEAR = FROZEN_TODAY.year


@pytest.fixture(autouse=True)
def _on_the_frozen_day():
    with on_day(FROZEN_TODAY):
        yield


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 392, "the page scrolls sideways on a phone"


def test_a_member_chooses_the_years_aim_and_logs_a_contact_with_a_parent(chromium, live_server, browser_world):
    w = browser_world
    post = Post.objects.create(organization=w.branch_a, year=YEAR, name="教学先锋岗", duties="上好示范课")
    PostClaim.objects.create(post=post, member=w.member_a)
    ctx, member = open_signed_in(chromium, live_server.url, "member_a", PASSWORD, phone=True)

    item = member.locator("[data-todo-kind='posts.aim']")
    assert item.locator("[data-todo-title]").inner_text() == f"选定{YEAR}年度“四争”目标"
    item.locator("a:has-text('去选定')").click()
    member.wait_for_load_state("networkidle")
    member.click("#save-aim")  # nothing chosen yet
    member.wait_for_load_state("networkidle")
    assert member.inner_text("#error_aim") == "请从“四争”中选择一项"
    assert member.get_attribute("#id_aim", "aria-describedby") == "error_aim"
    member.select_option("#id_aim", label="争当教书育人模范")
    member.click("#save-aim")
    member.wait_for_load_state("networkidle")
    assert member.inner_text("#aim-chosen") == "争当教书育人模范"
    assert member.locator("#error_aim").count() == 0
    _fits(member)

    member.click("a:has-text('联系群众')")
    member.wait_for_load_state("networkidle")
    member.select_option("select[name=whom]", "parent")
    member.fill("input[name=person]", "小林家长")
    member.click("#save-contact")  # 事由 left empty
    member.wait_for_load_state("networkidle")
    assert member.locator("#id_subject.is-invalid").count() == 1
    assert "必填项" in member.locator("#id_subject ~ .invalid-feedback, #error_1_id_subject").first.inner_text()
    assert member.input_value("input[name=person]") == "小林家长"
    member.fill("textarea[name=subject]", "家访：孩子在家学习习惯")
    member.fill("textarea[name=outcome]", "约定每周反馈一次作业情况")
    member.click("#save-contact")
    member.wait_for_load_state("networkidle")
    listed = member.inner_text("#contacts")
    assert "家长（小林家长）" in listed and "家访：孩子在家学习习惯" in listed and "约定每周反馈一次作业情况" in listed
    _fits(member)
    go(member, "/")
    assert member.locator("[data-todo-kind='posts.aim']").count() == 0
    ctx.close()

    ctx, secretary = open_signed_in(chromium, live_server.url, "branch_a_secretary", PASSWORD)
    go(secretary, reverse("posts:annex2", args=[w.branch_a.pk]) + f"?year={YEAR}")
    assert "争当教书育人模范" in secretary.inner_text("[data-aim]")
    go(secretary, reverse("posts:mass_counts", args=[w.branch_a.pk]) + f"?year={YEAR}")
    row = secretary.locator("#mass-counts tbody tr", has_text="甲成员")
    assert row.locator("td[data-label='家长']").inner_text() == "1"
    assert row.locator("td[data-label='合计']").inner_text() == "1"
    ctx.close()
