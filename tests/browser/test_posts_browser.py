"""亮岗履职 end to end in Chromium: posts → claim → commitment → return → revise → approve → publish → duty log."""

from __future__ import annotations

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from posts.models import Commitment, DutyEvidence
from posts.selectors import this_year
from tests.browser.conftest import sign_in
from tests.posts_fixtures import PDF
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def _as(chromium, live_server, username, *, phone=False):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = chromium.new_context(locale="zh-CN", viewport=size, is_mobile=phone)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    if username:
        sign_in(page, username, PASSWORD)
    return page


def _go(page, path):
    page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")


def _public_url(org_pk: int) -> str:
    try:
        return reverse("targets:public", args=[org_pk])
    except NoReverseMatch:
        return reverse("posts:public", args=[org_pk])


def test_posts_flow_from_setting_posts_to_the_public_page(chromium, live_server, browser_world, tmp_path):
    w = browser_world
    org_url = reverse("posts:org_posts", args=[w.branch_a.pk])

    # the secretary sets two posts: one of the branch's own, one copied from the typical posts
    sec = _as(chromium, live_server, "branch_a_secretary")
    _go(sec, org_url)
    form = sec.locator("#post-form")
    form.locator("[name=name]").fill("课改先锋岗")
    form.locator("[name=duties]").fill("带头开展课堂教学改革")
    form.locator("[name=role]").select_option("expert")
    form.locator("[name=capacity]").fill("2")
    form.get_by_role("button", name="设岗").click()
    sec.wait_for_load_state("networkidle")
    sec.get_by_label("师德标兵岗").check()
    sec.get_by_role("button", name="复制所选岗位").click()
    sec.wait_for_load_state("networkidle")
    table = sec.locator("#posts-table")
    assert table.get_by_text("课改先锋岗").is_visible() and table.get_by_text("师德标兵岗").is_visible()

    # the member, on a phone, claims one and writes a commitment
    mem = _as(chromium, live_server, "member_a", phone=True)
    _go(mem, reverse("posts:mine"))
    mem.locator("button[data-post='课改先锋岗']").click()
    mem.wait_for_load_state("networkidle")
    mem.get_by_role("link", name="写承诺").click()
    mem.wait_for_load_state("networkidle")
    mem.locator("[name=aspect]").select_option("work")
    mem.locator("[name=content]").fill("多上几节课")
    mem.locator("[name=measurable_result]").fill("尽量多")
    mem.locator("[name=due_on]").fill(f"{this_year()}-12-20")
    mem.get_by_role("button", name="保存草稿").click()
    mem.wait_for_load_state("networkidle")
    mem.locator("#submit-commitment").click()
    mem.wait_for_load_state("networkidle")
    assert mem.locator("#commitment-state").inner_text() == "待审核"
    commitment = Commitment.objects.get()

    # the secretary returns it, naming what failed and why
    _go(sec, org_url)
    sec.get_by_role("link", name="甲成员 · 课改先锋岗").click()
    sec.wait_for_load_state("networkidle")
    ret = sec.locator("#return-form")
    ret.get_by_label("可行性").check()
    ret.locator("[name=reason]").fill("成果无法衡量，请写明节数")
    ret.get_by_role("button", name="退回修改").click()
    sec.wait_for_load_state("networkidle")
    assert sec.locator("#commitment-state").inner_text() == "已退回修改"

    # the member sees the reason, revises and submits again
    _go(mem, commitment.get_absolute_url())
    assert mem.get_by_text("成果无法衡量，请写明节数").is_visible()
    edit = mem.locator("#edit-form")
    edit.locator("[name=content]").fill("本学期开设校级公开课两节")
    edit.locator("[name=measurable_result]").fill("公开课 2 节，评课良好以上")
    edit.get_by_role("button", name="保存").click()
    mem.wait_for_load_state("networkidle")
    mem.locator("#submit-commitment").click()
    mem.wait_for_load_state("networkidle")

    # the secretary approves and publishes it to society
    _go(sec, commitment.get_absolute_url())
    sec.locator("#approve").click()
    sec.wait_for_load_state("networkidle")
    sec.locator("#publish-form [name=audience]").select_option("society")
    sec.locator("#publish-form").get_by_role("button", name="公开").click()
    sec.wait_for_load_state("networkidle")
    assert sec.get_by_text("已公开").first.is_visible()

    # the member logs duty with an evidence file
    evidence = tmp_path / "公开课记录.pdf"
    evidence.write_bytes(PDF)
    _go(mem, commitment.get_absolute_url())
    log = mem.locator("#log-form")
    log.locator("[name=happened_on]").fill(datetime.date.today().isoformat())
    log.locator("[name=content]").fill("开设第一节公开课，教研组评课")
    log.locator("[name=files]").set_input_files(str(evidence))
    log.get_by_role("button", name="登记").click()
    mem.wait_for_load_state("networkidle")
    assert mem.locator("#duty-log").get_by_text("公开课记录.pdf").is_visible()
    assert DutyEvidence.objects.count() == 1
    mem.screenshot(path=str(tmp_path / "commitment-phone.png"), full_page=True)

    # the public sees the published commitment (name and post, no phone), never the returned version
    anon = _as(chromium, live_server, None)
    _go(anon, _public_url(w.branch_a.pk))
    body = anon.content()
    assert "本学期开设校级公开课两节" in body and "甲成员" in body and "课改先锋岗" in body
    assert "多上几节课" not in body and "成果无法衡量" not in body and "13900000001" not in body
    for p in (sec, mem, anon):
        p.context.close()


def test_my_posts_page_fits_a_phone_screen(chromium, live_server, browser_world):
    """A member on a 390-px phone reads her posts, what falls due and her duty log without sideways scrolling, and
    the duty-log button is within reach of a thumb (inside the screen)."""
    from tests.posts_fixtures import build_posts

    posts = build_posts(browser_world)
    page = _as(chromium, live_server, "member_a", phone=True)
    _go(page, reverse("posts:mine"))
    assert page.get_by_text(posts["a"]["post"].name).first.is_visible()
    assert page.get_by_text("上了一节公开课").first.is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than the phone"
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
              .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert not wide, f"elements run past the right edge: {wide}"
    box = page.locator(".card").first.bounding_box()
    assert box and box["width"] <= 390 and box["x"] >= 0
