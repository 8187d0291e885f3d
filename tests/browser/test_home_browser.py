"""The home page in Chromium, at the key steps of the year: the next actor finds the work on their home page, the
link lands on the form, and once done the item is gone. The walk runs on one frozen day (16 March 2026): the live
server answers in a thread of this process, so the patched clock holds for its requests too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations import services as ev
from evaluations.enums import PeriodKind
from posts.services import commitment_return, commitment_save_and_submit, commitment_submit
from reports.services import quarterly_report_open, quarterly_report_submit
from tests.browser.conftest import go, open_signed_in
from tests.evaluations_fixtures import FROZEN_TODAY, approved_commitment, on_day, open_period
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _on_the_frozen_day():
    with on_day(FROZEN_TODAY):
        yield


def _home(chromium, live_server, username, *, phone=False):
    context, page = open_signed_in(chromium, live_server.url, username, PASSWORD, phone=phone)
    go(page, "/")
    return context, page


def _items(page) -> list[str]:
    return [t.strip() for t in page.locator("[data-todo-list] [data-todo-title]").all_inner_texts()]


def _reload(page) -> list[str]:
    page.goto(page.base_url + "/")
    page.wait_for_load_state("networkidle")
    return _items(page)


def test_the_next_actor_finds_the_work_on_the_home_page(chromium, live_server, browser_world, tmp_path):
    w = browser_world
    period = open_period(w.branch_a, kind=PeriodKind.Q1)
    c = approved_commitment(w.member_a)
    c.state = "draft"
    c.save()
    commitment_submit(commitment=c, by=w.member_a.user)

    # ---- the branch secretary: a commitment to approve; the link lands on it, 审核通过 removes it -------------
    ctx, sec = _home(chromium, live_server, "branch_a_secretary")
    item = sec.locator("[data-todo-list] li", has_text="审核承诺：甲成员")
    assert item.get_by_text("还有 3 天").is_visible()
    badge = sec.locator("nav [data-todo-count]")
    assert int(badge.inner_text()) == len(_items(sec))  # the navigation's badge counts the same list
    item.get_by_role("link", name="去审核").click()
    sec.wait_for_load_state("networkidle")
    assert sec.url.endswith(c.get_absolute_url())
    sec.locator("#approve").click()
    sec.wait_for_load_state("networkidle")
    assert not [t for t in _reload(sec) if t.startswith("审核承诺")]
    ctx.close()

    # ---- the member: the self-evaluation due (with days left); once written it is gone -------------------------
    ctx, member = _home(chromium, live_server, "member_a", phone=True)
    item = member.locator("[data-todo-list] li", has_text="述岗自评：2026年一季一评")
    days = (period.closes_on - FROZEN_TODAY).days
    assert item.get_by_text(f"还有 {days} 天").is_visible()
    assert member.evaluate("document.documentElement.scrollWidth") <= 390  # cards, no horizontal scroll
    member.screenshot(path=str(tmp_path / "member-home-phone.png"), full_page=True)
    item.get_by_role("link", name="去自评").click()
    member.wait_for_load_state("networkidle")
    assert member.url.endswith(reverse("evaluations:self_evaluation", args=[period.pk]))
    ev.self_evaluation_save(period=period, member=w.member_a, summary="认真履职", score=Decimal("90"))
    assert not [t for t in _reload(member) if t.startswith("述岗自评")]

    # ---- a commitment returned: on the member's list until submitted again ---------------------------------------
    second = approved_commitment(w.member_a, content="每月家访两次")
    second.state = "draft"
    second.save()
    second = commitment_submit(commitment=second, by=w.member_a.user)
    commitment_return(commitment=second, by=w.user("branch_a_secretary"), reason="不够具体", failed=["feasible"])
    item = member.locator("[data-todo-list] li", has_text="修改退回的承诺")
    _reload(member)
    assert item.is_visible()
    item.get_by_role("link", name="去修改").click()
    member.wait_for_load_state("networkidle")
    assert member.url.endswith(second.get_absolute_url())
    second.refresh_from_db()
    commitment_save_and_submit(commitment=second, by=w.member_a.user, version=second.version, aspect=second.aspect,
                               content="每月家访两次，记录在册", measurable_result=second.measurable_result,
                               due_on=second.due_on)
    assert not [t for t in _reload(member) if t.startswith("修改退回的承诺")]
    ctx.close()

    # ---- the reporting unit: this quarter's Annex 5 is due; submitted, it is gone ----------------------------------
    ctx, unit = _home(chromium, live_server, "unit_staff")
    assert "填报2026年第一季度季报表（附件5）" in _items(unit)
    report = quarterly_report_open(organization=w.unit, year=2026, quarter=1, by=w.user("unit_staff"))
    for field in ("practices", "problems", "next_steps"):
        setattr(report, field, "已填写")
    report.contact_phone = "0595-22000000"
    report.save()
    quarterly_report_submit(report=report, by=w.user("unit_staff"), expected_version=report.version)
    assert not [t for t in _reload(unit) if "2026年第一季度季报表" in t]
    ctx.close()
