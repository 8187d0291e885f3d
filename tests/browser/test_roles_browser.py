"""八个方面的作用 in Chromium: the school secretary opens the overview from the school's page, reads per role how many
target items, posts and members carry it, and picks a role to list which ones."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from organizations.enums import EightRole
from posts.models import Post, PostClaim
from targets.models import AnnualPlan, TargetItem
from tests.browser.conftest import go, open_signed_in
from tests.world import PASSWORD, make_member

pytestmark = pytest.mark.browser
YEAR = datetime.date.today().year


def test_the_secretary_reads_which_items_posts_and_members_carry_each_role(chromium, live_server, browser_world):
    w = browser_world
    plan = AnnualPlan.objects.create(organization=w.school_a, year=YEAR, theme="dedication")
    TargetItem.objects.create(plan=plan, category="party", content="家访覆盖率100%", indicator="100%",
                              role=EightRole.COUNSELLOR, responsible="蔡年段长", deadline=datetime.date(YEAR, 12, 20),
                              position=1)  # fmt: skip
    post = Post.objects.create(organization=w.branch_a, year=YEAR, name="班主任示范岗", duties="带班",
                               role=EightRole.COUNSELLOR)  # fmt: skip
    teacher = make_member(w.branch_a, "甲班主任", phone="13900000011", role_group=EightRole.COUNSELLOR)
    PostClaim.objects.create(post=post, member=teacher)
    Post.objects.create(organization=w.branch_b, year=YEAR, name="乙校班主任岗", duties="带班", role=EightRole.COUNSELLOR)

    ctx, page = open_signed_in(chromium, live_server.url, "school_a_secretary", PASSWORD)
    go(page, w.school_a.get_absolute_url())
    page.get_by_role("link", name="八个方面的作用").click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].endswith(reverse("reports:roles", args=[w.school_a.pk]))
    row = page.locator("#roles-table tbody tr", has_text=str(EightRole.COUNSELLOR.label))
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells == [str(EightRole.COUNSELLOR.label), "1", "0", "1", "1", "1"]  # items, % done, posts, on posts, members
    row.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#role-detail") == str(EightRole.COUNSELLOR.label)
    assert "家访覆盖率100%" in page.inner_text("#role-items") and "蔡年段长" in page.inner_text("#role-items")
    assert "班主任示范岗" in page.inner_text("#role-posts") and "1 人上岗" in page.inner_text("#role-posts")
    assert "甲班主任" in page.inner_text("#role-members")
    assert "乙" not in page.inner_text("#role-posts")  # another county's post is not counted or listed
    page.locator("#role-members a", has_text="甲班主任").click()
    page.wait_for_load_state("networkidle")
    assert "甲班主任" in page.inner_text("h1")
    ctx.close()
