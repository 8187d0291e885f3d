"""情况通报 and 简报 in Chromium: a typical school sends a write-up of good practice, the county's staff find it on the
home page and publish it as 简报 (also on the public page); the county issues a 情况通报 drafted from the records,
a member reads it and the county sees the read receipt."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notice as InboxNotice
from organizations.enums import DemoKind
from organizations.services import demonstration_create
from posts.models import Notice
from tests.browser.conftest import go, open_signed_in
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 392, "the page scrolls sideways on a phone"


def test_a_typical_school_sends_good_practice_and_the_county_publishes_it_and_issues_a_circular(
    chromium, live_server, browser_world
):
    w = browser_world
    demonstration_create(designated_by=w.county_a, organization=w.school_a, kind=DemoKind.COMPREHENSIVE,
                         year=timezone.localdate().year)  # fmt: skip
    ctx, school = open_signed_in(chromium, live_server.url, "school_a_secretary", PASSWORD, phone=True)
    go(school, reverse("bulletins:briefs", args=[w.school_a.pk]))
    school.click("#new-brief")
    school.fill("input[name=title]", "“党员先锋岗”进班级")
    school.fill("textarea[name=body]", "每个年段设党员先锋岗，学困生帮扶覆盖率 100%。")
    _fits(school)
    school.click("#send-brief")
    school.wait_for_load_state("networkidle")
    assert school.inner_text("#brief-state") == "待审核"
    ctx.close()

    ctx, county = open_signed_in(chromium, live_server.url, "county_a_staff", PASSWORD, phone=True)
    go(county, "/")
    county.locator("[data-todo-kind='bulletins.decide'] a:has-text('去审核')").click()
    county.wait_for_load_state("networkidle")
    county.check("input[name=public]")
    county.click("#publish-brief")
    county.wait_for_load_state("networkidle")
    assert county.inner_text("#brief-state") == "已编发简报"
    assert "第1期" in county.inner_text("#brief")

    go(county, reverse("bulletins:circulars", args=[w.county_a.pk]))
    assert "逾期未结束" in county.input_value("textarea[name=body]") or "按时完成" in county.input_value("textarea[name=body]")
    county.fill("input[name=title]", "第一季度情况通报")
    _fits(county)
    county.click("#issue-circular")
    county.wait_for_load_state("networkidle")
    assert "未读" in county.inner_text("main")
    notice = Notice.objects.get(title="第一季度情况通报")
    # the inbox notices went out from the background task queued after the commit
    assert InboxNotice.objects.filter(recipient=w.user("member_a"), subject="情况通报：第一季度情况通报").exists()

    ctx2, member = open_signed_in(chromium, live_server.url, "member_a", PASSWORD, phone=True)
    go(member, "/")
    assert "阅读情况通报：1条未读" in member.inner_text("main")
    go(member, reverse("posts:notice_detail", args=[notice.pk]))
    assert "第一季度情况通报" in member.inner_text("h1")
    go(member, reverse("bulletins:briefs", args=[w.county_a.pk]))
    assert "“党员先锋岗”进班级" in member.inner_text("#published-briefs")
    ctx2.close()

    go(county, reverse("posts:notice_detail", args=[notice.pk]))
    assert "未读" not in county.inner_text("main table")
    ctx.close()

    public = chromium.new_page()
    public.goto(live_server.url + reverse("targets:public", args=[w.school_a.pk]))
    assert "“党员先锋岗”进班级" in public.inner_text("#public-briefs")
    public.close()
