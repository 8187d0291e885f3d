"""A school secretary walks the six steps of the year's plan in Chromium, and the Annex 3 flow follows."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.world import PASSWORD

pytestmark = pytest.mark.browser
YEAR = "2026"


def flow_state(page, step: str) -> str:
    return page.locator(f'svg a[data-step="{step}"]').get_attribute("data-state")


def complete(page, label: str) -> None:
    page.get_by_role("button", name=f"完成“{label}”").click()
    page.wait_for_load_state("networkidle")



def open_step(page, label: str) -> None:
    page.locator("ul.list-group").get_by_role("link", name=label).click()
    page.wait_for_load_state("networkidle")


def test_secretary_walks_the_six_steps(page, browser_world, tmp_path):
    w = browser_world
    sign_in(page, "school_a_secretary", PASSWORD)
    page.goto(page.base_url + f"/org/{w.school_a.pk}/")
    page.get_by_role("link", name="年度计划").click()
    page.get_by_role("link", name="新建年度计划").click()
    page.fill("#id_year", YEAR)
    page.select_option("#id_theme", "dedication")
    page.fill("#id_featured_work", "书香校园党员领读")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=f"甲校党委 · {YEAR}年度计划").is_visible()
    assert flow_state(page, "opinions") == "current"
    assert flow_state(page, "decision") == "todo"

    # step 1: an opinion event, two opinions, sorted and decided
    open_step(page, "1. 征求意见")
    page.select_option("#id_kind", "symposium")
    page.fill("#id_held_on", f"{YEAR}-02-20")
    page.fill("#id_participants", "青年教师和家长代表")
    page.fill("#id_participant_count", "15")
    page.get_by_role("button", name="登记活动").click()
    page.wait_for_load_state("networkidle")
    for text in ["希望增加青年教师培训", "建议开放图书馆到晚上九点"]:
        page.locator("form[action*='/opinions/new/'] textarea").fill(text)
        page.get_by_role("button", name="添加意见").click()
        page.wait_for_load_state("networkidle")
    for text, category, decision, reply in [
        ("希望增加青年教师培训", "teachers", "adopted", "列入年度目标"),
        ("建议开放图书馆到晚上九点", "campus", "not_adopted", "先延长到八点"),
    ]:
        row = page.locator("[data-opinion]", has_text=text)
        row.locator("summary").click()
        row.locator("select[name$='-category']").select_option(category)
        row.locator("select[name$='-decision']").select_option(decision)
        row.locator("textarea[name$='-reply']").fill(reply)
        row.get_by_role("button", name="保存归类").click()
        page.wait_for_load_state("networkidle")
    complete(page, "征求意见")
    assert flow_state(page, "opinions") == "done"
    assert flow_state(page, "decision") == "current"

    # step 3 before step 2: refused with a clear message
    page.goto(page.url.rstrip("/") + "/step/decomposition/")
    complete(page, "任务分解")
    assert page.get_by_text("请先完成第2步“议事决策”，再完成第3步“任务分解”").is_visible()

    # step 2: the decision meeting takes up the adopted opinion
    page.get_by_role("link", name="2. 议事决策").click()
    page.select_option("#id_kind", "committee")
    page.fill("#id_held_on", f"{YEAR}-03-01")
    page.fill("#id_attendees", "党委委员")
    page.fill("#id_attendee_count", "7")
    page.fill("#id_resolution", "确定年度目标任务")
    page.get_by_label("希望增加青年教师培训").check()
    page.get_by_role("button", name="登记会议").click()
    page.wait_for_load_state("networkidle")
    complete(page, "议事决策")
    assert flow_state(page, "decision") == "done"

    # step 3: items for several of the eight roles
    page.locator('svg a[data-step="decomposition"]').click()
    page.wait_for_load_state("networkidle")
    for content, role, who in [
        ("党员示范课每学期2节", "party_member", "李老师"),
        ("青年教师基本功比赛", "expert", "黄主任"),
        ("家访覆盖率100%", "counsellor", "蔡年段长"),
    ]:
        page.select_option("#id_category", "party")
        page.fill("#id_content", content)
        page.fill("#id_indicator", "按计划完成")
        page.select_option("#id_role", role)
        page.fill("#id_responsible", who)
        page.fill("#id_deadline", f"{YEAR}-12-20")
        page.get_by_role("button", name="添加", exact=True).click()
        page.wait_for_load_state("networkidle")
    assert page.locator("tr[data-item]").count() == 3
    complete(page, "任务分解")
    assert flow_state(page, "decomposition") == "done"

    # step 4: publish to society
    page.locator('svg a[data-step="public_commitment"]').click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_audience", "society")
    page.fill("#id_published_on", f"{YEAR}-03-10")
    page.get_by_role("button", name="公开", exact=True).click()
    page.wait_for_load_state("networkidle")
    complete(page, "公开承诺")
    assert flow_state(page, "public_commitment") == "done"

    # step 5: progress with an evidence file
    page.locator('svg a[data-step="implementation"]').click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="党员示范课每学期2节").click()
    page.wait_for_load_state("networkidle")
    evidence = tmp_path / "示范课记录.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    page.fill("#id_recorded_on", f"{YEAR}-05-10")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_percent", "50")
    page.fill("#id_note", "已上示范课1节")
    page.set_input_files("#id_evidence_file", str(evidence))
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="示范课记录.pdf").is_visible()
    page.get_by_role("link", name="组织实施").last.click()
    page.wait_for_load_state("networkidle")
    complete(page, "组织实施")
    assert flow_state(page, "implementation") == "done"

    # step 6: 群众评议
    page.locator('svg a[data-step="evaluation"]').click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_kind", "masses")
    page.fill("#id_reviewer", "教职工和家长代表")
    page.fill("#id_reviewed_on", f"{YEAR}-12-25")
    page.select_option("#id_rating", "good")
    page.fill("#id_comments", "履诺践诺情况良好")
    page.get_by_role("button", name="登记考评").click()
    page.wait_for_load_state("networkidle")
    assert page.locator('tr[data-review="masses"]').is_visible()
    complete(page, "考评奖惩")
    assert [flow_state(page, s) for s in ["opinions", "decision", "decomposition", "public_commitment",
                                          "implementation", "evaluation"]] == ["done"] * 6  # fmt: skip
    assert page.get_by_text("六步均已完成").is_visible()
    page.screenshot(path=str(tmp_path / "plan.png"), full_page=True)

    # the public page shows the published items, with no login
    public = page.context.new_page()
    public.context.clear_cookies()
    public.goto(page.base_url + f"/p/{w.school_a.pk}/")
    assert public.locator("tr[data-public-item]").count() == 3
    assert public.get_by_text("党员奉献年").is_visible()


def test_anyone_reads_the_public_page_and_leaves_an_opinion_on_a_phone(phone_page, browser_world):
    import re

    from targets.models import Opinion
    from tests.targets_fixtures import make_plan, walk

    w = browser_world
    by = w.user("school_a_secretary")
    plan = make_plan(w.school_a, by)
    walk(plan, by, through="public_commitment")
    phone_page.goto(phone_page.base_url + f"/p/{w.school_a.pk}/")
    assert phone_page.locator("[data-public-card]").first.is_visible()
    assert phone_page.locator(".public-qr svg").is_visible()
    phone_page.fill("#id_content", "建议周末开放操场")
    question = phone_page.locator("label[for=id_answer]").inner_text()
    a, b = map(int, re.search(r"(\d+) \+ (\d+)", question).groups())
    phone_page.fill("#id_answer", str(a + b))
    phone_page.get_by_role("button", name="提交").click()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.get_by_text("感谢您的意见").is_visible()
    assert Opinion.objects.filter(plan=plan, source="public", content="建议周末开放操场").exists()
