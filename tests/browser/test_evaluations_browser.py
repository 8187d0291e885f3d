"""一季一评 end to end in Chromium: Q1 open with its window → self-evaluations → ten anonymous votes → assessment → close → grades."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import PeriodKind
from evaluations.models import PollCode, PollTally, Rating
from organizations.enums import Role
from organizations.models import RoleAssignment
from tests.browser.conftest import sign_in
from tests.evaluations_fixtures import window_around_today
from tests.world import PASSWORD, make_member, make_user

pytestmark = pytest.mark.browser


def _context(chromium, live_server, username=None, *, phone=False):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = chromium.new_context(locale="zh-CN", viewport=size, is_mobile=phone)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    if username:
        sign_in(page, username, PASSWORD)
    return context, page


def _go(page, path):
    page.goto(page.base_url + path if path.startswith("/") else path)
    page.wait_for_load_state("networkidle")


def _self_evaluate(chromium, live_server, username, summary, score, tmp_path):
    context, page = _context(chromium, live_server, username, phone=True)
    _go(page, reverse("evaluations:my_results"))
    page.get_by_role("link", name="一季一评").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("述岗总结").fill(summary)
    page.get_by_label("自评分（0–100）").fill(score)
    page.get_by_role("button", name="提交自评").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("述岗自评已提交").is_visible()
    page.screenshot(path=str(tmp_path / f"self-{username}.png"), full_page=True)
    context.close()


def test_q1_from_opening_to_published_grades(chromium, live_server, browser_world, tmp_path):
    w = browser_world
    user2 = make_user("member_a2", "甲二")
    RoleAssignment.objects.create(user=user2, organization=w.branch_a, role=Role.MEMBER)
    make_member(w.branch_a, "甲二成员", phone="13900000009", user=user2)

    # the city committee's Q1 window takes in today: the branch finds its period open, nobody opens it
    year = timezone.localdate().year
    window_around_today(w.branch_a, year=year, kind=PeriodKind.Q1)
    ctx, sec = _context(chromium, live_server, "branch_a_secretary")
    sec.on("dialog", lambda dialog: dialog.accept())
    _go(sec, reverse("evaluations:org_periods", args=[w.branch_a.pk]))
    assert sec.get_by_role("button", name="开启").count() == 0
    sec.get_by_role("link", name=f"{year}年一季一评").click()
    sec.wait_for_load_state("networkidle")
    assert sec.get_by_role("heading", name=f"{year}年一季一评").is_visible()
    period_url = sec.url

    # members self-evaluate on their phones
    _self_evaluate(chromium, live_server, "member_a", "认真履行教学先锋岗职责，完成承诺。", "90", tmp_path)
    _self_evaluate(chromium, live_server, "member_a2", "基本完成承诺，辅导工作需加强。", "80", tmp_path)

    # ten one-time voting links
    sec.get_by_role("link", name="民意测评").click()
    sec.wait_for_load_state("networkidle")
    sec.get_by_label("生成投票码数量").fill("10")
    sec.get_by_role("button", name="生成").click()
    sec.wait_for_load_state("networkidle")
    links = [a.get_attribute("href") for a in sec.locator("a.vote-link").all()]
    assert len(links) == 10

    vctx, voter = _context(chromium, live_server)  # no account
    for link in links:
        assert "#" in link and "/vote/" in link  # the code rides in the #fragment, never sent to the server
        voter.goto("about:blank")  # each slip is opened afresh (same page, new #fragment: no reload otherwise)
        _go(voter, link)
        assert voter.get_by_label("投票码").input_value() == link.rsplit("#", 1)[1]  # filled in by vote.js
        assert "#" not in voter.url  # and dropped from the address bar
        voter.locator("fieldset", has_text="甲成员").get_by_text("好", exact=True).click()
        voter.locator("fieldset", has_text="甲二成员").get_by_text("较好", exact=True).click()
        voter.get_by_role("button", name="提交评价").click()
        voter.wait_for_load_state("networkidle")
        assert voter.get_by_text("投票成功，感谢您的参与！").is_visible()
    # an eleventh vote on a used link is refused with a clear page
    voter.goto("about:blank")
    _go(voter, links[0])
    voter.locator("fieldset", has_text="甲成员").get_by_text("好", exact=True).click()
    voter.locator("fieldset", has_text="甲二成员").get_by_text("较好", exact=True).click()
    voter.get_by_role("button", name="提交评价").click()
    voter.wait_for_load_state("networkidle")
    assert voter.get_by_role("heading", name="此投票码已使用，不能重复投票").is_visible()
    voter.screenshot(path=str(tmp_path / "used-code.png"), full_page=True)
    vctx.close()
    assert PollCode.objects.filter(used=True).count() == 10  # one ballot per used code, kept as tallies only
    assert sum(PollTally.objects.values_list("count", flat=True)) == 20  # two members rated on each ballot

    # the secretary assesses both members, then closes the period
    for name, score in [("甲成员", "95"), ("甲二成员", "80")]:
        _go(sec, period_url)
        sec.locator("tr", has_text=name).get_by_role("link", name="评定").click()
        sec.wait_for_load_state("networkidle")
        sec.get_by_label("综合评定得分（0–100）").fill(score)
        sec.get_by_label("评定意见").fill(f"{name}履职认真")
        sec.get_by_role("button", name="保存评定").click()
        sec.wait_for_load_state("networkidle")
    assert sec.get_by_text("2/2").first.is_visible()
    sec.get_by_role("link", name="结束考评并公布结果").click()
    sec.wait_for_load_state("networkidle")
    # the close page counts who is complete before the secretary confirms
    assert sec.get_by_text("各项齐全 2 人，已标记未参加 0 人，仍有缺项 0 人。").is_visible()
    sec.get_by_role("button", name="确认结束考评并公布结果").click()
    sec.wait_for_load_state("networkidle")
    assert sec.get_by_text("考评期已结束，结果已公布").is_visible()
    assert sec.get_by_text("等次分布").is_visible()
    sec.screenshot(path=str(tmp_path / "closed.png"), full_page=True)
    ctx.close()

    # 90×20% + 100×30% + 95×50% = 95.50 → 优秀;  80×20% + 85×30% + 80×50% = 81.50 → 良好
    assert {r.member.name: (str(r.weighted_score), r.grade) for r in Rating.objects.select_related("member")} == {
        "甲成员": ("95.50", "excellent"),
        "甲二成员": ("81.50", "good"),
    }
    for username, score, grade in [("member_a", "95.50", "优秀"), ("member_a2", "81.50", "良好")]:
        mctx, member = _context(chromium, live_server, username, phone=True)
        _go(member, reverse("evaluations:my_results"))
        assert member.locator("[data-grade]").first.inner_text() == grade
        assert member.get_by_text(score).first.is_visible()
        member.screenshot(path=str(tmp_path / f"grade-{username}.png"), full_page=True)
        mctx.close()
