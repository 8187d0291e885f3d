"""Each kind of work on the home page: it appears while it is due and disappears once done; a user never sees
work from outside their subtree, and a member sees only their own."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from evaluations import services as ev
from evaluations.enums import PeriodKind
from notifications.services import notice_send
from posts.services import commitment_approve, commitment_return, commitment_save_and_submit, commitment_submit
from reports.services import quarterly_report_open, quarterly_report_return, quarterly_report_submit
from reports.views.home import todo_items
from targets.services.items import item_create
from targets.services.opinions import opinion_add, opinion_event_create, opinion_sort
from targets.services.plans import plan_create
from targets.services.steps import step_complete
from tests.evaluations_fixtures import FROZEN_TODAY, approved_commitment, evaluation_today, open_period  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = FROZEN_TODAY


def kinds(user, today=TODAY) -> list[str]:
    return [i.kind for i in todo_items(user, today=today)]


def titles(user, today=TODAY) -> str:
    return " | ".join(f"{i.title} {i.organization}" for i in todo_items(user, today=today))


def submitted(member, content="每周开展一次学困生辅导"):
    c = approved_commitment(member, content=content)
    c.state = "draft"
    c.save()
    return commitment_submit(commitment=c, by=member.user)


def test_commitment_to_approve_appears_for_the_reviewer_and_leaves_when_approved(world):
    c = submitted(world.member_a)
    sec = world.user("branch_a_secretary")
    assert "posts.approval" in kinds(sec)
    assert "posts.approval" in kinds(world.user("school_a_secretary"))  # a secretary above may review it too
    assert "posts.approval" not in kinds(world.user("school_b_secretary"))
    assert "posts.approval" not in kinds(world.user("member_a"))
    c.refresh_from_db()
    commitment_approve(commitment=c, by=sec, version=c.version)
    assert "posts.approval" not in kinds(sec)


def test_a_secretarys_own_commitment_waits_for_the_level_above_not_for_her(world):
    from organizations.models import Member

    sec = world.user("branch_a_secretary")
    own = Member.objects.create(organization=world.branch_a, name="甲支书", gender="female", political_status="member",
                                job="支部书记", role_group="party_member", phone="13900000099", user=sec)
    submitted(own)
    assert "posts.approval" not in kinds(sec)
    assert "posts.approval" in kinds(world.user("school_a_secretary"))


def test_returned_commitment_is_the_members_until_submitted_again(world):
    c = submitted(world.member_a)
    commitment_return(commitment=c, by=world.user("branch_a_secretary"), reason="不够具体", failed=["feasible"])
    assert "posts.returned" in kinds(world.user("member_a"))
    assert "posts.returned" not in kinds(world.user("member_b"))
    c.refresh_from_db()
    commitment_save_and_submit(commitment=c, by=world.user("member_a"), version=c.version, aspect=c.aspect,
                               content=c.content + "，每周两次", measurable_result=c.measurable_result, due_on=c.due_on)
    assert "posts.returned" not in kinds(world.user("member_a"))


def test_approved_commitment_falling_due_is_on_the_members_list(world):
    c = approved_commitment(world.member_a)
    assert "posts.due" not in kinds(world.user("member_a"))  # due 30 June: more than 30 days ahead
    assert "posts.due" in kinds(world.user("member_a"), today=datetime.date(2026, 6, 10))
    c.status = "fulfilled"
    c.save()
    assert "posts.due" not in kinds(world.user("member_a"), today=datetime.date(2026, 6, 10))


def test_self_evaluation_due_appears_and_leaves_when_written(world):
    period = open_period(world.branch_a, kind=PeriodKind.Q1)
    member = world.user("member_a")
    assert "evaluations.self" in kinds(member)
    assert "evaluations.self" not in kinds(world.user("member_b"))
    ev.self_evaluation_save(period=period, member=world.member_a, summary="认真履职", score=Decimal("90"))
    assert "evaluations.self" not in kinds(member)


def test_assessments_and_poll_are_the_secretarys_until_done(world):
    period = open_period(world.branch_a, kind=PeriodKind.Q1)
    sec = world.user("branch_a_secretary")
    items = {i.kind: i for i in todo_items(sec, today=TODAY)}
    assert items["evaluations.assessment"].count == 1
    assert "evaluations.poll" in items
    assert "evaluations" not in "".join(kinds(world.user("branch_b_secretary")))
    ev.assessment_save(period=period, member=world.member_a, score=Decimal("90"), comment="好", by=sec)
    ev.poll_codes_generate(poll=period.poll, count=5)
    assert not {"evaluations.assessment", "evaluations.poll"} & set(kinds(sec))


def test_rectification_is_on_the_members_and_the_secretarys_list_until_closed(world):
    sec = world.user("branch_a_secretary")
    closed = open_period(world.branch_a, kind=PeriodKind.H1)
    ev.assessment_save(period=closed, member=world.member_a, score=Decimal("30"), comment="较差", by=sec)
    from tests.evaluations_fixtures import excuse_missing

    excuse_missing(closed, sec)
    ev.period_close(period=closed, by=sec)
    rect = ev.rectification_open(rating=closed.ratings.get(member=world.member_a), meeting_on=TODAY,
                                 meeting_text="在党员大会上说明", deadline=datetime.date(2026, 4, 30), by=sec)
    assert "evaluations.rectification" in kinds(world.user("member_a"))
    assert "evaluations.rectification_org" in kinds(sec)
    assert "evaluations.rectification_org" not in kinds(world.user("branch_b_secretary"))
    rect.state = "closed"
    rect.save()
    assert "evaluations.rectification" not in kinds(world.user("member_a"))
    assert "evaluations.rectification_org" not in kinds(sec)


def test_plan_to_make_then_the_step_waiting_then_the_next_step(world):
    sec = world.user("school_a_secretary")
    assert "制定2026年度计划" in titles(sec)
    plan = plan_create(organization=world.school_a, year=2026, theme="organization_building", by=sec)
    assert "第1步 征求意见" in titles(sec)
    event = opinion_event_create(plan=plan, by=sec, kind="symposium", held_on=TODAY, participants="教师代表", participant_count=8)
    opinion = opinion_add(plan=plan, content="多开展家访", author="家长", event=event)
    assert "答复意见建议：1条待处理" in titles(sec)
    assert "答复意见建议" not in titles(world.user("school_b_secretary"))
    opinion_sort(opinion=opinion, category="teaching", decision="adopted", reply="采纳", by=sec)
    assert "答复意见建议" not in titles(sec)
    step_complete(plan=plan, step="opinions", by=sec)
    assert "第1步" not in titles(sec) and "第2步 议事决策" in titles(sec)


def test_target_item_falling_due_appears_until_done(world):
    sec = world.user("school_a_secretary")
    plan = plan_create(organization=world.school_a, year=2026, theme="organization_building", by=sec)
    item = item_create(plan=plan, by=sec, category="party", content="建成党员活动室", indicator="1间", role="party_core",
                       responsible="王书记", deadline=datetime.date(2026, 4, 1))
    assert "targets.item" in kinds(sec)
    item.status = "done"
    item.save()
    assert "targets.item" not in kinds(sec)


def submit(report, staff):
    for field in ("practices", "problems", "next_steps"):
        setattr(report, field, "已填写")
    report.contact_phone = "0595-22000000"
    report.save()
    return quarterly_report_submit(report=report, by=staff, expected_version=report.version)


def test_annex5_due_then_returned_then_gone_when_submitted(world):
    staff = world.user("unit_staff")
    assert "填报2026年第一季度季报表" in titles(staff)
    assert "reports.quarterly" not in kinds(world.user("school_a_secretary"))
    report = quarterly_report_open(organization=world.unit, year=2026, quarter=1, by=staff)
    report = submit(report, staff)
    assert "2026年第一季度" not in titles(staff)
    report = quarterly_report_return(report=report, by=world.user("city_staff"), reason="数据有误",
                                     expected_version=report.version)
    assert "修改退回的2026年第一季度季报表" in titles(staff)


def test_late_units_for_committee_staff_only_in_their_subtree(world):
    after = datetime.date(2026, 3, 25)  # the policy's 20 March has passed
    late = "2026年第一季度季报表逾期未报送：1个单位"
    assert late in titles(world.user("city_staff"), today=after)
    assert late not in titles(world.user("city_staff"))  # before the deadline nobody is late for this quarter
    assert "2025年第四季度季报表逾期未报送" in titles(world.user("city_staff"))  # but last quarter's is
    assert "reports.late" not in kinds(world.user("county_a_staff"), today=after)  # no reporting unit below
    staff = world.user("unit_staff")
    submit(quarterly_report_open(organization=world.unit, year=2026, quarter=1, by=staff), staff)
    assert late not in titles(world.user("city_staff"), today=after)


def test_unread_notices_until_read(world):
    user = world.user("member_a")
    notice = notice_send(recipient=user, subject="测试通知", body="内容", email=False)
    assert "notifications.unread" in kinds(user)
    assert "notifications.unread" not in kinds(world.user("member_b"))
    notice.read_at = notice.created_at
    notice.save()
    assert "notifications.unread" not in kinds(user)


def test_last_years_unfinished_item_leaves_the_list_once_the_sweep_is_past_it(world):
    from targets.models import AnnualPlan, TargetItem

    sec = world.user("school_a_secretary")
    plan = AnnualPlan.objects.create(organization=world.school_a, year=2025, theme="organization_building")
    TargetItem.objects.create(plan=plan, category="party", content="去年的目标", indicator="1", role="party_core",
                              responsible="王", deadline=datetime.date(2025, 12, 20), position=1)
    assert "去年的目标" in titles(sec, today=datetime.date(2025, 12, 28))
    assert "去年的目标" in titles(sec, today=datetime.date(2025, 12, 30))  # still reminded on D+10: still listed
    assert "去年的目标" not in titles(sec)  # March: last year's plan is history


def test_a_branch_secretarys_assessment_waits_on_the_school_secretarys_list(world):
    from organizations.models import Member

    sec = world.user("branch_a_secretary")
    own = Member.objects.create(organization=world.branch_a, name="甲支书", gender="female", political_status="member",
                                job="支部书记", role_group="party_member", phone="13900000099", user=sec)
    period = open_period(world.branch_a, kind=PeriodKind.Q1)
    school = world.user("school_a_secretary")
    assert "综合评定（下级书记）：甲校第一支部2026年一季一评，1人" in titles(school)
    assert "evaluations.assessment_above" not in kinds(sec)  # never her own
    assert "evaluations.assessment_above" not in kinds(world.user("school_b_secretary"))
    ev.assessment_save(period=period, member=own, score=Decimal("90"), comment="好", by=school)
    assert "evaluations.assessment_above" not in kinds(school)
    assert "evaluations.assessment_above" not in kinds(world.user("county_a_staff"))  # one level up, not two


def test_a_school_secretarys_assessment_waits_on_the_county_staffs_list(world):
    from organizations.models import Member

    sec = world.user("school_a_secretary")
    Member.objects.create(organization=world.branch_a, name="甲校书记", gender="male", political_status="member",
                          job="校党委书记", role_group="party_core", phone="13900000098", user=sec)
    open_period(world.branch_a, kind=PeriodKind.Q1)
    assert "evaluations.assessment_above" in kinds(world.user("county_a_staff"))
    assert "evaluations.assessment_above" not in kinds(world.user("city_staff"))
    assert "evaluations.assessment_above" not in kinds(sec)
