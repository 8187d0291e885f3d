"""The two flow diagrams tell the truth: Annex 4 (a member's six sub-steps, posts:flow) reads each step's state from
the records, done steps always form a prefix (a step held back says why), and Annex 3's step 6 (考评奖惩 of a plan)
lists the year's member ratings, honours and rectifications of the plan organization's subtree."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from evaluations import services as ev
from evaluations.enums import AwardLevel, AwardTitle, PeriodKind
from evaluations.models import Rating
from posts import services as ps
from posts.enums import Audience, SubStep
from posts.flows import DOING, DONE, NOT_STARTED, StepFacts, apply_order, flow_state
from tests.posts_fixtures import make_commitment, make_post
from tests.targets_fixtures import make_plan
from tests.world import make_member

pytestmark = pytest.mark.django_db

YEAR = 2026
D = datetime.date
KEYS = ["set", "choose", "commit", "perform", "evaluate", "reward"]


@contextmanager
def on(day: datetime.date):
    """Freeze “now” at 10:00 Beijing time on `day` (services read today as timezone.localdate())."""
    moment = datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def states(member) -> dict[str, str]:
    steps = flow_state(member, YEAR)
    done = [s.state == DONE for s in steps]
    # the ordering rule holds at every moment: the done steps are a prefix of the flow
    assert done == sorted(done, reverse=True), [(s.key, s.state) for s in steps]
    return {s.key: s.state for s in steps}


def step(member, key: str):
    return next(s for s in flow_state(member, YEAR) if s.key == key)


def _posts_done(world, member=None, *, day=None):
    """Steps 1–4 complete for the member: a post, a claim, a published commitment, a duty log and the year report."""
    member, day = member or world.member_a, day or D(YEAR, 12, 2)
    secretary = world.user("branch_a_secretary")
    with on(day):
        post = make_post(member.organization, f"岗位{member.pk}", year=YEAR)
        claim = ps.post_claim(post=post, member=member, by=member.user)
        c = ps.commitment_submit(commitment=make_commitment(claim), by=member.user)
        c = ps.commitment_approve(commitment=c, by=secretary)
        c = ps.commitment_publish(commitment=c, audience=Audience.MASSES)
        ps.duty_log_add(commitment=c, by=member.user, happened_on=day, content="上了一节公开课", files=[])
        ps.duty_report_save(member=member, year=YEAR, period="year", text="全年述职", file=None)
    return c


def _year_period(world, *, score="88", org=None, secretary="branch_a_secretary"):
    """The year-end period of branch A (default), every member self-evaluated and assessed at `score` (still open)."""
    org = org or world.branch_a
    period = ev.period_create(organization=org, year=YEAR, kind=PeriodKind.YEAR)
    for member in ev.period_members(period):
        ev.self_evaluation_save(period=period, member=member, summary="全年履岗总结", score=Decimal(score))
        ev.assessment_save(period=period, member=member, score=Decimal(score), comment="履岗认真",
                           by=world.user(secretary))
    return period


# ---- Annex 4: the member's walk --------------------------------------------------------------------------------------


def test_it_flips_each_step_at_the_record_that_completes_it(world):
    m, secretary, school = world.member_a, world.user("branch_a_secretary"), world.user("school_a_secretary")
    with on(D(YEAR, 3, 2)):
        assert states(m) == dict.fromkeys(KEYS, NOT_STARTED)
        assert step(m, "set").current and "尚未设岗" in step(m, "set").why

        post = make_post(world.branch_a, year=YEAR)
        assert states(m)["set"] == DONE and "已设岗 1 个" in step(m, "set").why
        assert step(m, "choose").current and states(m)["choose"] == NOT_STARTED

        claim = ps.post_claim(post=post, member=m, by=m.user)
        assert states(m)["choose"] == DONE and "党员示范岗" in step(m, "choose").why

        c = make_commitment(claim)
        assert states(m)["commit"] == DOING and "草稿未提交 1 项" in step(m, "commit").why
        c = ps.commitment_submit(commitment=c, by=m.user)
        assert states(m)["commit"] == DOING and "待审核 1 项" in step(m, "commit").why
        c = ps.commitment_approve(commitment=c, by=secretary)
        assert states(m)["commit"] == DOING and "审核通过待公开 1 项" in step(m, "commit").why
        c = ps.commitment_publish(commitment=c, audience=Audience.MASSES)
        assert states(m)["commit"] == DONE and step(m, "perform").current
        assert states(m)["perform"] == NOT_STARTED

        ps.duty_log_add(commitment=c, by=m.user, happened_on=D(YEAR, 3, 2), content="上了一节公开课", files=[])
        assert states(m)["perform"] == DOING
        assert "履岗记录 1 条（最近 2026年3月2日）" in step(m, "perform").why

    with on(D(YEAR, 3, 20)):
        q1 = ev.period_create(organization=world.branch_a, year=YEAR, kind=PeriodKind.Q1)
        assert states(m)["evaluate"] == NOT_STARTED
        ev.self_evaluation_save(period=q1, member=m, summary="一季度履岗小结", score=Decimal("90"))
        assert states(m)["evaluate"] == DOING and "述岗自评 1 次" in step(m, "evaluate").why
        ev.assessment_save(period=q1, member=m, score=Decimal("86"), comment="认真", by=secretary)
    with on(D(YEAR, 3, 31)):
        assert states(m)["reward"] == NOT_STARTED
        ev.period_close(period=q1, by=school)
        s = states(m)
        assert s["evaluate"] == DOING and "已公布：一季一评" in step(m, "evaluate").why
        assert "待年终总评" in step(m, "evaluate").why
        assert s["reward"] == DOING and "已公布考评结果 1 次，待年终总评结果公布" in step(m, "reward").why

    with on(D(YEAR, 12, 5)):
        ps.duty_report_save(member=m, year=YEAR, period="year", text="全年述职", file=None)
        assert states(m)["perform"] == DONE and step(m, "evaluate").current
        year_end = _year_period(world)
        rnd = ev.award_round_create(
            organization=world.school_a, by=school, year=YEAR, title=AwardTitle.EXCELLENT_MEMBER,
            level=AwardLevel.SCHOOL, submit_from=D(YEAR, 12, 1), submit_until=D(YEAR, 12, 20),
            review_until=D(YEAR, 12, 31), quota=2,
        )
        nomination = ev.nomination_submit(round=rnd, member=m, deeds="带头上示范课", by=secretary)
        assert states(m)["reward"] == DOING and "推荐待审批" in step(m, "reward").why

    with on(D(YEAR, 12, 15)):
        ev.period_close(period=year_end, by=school)
        s = states(m)
        assert s["evaluate"] == DONE and "年终总评" in step(m, "evaluate").why
        # the year result is out, but a nomination still waits for its decision: 奖惩促岗 is not over yet
        assert s["reward"] == DOING and step(m, "reward").current
        assert "年终总评" in step(m, "reward").why and "推荐待审批" in step(m, "reward").why

    with on(D(YEAR, 12, 20)):
        ev.nomination_review(nomination=nomination, endorse=True, note="", by=school)
        assert states(m) == dict.fromkeys(KEYS, DONE)
        assert "获评：校级优秀共产党员" in step(m, "reward").why
        assert not any(s.current or s.note for s in flow_state(m, YEAR))


def test_it_keeps_reward_open_until_a_poor_result_is_rectified(world):
    m = world.member_a
    _posts_done(world)
    with on(D(YEAR, 12, 10)):
        period = _year_period(world, score="30")
        ev.period_close(period=period, by=world.user("school_a_secretary"))
        assert states(m)["evaluate"] == DONE
        assert states(m)["reward"] == DOING and "1 项“较差”结果尚未启动限期整改" in step(m, "reward").why
        rating = Rating.objects.get(period=period, member=m)
        rect = ev.rectification_open(rating=rating, meeting_on=D(YEAR, 12, 10), meeting_text="在党员大会上说明",
                                     deadline=D(YEAR, 12, 30), by=world.user("branch_a_secretary"))
        assert states(m)["reward"] == DOING and "限期整改中（期限 2026年12月30日）" in step(m, "reward").why
    with on(D(YEAR, 12, 28)):
        ev.rectification_end(rectification=rect, escalate=False, outcome="整改到位", by=world.user("branch_a_secretary"))
        assert states(m)["reward"] == DONE and "已完成整改（2026年12月28日）" in step(m, "reward").why


def test_it_completes_reward_for_a_published_good_result_without_award_or_rectification(world):
    """Nothing to reward or rectify: once the year result is published, 奖惩促岗 is over for this member."""
    _posts_done(world)
    with on(D(YEAR, 12, 10)):
        ev.period_close(period=_year_period(world, score="85"), by=world.user("school_a_secretary"))
        assert states(world.member_a) == dict.fromkeys(KEYS, DONE)


# ---- the ordering rule ---------------------------------------------------------------------------------------------


def test_the_ordering_rule_holds_back_a_later_step_and_says_why():
    steps = apply_order([
        (SubStep.SET, StepFacts(DONE, "已设岗")),
        (SubStep.CHOOSE, StepFacts(DONE, "已认岗")),
        (SubStep.COMMIT, StepFacts(DOING, "承诺 1 项：待审核 1 项")),
        (SubStep.PERFORM, StepFacts(DONE, "记录齐")),
        (SubStep.EVALUATE, StepFacts(DOING, "待年终总评")),
        (SubStep.REWARD, StepFacts(NOT_STARTED, "无")),
    ])
    assert [s.state for s in steps] == [DONE, DONE, DOING, DOING, DOING, NOT_STARTED]
    assert [s.current for s in steps] == [False, False, True, False, False, False]
    assert steps[3].note == "本步记录已齐，但第3步“承诺亮岗”尚未完成：承诺 1 项：待审核 1 项"
    assert steps[3].why == "记录齐"  # the step's own records are still shown
    assert not steps[2].note and not steps[4].note and not steps[5].note


def test_a_published_year_result_before_published_commitments_shows_in_progress_with_a_note(world, login):
    m = world.member_a
    with on(D(YEAR, 12, 2)):
        claim = ps.post_claim(post=make_post(world.branch_a, year=YEAR), member=m, by=m.user)
        ps.commitment_submit(commitment=make_commitment(claim), by=m.user)
        ev.period_close(period=_year_period(world), by=world.user("school_a_secretary"))
        s = states(m)
        assert s["commit"] == DOING and step(m, "commit").current
        assert s["evaluate"] == DOING and s["reward"] == DOING
        note = step(m, "evaluate").note
        assert note.startswith("本步记录已齐，但第3步“承诺亮岗”尚未完成") and "待审核 1 项" in note
        assert "年终总评" in step(m, "evaluate").why
    page = login(world.user("branch_a_secretary")).get(reverse("posts:flow", args=[m.pk]) + f"?year={YEAR}")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-step="evaluate" data-state="doing"' in body and "本步记录已齐，但第3步“承诺亮岗”尚未完成" in body
    assert 'data-step="commit" data-state="doing"' in body


def test_the_flow_page_stays_hidden_from_a_sibling_school(world, login):
    _posts_done(world)
    client = login(world.user("school_b_secretary"))
    assert client.get(reverse("posts:flow", args=[world.member_a.pk])).status_code == 404
    client = login(world.user("member_b"))
    assert client.get(reverse("posts:flow", args=[world.member_a.pk])).status_code == 404


# ---- Annex 3: step 6 of the plan -------------------------------------------------------------------------------------


def _plan_records(world):
    """School A's plan; in branch A an 优秀 member with an honour and a 较差 member under rectification; in branch B
    (the sibling) a rated member who must not appear."""
    with on(D(YEAR, 12, 10)):
        plan = make_plan(world.school_a, world.user("school_a_secretary"), year=YEAR)
        poor = make_member(world.branch_a, "甲二", phone="13900000011", user=None)
        period = ev.period_create(organization=world.branch_a, year=YEAR, kind=PeriodKind.YEAR)
        secretary = world.user("branch_a_secretary")
        for member, score in [(world.member_a, "95"), (poor, "30")]:
            ev.self_evaluation_save(period=period, member=member, summary="全年总结", score=Decimal(score))
            ev.assessment_save(period=period, member=member, score=Decimal(score), comment="评定", by=secretary)
        rnd = ev.award_round_create(
            organization=world.school_a, by=world.user("school_a_secretary"), year=YEAR,
            title=AwardTitle.PIONEER_POST, level=AwardLevel.SCHOOL, submit_from=D(YEAR, 12, 1),
            submit_until=D(YEAR, 12, 20), review_until=D(YEAR, 12, 31), quota=2,
        )
        nomination = ev.nomination_submit(round=rnd, member=world.member_a, deeds="示范课", by=secretary)
        ev.nomination_review(nomination=nomination, endorse=True, note="", by=world.user("school_a_secretary"))
        ev.period_close(period=period, by=world.user("school_a_secretary"))
        rect = ev.rectification_open(
            rating=Rating.objects.get(period=period, member=poor), meeting_on=D(YEAR, 12, 10),
            meeting_text="说明", deadline=D(YEAR, 12, 30), by=secretary,
        )
        sibling = _year_period(world, score="95", org=world.branch_b, secretary="branch_b_secretary")
        ev.period_close(period=sibling, by=world.user("school_b_secretary"))
    return plan, period, rnd, rect


def test_plan_step_six_lists_the_years_ratings_honours_and_rectifications(world, login):
    plan, period, rnd, rect = _plan_records(world)
    client = login(world.user("school_a_secretary"))
    r = client.get(reverse("targets:step", args=[plan.pk, "evaluation"]))
    body = r.content.decode()
    assert r.status_code == 200
    # grade counts per period (published only): 年终总评 优秀 1, 较差 1, total 2
    row = body[body.index('<tr data-kind="year">'):]
    row = row[:row.index("</tr>")]
    assert "<td>年终总评</td><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td>" in row
    assert reverse("evaluations:period_detail", args=[period.pk]) in row
    assert '<tr data-kind="q1"><td>一季一评</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>' in body
    assert "甲成员（甲校第一支部）：校级党员示范（先锋）岗" in body
    assert reverse("evaluations:award_round", args=[rnd.pk]) in body
    assert reverse("evaluations:rectification", args=[rect.pk]) in body and "甲二" in body and "整改中" in body
    assert reverse("evaluations:year_end", args=[world.school_a.pk, YEAR]) in body
    assert not any(marker in body for marker in ["乙成员", "乙校"])
    # the plan page shows the same in brief under its diagram
    body = client.get(reverse("targets:plan_detail", args=[plan.pk])).content.decode()
    assert 'id="plan-member-results"' in body and "年终总评：优秀 1 较差 1" in body
    assert "表彰 1 人次" in body and "限期整改 1 项（整改中 1 项）" in body


def test_plan_step_six_counts_only_published_results(world, login):
    with on(D(YEAR, 12, 10)):
        plan = make_plan(world.school_a, world.user("school_a_secretary"), year=YEAR)
        period = _year_period(world)
        ev.period_close(period=period, by=world.user("school_a_secretary"))
        # a withdrawn result (as when a period is reopened) is not counted
        Rating.objects.filter(period=period).update(published=False)
    body = login(world.user("school_a_secretary")).get(
        reverse("targets:step", args=[plan.pk, "evaluation"])).content.decode()
    assert "<td>年终总评</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>" in body


def test_plan_step_six_stays_hidden_from_a_sibling_subtree(world, login):
    plan, *_ = _plan_records(world)
    client = login(world.user("school_b_secretary"))
    assert client.get(reverse("targets:step", args=[plan.pk, "evaluation"])).status_code == 404
    assert client.get(reverse("targets:plan_detail", args=[plan.pk])).status_code == 404
