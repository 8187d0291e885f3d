"""Query budgets: the lists and step pages cost the same at 10 rows and at 200."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from organizations.enums import EightRole, OrgKind
from organizations.services import organization_create
from targets.enums import ItemStatus, OpinionEventKind
from targets.models import AnnualPlan, Opinion, OpinionEvent, ProgressEntry, TargetItem
from tests.budget import assert_flat_queries
from tests.targets_fixtures import make_plan

pytestmark = pytest.mark.django_db


def _grow_items(plan, n):
    have = plan.items.count()
    TargetItem.objects.bulk_create(
        TargetItem(
            plan=plan, category="party", content=f"目标{i}", indicator="1", role=EightRole.STAFF,
            responsible="张", deadline=datetime.date(plan.year, 12, 1), status=ItemStatus.IN_PROGRESS,
        )
        for i in range(have, n)
    )  # fmt: skip
    for item in plan.items.filter(progress__isnull=True):
        ProgressEntry.objects.create(item=item, recorded_on=datetime.date(plan.year, 5, 1), status="in_progress", percent=10, note="x")


def test_the_overview_stays_flat(world, login):
    client = login(world.user("county_a_staff"))

    def grow(n):
        for i in range(AnnualPlan.objects.count(), n):
            org = organization_create(parent=world.school_a, name=f"甲校支部{i}", kind=OrgKind.BRANCH)
            AnnualPlan.objects.create(organization=org, year=2026, theme="dedication")

    assert_flat_queries(client, reverse("targets:index"), grow_to=grow, budget=12, small=5, large=35)


def test_the_org_plan_list_stays_flat(world, login):
    client = login(world.user("school_a_secretary"))

    def grow(n):
        for year in range(2013 + AnnualPlan.objects.filter(organization=world.school_a).count(), 2013 + n):
            AnnualPlan.objects.create(organization=world.school_a, year=year, theme="dedication")

    assert_flat_queries(client, reverse("targets:org_plans", args=[world.school_a.pk]), grow_to=grow, budget=12, small=5, large=40)


@pytest.mark.parametrize("step", ["decomposition", "public_commitment", "implementation"])
def test_the_item_step_pages_stay_flat(world, login, step):
    plan = make_plan(world.school_a, world.user("school_a_secretary"))
    client = login(world.user("school_a_secretary"))
    assert_flat_queries(
        client, reverse("targets:step", args=[plan.pk, step]), grow_to=lambda n: _grow_items(plan, n), budget=20, large=100
    )


def test_the_opinion_step_stays_flat(world, login):
    plan = make_plan(world.school_a, world.user("school_a_secretary"))
    client = login(world.user("school_a_secretary"))

    def grow(n):
        for i in range(OpinionEvent.objects.filter(plan=plan).count(), n // 5):
            event = OpinionEvent.objects.create(
                plan=plan, kind=OpinionEventKind.SYMPOSIUM, held_on=datetime.date(2026, 2, 1), participants="教师"
            )
            Opinion.objects.bulk_create(Opinion(plan=plan, event=event, content=f"意见{i}-{k}") for k in range(5))

    assert_flat_queries(client, reverse("targets:step", args=[plan.pk, "opinions"]), grow_to=grow, budget=20, small=10, large=60)


def test_the_plan_page_stays_flat(world, login):
    plan = make_plan(world.school_a, world.user("school_a_secretary"))
    client = login(world.user("school_a_secretary"))
    assert_flat_queries(client, plan.get_absolute_url(), grow_to=lambda n: _grow_items(plan, n), budget=15, large=100)


def test_the_item_page_stays_flat(world, login):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    item = TargetItem.objects.create(
        plan=plan, category="party", content="x", indicator="1", role=EightRole.STAFF, responsible="张",
        deadline=datetime.date(2026, 12, 1),
    )  # fmt: skip
    client = login(by)

    def grow(n):
        ProgressEntry.objects.bulk_create(
            ProgressEntry(item=item, recorded_on=datetime.date(2026, 5, 1), status="in_progress", percent=10, note="x",
                          recorded_by=by)
            for _ in range(item.progress.count(), n)
        )  # fmt: skip

    assert_flat_queries(client, item.get_absolute_url(), grow_to=grow, budget=12)


def test_the_decision_and_evaluation_steps_stay_flat(world, login):
    from targets.models import DecisionMeeting, OrgReview

    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    client = login(by)
    opinion = Opinion.objects.create(plan=plan, content="采纳的", category="other", decision="adopted", reply="好")

    def grow(n):
        for _ in range(plan.meetings.count(), n):
            m = DecisionMeeting.objects.create(
                plan=plan, kind="committee", held_on=datetime.date(2026, 3, 1), attendees="支委", resolution="决议"
            )
            m.adopted_opinions.add(opinion)
        OrgReview.objects.bulk_create(
            OrgReview(plan=plan, kind="masses", reviewer="群众", reviewed_on=datetime.date(2026, 12, 1), rating="good",
                      comments="好")
            for _ in range(plan.reviews.count(), n)
        )  # fmt: skip

    for step in ["decision", "evaluation"]:
        assert_flat_queries(client, reverse("targets:step", args=[plan.pk, step]), grow_to=grow, budget=16, large=60)
