"""A small tree with known records for the scorecard, on 15 November 2026 (tests/test_scorecards.py computes every
indicator of 甲校 by hand from what is written here).

甲县委教育工委 (county_a)
├── 甲校党委 (school_a) ── 甲校第一支部 (branch_a): 4 party members (member_a, 甲二, 甲三, 甲四) and one of the masses
└── 丁校党委 (school_d) ── 丁校第一支部: 2 party members, nothing done
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from evaluations.enums import Grade, PeriodKind, PeriodState, RectificationState
from evaluations.models import EvaluationPeriod, Poll, Rating, Rectification
from inspections.models import FixItem, Inspection
from organizations.enums import OrgKind, PoliticalStatus, SchoolType
from organizations.services import organization_create
from posts.enums import CommitmentState, FulfilmentStatus
from posts.models import Commitment, DutyLogEntry, Post, PostClaim
from targets.enums import ItemStatus, OpinionSource, PlanTheme, TargetCategory
from targets.models import AnnualPlan, Opinion, StepCompletion, TargetItem
from tests.world import make_member

TODAY = datetime.date(2026, 11, 15)
YEAR = 2026
TZ = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, 10, tzinfo=TZ)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(YEAR, month, day)


def build_scorecard_tree(w) -> dict:
    if "scorecards" in w.extra:
        return w.extra["scorecards"]
    school, branch = w.school_a, w.branch_a
    m1 = w.member_a
    m2 = make_member(branch, "甲二", phone="13900000011")
    make_member(branch, "甲三", phone="13900000012")
    make_member(branch, "甲四", phone="13900000013", political_status=PoliticalStatus.PROBATIONARY)
    make_member(branch, "甲群众", phone="13900000014", political_status=PoliticalStatus.MASSES)

    # 六步: two early steps on time, 任务分解 late (5 April), the rest not done
    plan = AnnualPlan.objects.create(organization=school, year=YEAR, theme=PlanTheme.DEDICATION)
    for step, when in [("opinions", at(3, 10)), ("decision", at(3, 20)), ("decomposition", at(4, 5))]:
        StepCompletion.objects.create(plan=plan, step=step, completed_at=when)
    # 附件1: done; in progress before its deadline; delayed; not started past its deadline → 2 of 4 good
    for status, deadline in [(ItemStatus.DONE, d(6, 30)), (ItemStatus.IN_PROGRESS, d(12, 31)),
                             (ItemStatus.DELAYED, d(12, 31)), (ItemStatus.NOT_STARTED, d(9, 30))]:  # fmt: skip
        TargetItem.objects.create(plan=plan, category=TargetCategory.PARTY, content="甲校目标", indicator="指标",
                                  role="party_member", responsible="甲校", deadline=deadline, status=status)  # fmt: skip
    # 亮岗: one post, member_a and 甲二 on it (2 of 4 party members)
    post = Post.objects.create(organization=branch, year=YEAR, name="甲校先锋岗", duties="带头")
    c1 = Commitment.objects.create(
        claim=PostClaim.objects.create(post=post, member=m1),
        content="甲承诺一",
        measurable_result="成果",
        due_on=d(6, 30),
        state=CommitmentState.APPROVED,
        status=FulfilmentStatus.FULFILLED,
        published_at=at(4, 1),
        audience="society",
    )
    c2 = Commitment.objects.create(
        claim=PostClaim.objects.create(post=post, member=m2),
        content="甲承诺二",
        measurable_result="成果",
        due_on=d(12, 31),
        state=CommitmentState.APPROVED,
    )
    for c, day in [(c1, d(2, 10)), (c1, d(5, 10)), (c2, d(9, 1))]:
        DutyLogEntry.objects.create(commitment=c, happened_on=day, content="履岗")
    # 评岗: q1 closed on time, poll 5 ≥ 3; h1 left open (late), poll 1 < 3; q3 closed late, poll 4 ≥ 3
    periods = {}
    for kind, closes, state, closed_at, ballots in [
        (PeriodKind.Q1, d(3, 31), PeriodState.CLOSED, at(3, 30), 5),
        (PeriodKind.H1, d(6, 30), PeriodState.OPEN, None, 1),
        (PeriodKind.Q3, d(9, 30), PeriodState.CLOSED, at(10, 10), 4),
    ]:
        p = EvaluationPeriod.objects.create(organization=branch, year=YEAR, kind=kind, opens_on=closes.replace(day=1),
                                            closes_on=closes, state=state, closed_at=closed_at)  # fmt: skip
        Poll.objects.create(period=p, minimum_ballots=3, ballot_count=ballots)
        periods[kind] = p

    def rating(period, member, self_score, org_score):
        return Rating.objects.create(period=period, member=member, self_score=self_score, org_score=org_score,
                                     weighted_score=Decimal(80), grade=Grade.GOOD)  # fmt: skip

    r1 = rating(periods[PeriodKind.Q1], m1, Decimal(90), Decimal(85))
    r2 = rating(periods[PeriodKind.Q1], m2, Decimal(70), None)
    rating(periods[PeriodKind.Q3], m1, Decimal(90), Decimal(88))
    rating(periods[PeriodKind.Q3], m2, Decimal(60), Decimal(60))
    # 限期整改: one closed before its deadline, one past its deadline still open
    by = w.user("branch_a_secretary")
    Rectification.objects.create(
        rating=r1,
        member=m1,
        organization=branch,
        meeting_on=d(4, 10),
        meeting_text="说明",
        deadline=d(5, 31),
        state=RectificationState.CLOSED,
        ended_on=d(5, 20),
        opened_by=by,
    )
    Rectification.objects.create(rating=r2, member=m2, organization=branch, meeting_on=d(4, 10), meeting_text="说明",
                                 deadline=d(10, 31), opened_by=by)  # fmt: skip
    # 群众意见: two this year, one answered
    Opinion.objects.create(organization=school, source=OpinionSource.PUBLIC, content="甲校意见一", replied_at=at(11, 1),
                           reply="已答复")  # fmt: skip
    Opinion.objects.create(organization=school, source=OpinionSource.PUBLIC, content="甲校意见二")
    # 巡查: closed in time; closed late; not due yet → 1 of 2 due in time
    inspection = Inspection.objects.create(committee=w.county_a, organization=school, year=YEAR, inspected_on=d(7, 1),
                                           inspectors="甲县巡查组", findings="甲校问题")  # fmt: skip
    for due, closed in [(d(8, 31), d(8, 20)), (d(10, 15), d(10, 20)), (d(12, 31), None)]:
        FixItem.objects.create(
            inspection=inspection, content="甲校整改", responsible="甲校", due_on=due, closed_on=closed
        )

    school_d = organization_create(parent=w.county_a, name="丁校党委", kind=OrgKind.SCHOOL_COMMITTEE, code="T-A-D",
                                   school_name="丁校", school_type=SchoolType.PRIMARY)  # fmt: skip
    branch_d = organization_create(parent=school_d, name="丁校第一支部", kind=OrgKind.BRANCH, code="T-A-D-B",
                                   school_name="丁校")  # fmt: skip
    make_member(branch_d, "丁一", phone="13900000021")
    make_member(branch_d, "丁二", phone="13900000022")
    w.extra["scorecards"] = {"plan": plan, "school_d": school_d, "branch_d": branch_d}
    return w.extra["scorecards"]
