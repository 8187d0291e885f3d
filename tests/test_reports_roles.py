"""八个方面的作用 overview: per role, the target items, posts and members of the subtree; scoped; flat queries."""

from __future__ import annotations

import datetime

from django.urls import reverse

from organizations.enums import EightRole
from posts.models import Post
from reports.roles import role_summary
from tests.budget import assert_flat_queries
from tests.world import make_member

YEAR = datetime.date.today().year


def test_it_counts_posts_and_members_per_role(world, login):
    Post.objects.create(organization=world.branch_a, year=YEAR, name="班主任示范岗", duties="带班", role=EightRole.COUNSELLOR)
    make_member(world.branch_a, "甲班主任", phone="13900000011", role_group=EightRole.COUNSELLOR)
    rows = {r["role"]: r for r in role_summary(world.school_a, YEAR)}
    assert rows["counsellor"]["posts"] == 1 and rows["counsellor"]["members"] == 1
    assert rows["party_member"]["members"] == 1  # member_a
    page = login(world.user("school_a_secretary")).get(
        reverse("reports:roles", args=[world.school_a.pk]) + f"?year={YEAR}&role=counsellor"
    )
    text = page.content.decode()
    assert "班主任示范岗" in text and "甲班主任" in text and "乙" not in text.split('id="role-detail"', 1)[1]


def test_a_member_and_another_county_do_not_see_it(world, login):
    url = reverse("reports:roles", args=[world.school_a.pk])
    assert login(world.user("member_a")).get(url).status_code == 404
    assert login(world.user("county_b_staff")).get(url).status_code == 404


def test_it_keeps_its_query_count_flat(world, login):
    client = login(world.user("school_a_secretary"))

    def grow_to(n):
        have = Post.objects.filter(organization=world.branch_a).count()
        for i in range(have, n):
            Post.objects.create(organization=world.branch_a, year=YEAR, name=f"岗{i}", duties="职责", role=EightRole.PARTY_MEMBER)
            make_member(world.branch_a, f"成员{i}", phone=f"1370000{i:04d}")

    url = reverse("reports:roles", args=[world.school_a.pk]) + f"?year={YEAR}&role=party_member"
    assert_flat_queries(client, url, grow_to=grow_to, budget=14)
