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


def test_it_counts_target_items_and_their_average_completion_per_role(world, login):
    from targets.models import AnnualPlan, TargetItem

    plan = AnnualPlan.objects.create(organization=world.school_a, year=YEAR, theme="dedication")
    other = AnnualPlan.objects.create(organization=world.school_b, year=YEAR, theme="dedication")
    deadline = datetime.date(YEAR, 12, 20)
    for i, percent in enumerate([40, 80]):
        TargetItem.objects.create(plan=plan, category="party", content=f"家访{i}", indicator="1", role=EightRole.COUNSELLOR,
                                  responsible="蔡", deadline=deadline, position=i, percent=percent)  # fmt: skip
    TargetItem.objects.create(plan=other, category="party", content="乙校家访", indicator="1", role=EightRole.COUNSELLOR,
                              responsible="乙", deadline=deadline, position=1, percent=100)  # fmt: skip
    rows = {r["role"]: r for r in role_summary(world.school_a, YEAR)}
    assert (rows["counsellor"]["items"], rows["counsellor"]["percent"]) == (2, 60)
    assert rows["party_core"]["items"] == 0 and len(rows) == len(EightRole)
    assert {r["role"]: r for r in role_summary(world.city, YEAR)}["counsellor"]["items"] == 3
    assert role_summary(world.school_a, YEAR - 1)[0]["items"] == 0  # another year counts nothing
