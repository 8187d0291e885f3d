"""Loose ends of the rating rules: who may mark a part 未参加 (the assessor's rule), the flags on the published results
list, the poll's own scale in the snapshot, and 限期整改 that runs on after its year is archived."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations import services
from evaluations.enums import PeriodKind, PublicationScope, RectificationState
from evaluations.models import PartAbsence, Rating, Rectification
from organizations.enums import Role
from organizations.models import RoleAssignment
from tests.evaluations_fixtures import cast, closed_period, evaluation_today, on_day, open_period  # noqa: F401
from tests.world import make_member, make_user
from years.models import WorkYear
from years.services import year_open

pytestmark = pytest.mark.django_db

D = Decimal
OWN = "不能将本人的考评项目标记为未参加，请由上级党组织标记"


def _branch_secretary(world):
    """The branch secretary of branch A is herself a member of the branch, rated in its periods."""
    return make_member(world.branch_a, "甲支部书记", phone="13900000031", user=world.user("branch_a_secretary"))


def _mark_url(period):
    return reverse("evaluations:absence_mark", args=[period.pk])


# ---- who marks a part 未参加 follows who assesses -------------------------------------------------------------------


def test_a_branch_secretary_cannot_mark_her_own_parts_absent_and_nothing_is_written(world, login):
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    branch = world.user("branch_a_secretary")
    client = login(branch)
    for part in ("org", "self"):
        # crafted: the close page offers no form on her own row
        r = client.post(_mark_url(period), {"member": me.pk, "part": part, "reason": "sick", "note": ""})
        assert r.status_code == 400 and OWN in r.content.decode()
        with pytest.raises(ValidationError) as e:
            services.absence_mark(period=period, member=me, part=part, reason="sick", by=branch)
        assert OWN in e.value.messages
    assert not PartAbsence.objects.exists()
    # so she cannot close the period without the school's assessment of her
    services.assessment_save(period=period, member=world.member_a, score=D("85"), comment="认真", by=branch)
    services.self_evaluation_save(period=period, member=world.member_a, summary="完成承诺", score=D("88"))
    services.self_evaluation_save(period=period, member=me, summary="完成承诺", score=D("95"))
    with pytest.raises(ValidationError, match="甲支部书记（综合评定）"):
        services.period_close(period=period, by=branch)
    assert not Rating.objects.exists()


def test_the_close_page_offers_no_mark_on_her_own_row_and_says_who_marks(world, login):
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    body = login(world.user("branch_a_secretary")).get(
        reverse("evaluations:period_closing", args=[period.pk])
    ).content.decode()
    mine = body.split(f'data-member="{me.pk}" data-part="self"', 1)[1].split("</tr>", 1)[0]
    assert OWN in mine and "<form" not in mine
    theirs = body.split(f'data-member="{world.member_a.pk}" data-part="self"', 1)[1].split("</tr>", 1)[0]
    assert "<form" in theirs and OWN not in theirs


def test_the_school_marks_the_branch_secretarys_part_and_she_cannot_withdraw_it(world, login):
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    school = login(world.user("school_a_secretary"))
    r = school.post(_mark_url(period), {"member": me.pk, "part": "org", "reason": "away", "note": ""})
    assert r.status_code == 302
    mark = PartAbsence.objects.get()
    assert (mark.member, mark.part, mark.by) == (me, "org", world.user("school_a_secretary"))
    # crafted withdrawal by herself: refused with the message, the mark stays
    r = login(world.user("branch_a_secretary")).post(
        reverse("evaluations:absence_clear", args=[period.pk]), {"absence": mark.pk}, follow=True
    )
    assert OWN in r.content.decode()
    assert PartAbsence.objects.filter(pk=mark.pk).exists()
    with pytest.raises(ValidationError, match=OWN):
        services.absence_clear(absence=mark, by=world.user("branch_a_secretary"))
    services.absence_clear(absence=mark, by=world.user("school_a_secretary"))
    assert not PartAbsence.objects.exists()


def test_another_secretary_of_the_branch_cannot_mark_its_secretarys_part(world):
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    deputy = make_user("branch_a_deputy")
    RoleAssignment.objects.create(user=deputy, organization=world.branch_a, role=Role.BRANCH_SECRETARY)
    with pytest.raises(ValidationError, match="甲支部书记是甲校第一支部书记，其考评项目须由上级党组织标记未参加"):
        services.absence_mark(period=period, member=me, part="org", reason="sick", by=deputy)
    assert not PartAbsence.objects.exists()
    services.absence_mark(period=period, member=world.member_a, part="self", reason="sick", by=deputy)
    assert PartAbsence.objects.get().member == world.member_a


# ---- the published list carries the flags, never the reasons --------------------------------------------------------


def test_the_published_results_list_flags_a_grade_computed_without_a_part(world, login):
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    colleague = make_member(world.branch_a, "甲同事", phone="13900000041")
    for m in (world.member_a, colleague):
        services.assessment_save(period=period, member=m, score=D("85"), comment="认真", by=sec)
    services.self_evaluation_save(period=period, member=colleague, summary="完成承诺", score=D("90"))
    services.absence_mark(period=period, member=world.member_a, part="self", reason="other", note="外派支教", by=sec)
    services.period_close(period=period, by=sec)
    services.results_publish_scope_set(period=period, scope=PublicationScope.PUBLIC, show_scores=False, by=sec)
    body = login(world.user("member_a")).get(reverse("evaluations:period_results", args=[period.pk])).content.decode()
    rows = {
        row.split("</td>", 1)[0].split(">")[-1]: row.split("</tr>", 1)[0] for row in body.split("<tr data-result>")[1:]
    }
    # no poll counted (no ballots): both lack 测评; only 甲成员 lacks the self-evaluation
    assert 'data-missing="self"' in rows["甲成员"] and "缺自评" in rows["甲成员"] and "缺测评" in rows["甲成员"]
    assert "缺自评" not in rows["甲同事"] and "缺测评" in rows["甲同事"]
    assert "外派支教" not in body and "其他" not in body  # the reason is private
    # the public page shows the same flag
    public = login(world.user("member_b")).get(reverse("targets:public", args=[world.branch_a.pk])).content.decode()
    assert "缺自评" in public and "外派支教" not in public


# ---- the snapshot records the scale the poll ran with ---------------------------------------------------------------


def test_the_snapshot_records_the_scale_the_poll_ran_with(world):
    period = open_period(world.branch_a)
    sec = world.user("branch_a_secretary")
    poll = period.poll
    poll.minimum_ballots = 1
    poll.save()
    services.poll_codes_generate(poll=poll, count=1)  # the poll's scale is fixed now: 好 / 较好 / 一般 / 差
    services.settings_save(organization=world.branch_a, weight_self=20, weight_poll=30, weight_org=50,
                           threshold_excellent=D("90"), threshold_good=D("80"), threshold_fair=D("60"),
                           poll_scale=[{"label": "满意", "score": 100}, {"label": "不满意", "score": 0}])
    cast(poll, [world.member_a], 3, 1)  # 差 = 50
    services.assessment_save(period=period, member=world.member_a, score=D("85"), comment="认真", by=sec)
    services.self_evaluation_save(period=period, member=world.member_a, summary="完成承诺", score=D("90"))
    services.period_close(period=period, by=sec)
    rating = Rating.objects.get()
    assert rating.poll_score == D("50.00")
    assert [o["label"] for o in rating.snapshot["scale"]] == ["好", "较好", "一般", "差"]
    # the weights are the settings in force at closing (what the snapshot is for)
    assert rating.snapshot["weights"] == {"self": 20, "poll": 30, "org": 50}


# ---- 限期整改 runs on past the year's end -----------------------------------------------------------------------------


def test_a_rectification_of_2026_is_opened_followed_and_closed_after_2027_is_opened(world, login):
    period = closed_period(world, kind=PeriodKind.YEAR, score="30")
    rating = Rating.objects.get(period=period)
    assert rating.grade == "poor"
    sec = world.user("branch_a_secretary")
    with on_day(datetime.date(2027, 1, 5)):
        year_open(year=2027, by=world.user("city_staff"))
        assert WorkYear.objects.get(year=2026).state == "archived"
        client = login(sec)
        r = client.post(reverse("evaluations:rectification_open", args=[rating.pk]), {
            "meeting_on": "2027-01-08", "meeting_text": "本人在党员大会上作了说明", "deadline": "2027-03-31"})
        assert r.status_code == 302
        rect = Rectification.objects.get(rating=rating)
        r = client.post(rect.get_absolute_url(), {"on": "2027-02-10", "text": "已补交教学反思"})
        assert r.status_code == 302 and rect.follow_ups.count() == 1
        services.rectification_end(rectification=rect, escalate=False, outcome="整改到位", by=sec)
        rect.refresh_from_db()
        assert rect.state == RectificationState.CLOSED
        # the result itself and its period stay read-only
        with pytest.raises(ValidationError, match="2026年度已归档"):
            services.period_reopen(period=period, by=sec, reason="更正评定")
        with pytest.raises(ValidationError, match="2026年度已归档"):
            services.assessment_save(period=period, member=world.member_a, score=D("90"), comment="改", by=sec)
        rating.refresh_from_db()
        assert rating.grade == "poor" and rating.version == 1
