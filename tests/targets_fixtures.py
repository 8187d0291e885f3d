"""World-building helpers for the targets tests: plans walked to a given step."""

from __future__ import annotations

import datetime

from organizations.enums import EightRole
from targets import services
from targets.enums import (
    STEP_ORDER,
    Audience,
    MeetingKind,
    OpinionCategory,
    OpinionDecision,
    OpinionEventKind,
    PlanTheme,
    ReviewKind,
    ReviewRating,
    Step,
    TargetCategory,
)

YEAR = 2026
DAY = datetime.date(YEAR, 3, 1)


def make_plan(org, by, *, year: int = YEAR, **fields):
    defaults = dict(theme=PlanTheme.DEDICATION, featured_work="“书香校园”党员领读", theory_research="课后服务调研")
    defaults.update(fields)
    return services.plan_create(organization=org, year=year, by=by, **defaults)


def make_item(plan, by, *, content="党员示范课每学期不少于2节", role=EightRole.PARTY_MEMBER, **fields):
    defaults = dict(
        category=TargetCategory.PARTY,
        content=content,
        indicator="每学期≥2节",
        measures="教研组安排",
        role=role,
        office="初一年段",
        responsible="李老师",
        deadline=datetime.date(plan.year, 12, 31),
    )
    defaults.update(fields)
    return services.item_create(plan=plan, by=by, **defaults)


def record_step(plan, step: str, by) -> None:
    """Create the records that `step` needs (not the completion)."""
    if step == Step.OPINIONS:
        event = services.opinion_event_create(
            plan=plan, by=by, kind=OpinionEventKind.SYMPOSIUM, held_on=DAY, participants="教师代表", participant_count=12
        )
        opinion = services.opinion_add(plan=plan, event=event, content="希望增加青年教师培训")
        services.opinion_sort(
            opinion=opinion, category=OpinionCategory.TEACHERS, decision=OpinionDecision.ADOPTED, reply="采纳", by=by
        )
    elif step == Step.DECISION:
        services.meeting_create(
            plan=plan,
            by=by,
            kind=MeetingKind.COMMITTEE,
            held_on=DAY,
            attendees="支委全体",
            attendee_count=5,
            resolution="通过年度目标",
            adopted_opinions=list(plan.opinions.filter(decision=OpinionDecision.ADOPTED)),
        )
    elif step == Step.DECOMPOSITION:
        make_item(plan, by)
    elif step == Step.PUBLIC_COMMITMENT:
        services.plan_publish(plan=plan, audience=Audience.SOCIETY, published_on=DAY, by=by)
    elif step == Step.IMPLEMENTATION:
        item = plan.items.first()
        services.progress_record(item=item, by=by, recorded_on=DAY, status="in_progress", percent=40, note="已开展")
    elif step == Step.EVALUATION:
        services.review_create(
            plan=plan,
            by=by,
            kind=ReviewKind.MASSES,
            reviewer="教职工代表",
            reviewed_on=DAY,
            rating=ReviewRating.GOOD,
            comments="成效明显",
        )


def walk(plan, by, *, through: str) -> None:
    """Record and complete every step up to and including `through`."""
    for step in STEP_ORDER[: STEP_ORDER.index(through) + 1]:
        record_step(plan, step, by)
        services.step_complete(plan=plan, step=step, by=by)
