"""Target management services: the six steps in order, publication, opinions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from targets import services
from targets.enums import Audience, OpinionDecision, Step
from targets.models import Publication, StepCompletion
from tests.targets_fixtures import DAY, YEAR, make_item, make_plan, record_step, walk

pytestmark = pytest.mark.django_db


def test_it_makes_one_plan_per_organization_and_year(world):
    by = world.user("school_a_secretary")
    make_plan(world.school_a, by)
    with pytest.raises(ValidationError) as e:
        make_plan(world.school_a, by)
    assert "已经存在" in str(e.value)


def test_it_refuses_a_plan_for_a_committee(world):
    with pytest.raises(ValidationError) as e:
        make_plan(world.county_a, world.user("county_a_staff"))
    assert "基层党组织" in str(e.value)


def test_it_refuses_a_custom_theme_without_a_name(world):
    with pytest.raises(ValidationError):
        make_plan(world.school_a, world.user("school_a_secretary"), theme="custom")


def test_it_refuses_step_3_before_step_2_and_writes_nothing(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.OPINIONS)
    make_item(plan, by)
    with pytest.raises(ValidationError) as e:
        services.step_complete(plan=plan, step=Step.DECOMPOSITION, by=by)
    assert "请先完成第2步“议事决策”" in str(e.value)
    assert not StepCompletion.objects.filter(plan=plan, step=Step.DECOMPOSITION).exists()


def test_it_refuses_a_step_without_its_records(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    with pytest.raises(ValidationError) as e:
        services.step_complete(plan=plan, step=Step.OPINIONS, by=by)
    assert "征求意见活动" in str(e.value)


def test_it_refuses_step_1_while_opinions_are_unsorted(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    record_step(plan, Step.OPINIONS, by)
    services.opinion_add(plan=plan, event=plan.opinion_events.first(), content="食堂饭菜")
    with pytest.raises(ValidationError) as e:
        services.step_complete(plan=plan, step=Step.OPINIONS, by=by)
    assert "1 条意见未归类" in str(e.value)


def test_it_records_who_and_when_for_every_step(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.EVALUATION)
    completions = list(plan.completions.order_by("completed_at"))
    assert [c.step for c in completions] == [s.value for s in Step]
    assert all(c.completed_by == by and c.completed_at for c in completions)


def test_it_refuses_completing_a_step_twice(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.OPINIONS)
    with pytest.raises(ValidationError) as e:
        services.step_complete(plan=plan, step=Step.OPINIONS, by=by)
    assert "已经完成" in str(e.value)


def test_it_reopens_only_the_last_step_done(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.DECISION)
    with pytest.raises(ValidationError):
        services.step_reopen(plan=plan, step=Step.OPINIONS, by=by)
    services.step_reopen(plan=plan, step=Step.DECISION, by=by)
    assert not plan.completions.filter(step=Step.DECISION).exists()


def test_it_needs_a_reply_to_decide_on_an_opinion(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    opinion = services.opinion_add(plan=plan, content="x")
    with pytest.raises(ValidationError) as e:
        services.opinion_sort(opinion=opinion, category="other", decision=OpinionDecision.NOT_ADOPTED, reply=" ", by=by)
    assert "答复" in str(e.value)


def test_it_links_only_adopted_opinions_to_the_meeting(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    pending = services.opinion_add(plan=plan, content="未处理")
    with pytest.raises(ValidationError):
        services.meeting_create(
            plan=plan, by=by, kind="committee", held_on=DAY, attendees="支委", resolution="决议", adopted_opinions=[pending]
        )


def test_it_publishes_only_after_decomposition_with_a_snapshot(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.DECISION)
    make_item(plan, by)
    with pytest.raises(ValidationError) as e:
        services.plan_publish(plan=plan, audience=Audience.SOCIETY, published_on=DAY, by=by)
    assert "任务分解" in str(e.value)
    services.step_complete(plan=plan, step=Step.DECOMPOSITION, by=by)
    pub = services.plan_publish(plan=plan, audience=Audience.SOCIETY, published_on=DAY, by=by)
    assert pub.item_count == 1 and pub.snapshot["items"][0]["content"] == "党员示范课每学期不少于2节"
    assert plan.items.filter(published_at__isnull=False).count() == 1
    assert Publication.objects.count() == 1


def test_it_refuses_a_stale_item_edit(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    item = make_item(plan, by)
    services.item_update(item=item, expected_version=1, by=by, content="新内容")
    with pytest.raises(ValidationError) as e:
        services.item_update(item=item, expected_version=1, by=by, content="旧页面上的内容")
    assert "已被他人修改" in str(e.value)
    item.refresh_from_db()
    assert item.content == "新内容"


def test_it_moves_the_item_with_progress(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    item = make_item(plan, by)
    services.progress_record(item=item, by=by, recorded_on=DAY, status="done", percent=100, note="完成")
    item.refresh_from_db()
    assert (item.status, item.percent, item.version) == ("done", 100, 2)


def test_it_refuses_a_deadline_outside_the_year(world):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    with pytest.raises(ValidationError):
        make_item(plan, by, deadline=datetime.date(YEAR + 3, 1, 1))


def test_it_lands_public_opinions_in_the_published_plan(world):
    by = world.user("school_a_secretary")
    early = services.opinion_submit_public(organization=world.school_a, content="建议")  # nothing published yet
    assert early.plan is None and early.organization == world.school_a  # answered from the list of public opinions
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.PUBLIC_COMMITMENT)
    opinion = services.opinion_submit_public(organization=world.school_a, content="建议增加社团")
    assert opinion.plan == plan and opinion.source == "public" and opinion.decision == "pending"
