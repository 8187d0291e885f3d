"""责任制 in Annex 1: the 责任人 of a target item is chosen from the organization's members (free text still allowed
for someone outside the roster); a member so named is reminded of the deadline and finds the item on their home page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from reports.views.home import todo_items
from targets import reminders, services
from targets.enums import Step
from targets.models import TargetItem
from tests.budget import assert_flat_queries
from tests.targets_fixtures import make_item, make_plan, walk

pytestmark = pytest.mark.django_db
DEADLINE = datetime.date(2026, 6, 30)


@pytest.fixture
def plan(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.DECISION)
    return plan


def test_it_links_the_one_member_of_the_subtree_with_that_name(world, plan):
    by = world.user("school_a_secretary")
    mine = make_item(plan, by, responsible="甲成员")
    outsider = make_item(plan, by, content="请专家讲座", responsible="校外专家")
    sibling = make_item(plan, by, content="乙校的人", responsible="乙成员")  # a member, but of another county
    assert mine.responsible_member == world.member_a
    assert outsider.responsible_member is None and outsider.responsible == "校外专家"
    assert sibling.responsible_member is None
    services.item_update(item=mine, expected_version=mine.version, by=by, responsible="李老师")
    assert TargetItem.objects.get(pk=mine.pk).responsible_member is None


def test_the_form_offers_the_members_and_a_crafted_name_links_nobody(world, login, plan):
    client = login(world.user("school_a_secretary"))
    body = client.get(reverse("targets:step", args=[plan.pk, Step.DECOMPOSITION])).content.decode()
    datalist = body.split('<datalist id="responsible-members">', 1)[1].split("</datalist>", 1)[0]
    assert '"甲成员"' in datalist and "乙成员" not in datalist
    assert 'list="responsible-members"' in body
    data = {
        "category": "party",
        "content": "结对帮扶",
        "indicator": "2对",
        "role": "party_member",
        "office": "",
        "deadline": DEADLINE.isoformat(),
        "responsible": "乙成员",
    }
    assert client.post(reverse("targets:item_create", args=[plan.pk]), data).status_code == 302
    item = TargetItem.objects.get(content="结对帮扶")
    assert item.responsible == "乙成员" and item.responsible_member is None
    before = TargetItem.objects.count()
    outsider = login(world.user("school_b_secretary"))
    assert (
        outsider.post(reverse("targets:item_create", args=[plan.pk]), data | {"responsible": "甲成员"}).status_code
        == 404
    )
    assert TargetItem.objects.count() == before


def test_the_person_named_is_reminded_and_sees_it_on_the_home_page(world, login, plan):
    by = world.user("school_a_secretary")
    item = make_item(plan, by, responsible="甲成员", deadline=DEADLINE)
    make_item(plan, by, content="别人的任务", responsible="李老师", deadline=DEADLINE)
    today = DEADLINE - datetime.timedelta(days=7)
    found = [r for r in reminders.due(today=today) if r.kind == "targets.item_responsible"]
    assert [(r.recipient_id, r.period, r.offset) for r in found] == [(world.member_a.user_id, f"i{item.pk}", -7)]
    assert "您是甲校党委2026年度目标任务" in found[0].body and found[0].url == reverse("targets:my_items")
    todo = [i for i in todo_items(world.member_a.user, today=today) if i.kind == "targets.my_item"]
    assert [(i.url, i.deadline) for i in todo] == [(reverse("targets:my_items"), DEADLINE)]
    assert all(i.kind != "targets.my_item" for i in todo_items(world.member_b.user, today=today))
    page = login(world.member_a.user).get(reverse("targets:my_items")).content.decode()
    assert item.content in page and "别人的任务" not in page


def test_my_items_keeps_its_query_count_flat(world, login, plan):
    client = login(world.member_a.user)

    def grow_to(n):
        for i in range(TargetItem.objects.filter(responsible_member=world.member_a).count(), n):
            TargetItem.objects.create(
                plan=plan,
                category="party",
                content=f"任务{i}",
                indicator="1",
                role="party_member",
                responsible="甲成员",
                deadline=DEADLINE,
                position=i + 10,
            )

    assert_flat_queries(client, reverse("targets:my_items"), grow_to=grow_to, budget=10)
