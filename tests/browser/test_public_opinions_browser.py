"""接受群众监督 in Chromium on a 390-px phone: a parent objects to a member's published commitment from the school's
public page, the branch secretary finds it on the home page, answers and publishes the answer, and the parent reads
it under the opinion on the public page."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from posts import services as posts_services
from posts.enums import Audience
from tests.browser.conftest import go, open_signed_in
from tests.posts_fixtures import approved, make_post
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 392, "the page scrolls sideways on a phone"


def test_the_public_objects_to_a_commitment_and_reads_the_branchs_answer(chromium, live_server, browser_world):
    w = browser_world
    cache.clear()  # the public form's rate limit
    secretary = w.user("branch_a_secretary")
    claim = posts_services.post_claim(post=make_post(w.branch_a, by=secretary), member=w.member_a, by=w.member_a.user)
    posts_services.commitment_publish(commitment=approved(claim, secretary, content="每周辅导学困生一次"),
                                      audience=Audience.SOCIETY)
    public_url = reverse("targets:public", args=[w.school_a.pk])

    ctx, parent = open_signed_in(chromium, live_server.url, "member_b", PASSWORD, phone=True)
    parent.context.clear_cookies()  # the public: nobody signed in
    go(parent, public_url)
    parent.click("#public-commitments a[data-opinion-link]")
    parent.wait_for_load_state("networkidle")
    assert "甲成员的承诺：每周辅导学困生一次" in parent.inner_text("[data-opinion-about]")
    parent.fill("textarea[name=content]", "辅导时间能否改在午休")
    a, b = re.search(r"(\d) \+ (\d)", parent.inner_text("label[for=id_answer]")).groups()
    parent.fill("input[name=answer]", str(int(a) + int(b)))
    _fits(parent)
    parent.click("#opinion button")
    parent.wait_for_load_state("networkidle")
    assert "感谢您的意见" in parent.content()

    ctx2, branch = open_signed_in(chromium, live_server.url, "branch_a_secretary", PASSWORD, phone=True)
    go(branch, reverse("home"))
    assert "答复公开页群众意见：1条未答复" in branch.content()
    branch.click(f"main a[href='{reverse('targets:public_opinions', args=[w.branch_a.pk])}']")
    branch.wait_for_load_state("networkidle")
    card = branch.locator("[data-opinion][data-unanswered]")
    assert "辅导时间能否改在午休" in card.inner_text() and "甲成员的承诺" in card.inner_text()
    card.locator("textarea").fill("已调整为每周三午休时间")
    card.locator("input[type=checkbox]").check()
    _fits(branch)
    card.locator("button").click()
    branch.wait_for_load_state("networkidle")
    assert "已答复并在公开页公布" in branch.content()
    assert branch.locator("[data-unanswered]").count() == 0

    go(parent, public_url)
    answer = parent.inner_text("[data-public-answer]")
    assert "辅导时间能否改在午休" in answer and "已调整为每周三午休时间" in answer
    _fits(parent)
    ctx.close()
    ctx2.close()
