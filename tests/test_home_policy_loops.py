"""The home page's work list carries the policy's working systems: a member on a post without the year's 四争 aim is
asked to choose it (and a refused choice says why under the choice); a committee's staff see the items of their
inspections that are overdue or wait to be verified, and, in the quarter's last month, their leaders who have not
visited a contact point; the contacts page says who has and who has not."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inspections.enums import CheckArea
from inspections.services import fix_item_add, follow_up_add, inspection_record
from organizations import services as org_services
from posts.enums import FourStrive
from posts.models import AnnualAim, Post, PostClaim
from posts.services.masses import aim_choose
from reports.views.home import todo_items
from tests.budget import assert_flat_queries
from tests.evaluations_fixtures import on_day

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 16)  # the first quarter's last month


def _titles(user, today=DAY):
    return {i.title: i for i in todo_items(user, today=today)}


# ---- 四争 --------------------------------------------------------------------------------------------------------


def test_a_member_on_a_post_without_the_years_aim_is_asked_to_choose_it(world):
    member = world.user("member_a")
    title = "选定2026年度“四争”目标"
    assert title not in _titles(member)  # no post this year: nothing to choose yet
    post = Post.objects.create(organization=world.branch_a, year=2026, name="教学先锋岗", duties="上好示范课")
    PostClaim.objects.create(post=post, member=world.member_a)
    item = _titles(member)[title]
    assert item.kind == "posts.aim" and item.url == reverse("posts:mine") + "#aim-card" and item.action == "去选定"
    assert title not in _titles(world.user("member_b"))
    aim_choose(member=world.member_a, year=2026, aim=FourStrive.MODEL_TEACHER, by=member)
    assert title not in _titles(member)
    assert "选定2027年度“四争”目标" not in _titles(member, today=datetime.date(2027, 1, 5))  # no post in 2027


def test_a_refused_aim_says_why_under_the_choice_and_writes_nothing(world, login):
    client = login(world.user("member_a"))
    r = client.post(reverse("posts:aim_choose"), {"aim": "争当第五"})
    assert r.status_code == 400 and not AnnualAim.objects.exists()
    body = r.content.decode()
    card = body.split('id="aim-card"', 1)[1].split("</form>", 1)[0]
    assert 'aria-describedby="error_aim"' in card and 'id="error_aim">请从“四争”中选择一项</div>' in card
    r = client.post(reverse("posts:aim_choose"), {"aim": FourStrive.GROWTH})
    assert r.status_code == 302 and AnnualAim.objects.get().aim == FourStrive.GROWTH


# ---- 年中巡查: the committee's side ----------------------------------------------------------------------------


@pytest.fixture
def inspection(world):
    with on_day(datetime.date(2026, 3, 2)):
        staff = world.user("county_a_staff")
        done = inspection_record(committee=world.county_a, organization=world.school_a, by=staff,
                                 inspected_on=datetime.date(2026, 3, 2), inspectors="甲县巡查组",
                                 checked=[CheckArea.POSTS], findings="承诺笼统")  # fmt: skip
        late = fix_item_add(inspection=done, by=staff, content="修改笼统的承诺", responsible="组织委员",
                            due_on=datetime.date(2026, 3, 10))  # fmt: skip
        reported = fix_item_add(inspection=done, by=staff, content="补开民意测评", responsible="支部书记",
                                due_on=datetime.date(2026, 4, 30))  # fmt: skip
        fix_item_add(inspection=done, by=staff, content="更新公开栏", responsible="办公室主任",
                     due_on=datetime.date(2026, 4, 30))  # fmt: skip
        follow_up_add(item=reported, by=world.user("school_a_secretary"), happened_on=datetime.date(2026, 3, 2),
                      note="已补开")  # fmt: skip
    return late, reported


def test_committee_staff_chase_overdue_items_and_verify_reported_ones(world, inspection):
    late, reported = inspection
    titles = _titles(world.user("county_a_staff"))
    chase = titles["巡查整改逾期：修改笼统的承诺"]
    assert chase.kind == "inspections.fix" and chase.organization == "甲校党委" and chase.action == "督促整改"
    assert chase.url == reverse("inspections:detail", args=[late.inspection_id]) + f"#item-{late.pk}"
    verify = titles["核实整改销号：补开民意测评"]
    assert verify.kind == "inspections.verify" and verify.action == "核实销号" and "已登记整改进展" in verify.detail
    assert not any("更新公开栏" in t for t in titles)  # neither late nor reported: the unit's to do, not yet theirs
    assert not any("巡查" in t or "整改" in t for t in _titles(world.user("county_b_staff")))
    school = _titles(world.user("school_a_secretary"))
    assert {"巡查整改：修改笼统的承诺", "巡查整改：更新公开栏"} <= set(school)  # the unit still sees its items


# ---- contact points -------------------------------------------------------------------------------------------


@pytest.fixture
def point(world):
    leader = org_services.leader_create(organization=world.county_a, name="甲领导", title="副书记")
    org_services.leader_create(organization=world.county_a, name="甲新领导", title="委员")  # no contact point yet
    return org_services.contact_point_create(leader=leader, organization=world.school_a,
                                             since=datetime.date(2025, 9, 1))  # fmt: skip


def test_committee_staff_see_leaders_without_a_visit_in_the_quarters_last_month(world, login, point):
    staff = world.user("county_a_staff")
    title = "本季度尚有1位班子成员未到联系点"
    item = _titles(staff)[title]
    assert item.kind == "inspections.contact_visit" and item.detail == "甲领导"
    assert item.deadline == datetime.date(2026, 3, 31) and item.url == reverse("organizations:contacts", args=[world.county_a.pk])
    assert title not in _titles(staff, today=datetime.date(2026, 2, 16))  # the quarter's second month: not yet
    assert title not in _titles(world.user("county_b_staff")) and title not in _titles(world.user("city_staff"))
    with on_day(DAY):
        page = login(staff).get(item.url).content.decode()
        cell = page.split(f'data-leader-visits="{point.leader_id}">', 1)[1].split("</td>", 1)[0]
        assert "本季度未到联系点" in cell
        org_services.contact_visit_log(contact_point=point, visited_on=datetime.date(2026, 3, 12),
                                       guidance="指导六步工作法")  # fmt: skip
        assert title not in _titles(staff)
        page = login(staff).get(item.url).content.decode()
        cell = page.split(f'data-leader-visits="{point.leader_id}">', 1)[1].split("</td>", 1)[0]
        assert cell.strip() == "1 次"


def test_committee_staff_home_keeps_its_query_count_flat(world, client, inspection, point, uncached):
    """Items to chase and leaders without a visit cost one query together, however many there are."""
    from inspections.models import FixItem
    from organizations.models import ContactPoint, Leader

    late, _reported = inspection

    def grow_to(n):
        have = FixItem.objects.count()
        FixItem.objects.bulk_create(
            FixItem(inspection_id=late.inspection_id, content=f"整改{i}", responsible="组织委员",
                    due_on=datetime.date(2026, 3, 1)) for i in range(have, n)
        )  # fmt: skip
        for i in range(Leader.objects.count(), n):
            leader = Leader.objects.create(organization=world.county_a, name=f"领导{i}", title="委员")
            ContactPoint.objects.create(leader=leader, organization=world.school_a, since=datetime.date(2025, 9, 1))

    client.force_login(world.user("county_a_staff"))
    with on_day(DAY):
        assert_flat_queries(client, reverse("home"), grow_to=grow_to, budget=15)
        body = client.get(reverse("home")).content.decode()
    waiting = ContactPoint.objects.values("leader").distinct().count()  # every leader with a point, none visited
    assert waiting == 199 and f"本季度尚有{waiting}位班子成员未到联系点" in body and "巡查整改逾期：整改199" in body
