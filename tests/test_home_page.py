"""The home page (/) is the user's work list: what to do next, by when, where, with a link to the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.enums import PeriodKind
from posts.services import commitment_return, commitment_submit
from tests.evaluations_fixtures import FROZEN_TODAY, approved_commitment, evaluation_today, open_period  # noqa: F401
from tests.world import B_MARKERS

pytestmark = pytest.mark.django_db

ROLES = ("city_staff", "county_a_staff", "unit_staff", "school_a_secretary", "branch_a_secretary", "member_a")


def _submitted(member, content="每周开展一次学困生辅导"):
    c = approved_commitment(member, content=content)
    c.state = "draft"
    c.save()
    return commitment_submit(commitment=c, by=member.user)


def _page(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_a_work_list_to_every_role(client, world, role):
    body = _page(client, world.user(role))
    assert "待办" in body
    assert not [m for m in B_MARKERS if m in body]


def test_it_lists_a_submitted_commitment_for_the_branch_secretary_with_a_link_to_it(client, world):
    c = _submitted(world.member_a)
    body = _page(client, world.user("branch_a_secretary"))
    assert "审核承诺：甲成员" in body
    assert c.get_absolute_url() in body
    assert "还有 3 天" in body  # REMINDER_APPROVAL_WAIT_DAYS after submitting


def test_it_lists_a_returned_commitment_for_its_member_only(client, world):
    c = _submitted(world.member_a)
    commitment_return(commitment=c, by=world.user("branch_a_secretary"), reason="不够具体", failed=["feasible"])
    body = _page(client, world.user("member_a"))
    assert "修改退回的承诺" in body and c.get_absolute_url() in body
    assert "修改退回的承诺" not in _page(client, world.user("member_b"))
    assert "审核承诺" not in _page(client, world.user("branch_a_secretary"))


def test_it_lists_the_self_evaluation_due_with_days_left(client, world):
    period = open_period(world.branch_a, kind=PeriodKind.Q1)
    body = _page(client, world.user("member_a"))
    assert "述岗自评：2026年" in body
    assert reverse("evaluations:self_evaluation", args=[period.pk]) in body
    days = (period.closes_on - FROZEN_TODAY).days
    assert f"还有 {days} 天" in body


def test_work_of_the_sibling_subtree_never_shows_on_subtree_a_home_pages(client, world):
    from targets.models import AnnualPlan, Opinion

    _submitted(world.member_b, content="乙成员的承诺")
    open_period(world.branch_b, kind=PeriodKind.Q1)
    plan = AnnualPlan.objects.create(organization=world.school_b, year=2026, theme="organization_building")
    Opinion.objects.create(plan=plan, content="乙校的意见")
    assert "乙成员" in _page(client, world.user("branch_b_secretary"))  # the work is real: B's secretary sees it
    for role in ("county_a_staff", "unit_staff", "school_a_secretary", "branch_a_secretary", "member_a"):
        body = _page(client, world.user(role))
        assert not [m for m in B_MARKERS if m in body], role
