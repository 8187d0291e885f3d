"""The evaluations' fairness rules, held by the server whatever page or crafted request they come through:
nobody assesses themselves (a secretary is assessed one level up), a poll's counting rules are fixed once it has
started, and only eligible members are nominated for an award."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations import services
from evaluations.enums import AppraisalConclusion, AwardLevel, AwardTitle, Grade, PeriodKind
from evaluations.models import Assessment, DemocraticAppraisal, Nomination, Poll, Rating
from evaluations.selectors import nomination_eligibility
from evaluations.services.polls import poll_scale
from organizations.enums import Role
from organizations.models import RoleAssignment
from tests.evaluations_fixtures import cast, open_period
from tests.page_tokens import hidden_value
from tests.world import make_member, make_user

pytestmark = pytest.mark.django_db

D = Decimal
SELF = "不能评定本人，请由上级党组织评定"
TODAY = datetime.date(2026, 3, 16)  # inside the Q1 window


@pytest.fixture(autouse=True)
def _on_a_q1_day():
    """Every test runs on 16 March 2026, 10:00 Beijing time (services read today as timezone.localdate())."""
    moment = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def _branch_secretary(world):
    """The branch secretary of branch A is herself a member of the branch, rated in its periods."""
    return make_member(world.branch_a, "甲支部书记", phone="13900000031", user=world.user("branch_a_secretary"))


def _assess_url(period, member):
    return reverse("evaluations:assessment", args=[period.pk, member.pk])


# ---- nobody assesses themselves ------------------------------------------------------------------------------------


def test_it_refuses_a_secretary_assessing_herself_and_writes_nothing(world):
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    with pytest.raises(ValidationError) as e:
        services.assessment_save(period=period, member=me, score=D("99"), comment="自评优秀",
                                 by=world.user("branch_a_secretary"))
    assert SELF in e.value.messages
    assert Assessment.objects.count() == 0


def test_it_refuses_her_crafted_posts_on_both_assessment_pages(world, login):
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    client = login(world.user("branch_a_secretary"))
    r = client.post(_assess_url(period, me), {"score": "99", "comment": "优秀"})
    assert r.status_code == 400 and SELF in r.content.decode()
    assert Assessment.objects.count() == 0
    batch = reverse("evaluations:assess_batch", args=[period.pk])
    r = client.post(batch, {f"score_{me.pk}": "99", f"comment_{me.pk}": "优秀",
                            f"score_{world.member_a.pk}": "85", f"comment_{world.member_a.pk}": "认真履职"})
    assert r.status_code == 400 and SELF in r.content.decode()
    # the other row is saved on its own; hers is not
    assert list(Assessment.objects.values_list("member_id", flat=True)) == [world.member_a.pk]


def test_it_shows_her_row_without_a_form_and_says_who_assesses(world, login):
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    client = login(world.user("branch_a_secretary"))
    page = client.get(_assess_url(period, me))
    assert page.status_code == 200
    body = page.content.decode()
    assert SELF in body and 'name="score"' not in body
    body = client.get(reverse("evaluations:assess_batch", args=[period.pk])).content.decode()
    assert SELF in body
    assert f'name="score_{me.pk}"' not in body and f'name="score_{world.member_a.pk}"' in body
    body = client.get(period.get_absolute_url()).content.decode()
    assert _assess_url(period, world.member_a) in body and _assess_url(period, me) not in body
    assert "由上级党组织评定" in body


def test_the_school_secretary_assesses_the_branch_secretary(world, login):
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    school = login(world.user("school_a_secretary"))
    body = school.get(reverse("evaluations:assess_batch", args=[period.pk])).content.decode()
    assert f'name="score_{me.pk}"' in body
    r = school.post(_assess_url(period, me), {"score": "92", "comment": "支部工作扎实"})
    assert r.status_code == 302
    assessment = Assessment.objects.get(period=period, member=me)
    assert assessment.score == D("92") and assessment.by == world.user("school_a_secretary")


def test_another_secretary_of_the_branch_cannot_assess_its_secretary(world):
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    deputy = make_user("branch_a_deputy")
    RoleAssignment.objects.create(user=deputy, organization=world.branch_a, role=Role.BRANCH_SECRETARY)
    with pytest.raises(ValidationError, match="须由上级党组织评定"):
        services.assessment_save(period=period, member=me, score=D("95"), comment="好", by=deputy)
    assert not Assessment.objects.filter(member=me).exists()
    # an ordinary member of the branch is still the deputy's to assess
    services.assessment_save(period=period, member=world.member_a, score=D("85"), comment="认真", by=deputy)


def test_the_committee_above_assesses_the_school_secretary(world, login):
    """A school secretary rated in her school's period is assessed by the county committee; the county staff reach
    her row, and only hers; the sibling county sees nothing."""
    period = open_period(world.school_a)
    head = make_member(world.school_a, "甲校书记", phone="13900000032", user=world.user("school_a_secretary"))
    with pytest.raises(ValidationError, match=SELF):
        services.assessment_save(period=period, member=head, score=D("99"), comment="好",
                                 by=world.user("school_a_secretary"))
    county = login(world.user("county_a_staff"))
    batch = reverse("evaluations:assess_batch", args=[period.pk])
    body = county.get(batch).content.decode()
    assert f'name="score_{head.pk}"' in body and f'name="score_{world.member_a.pk}"' not in body
    assert county.get(_assess_url(period, world.member_a)).status_code == 403
    r = county.post(_assess_url(period, head), {"score": "90", "comment": "领导班子建设有力"})
    assert r.status_code == 302
    assert Assessment.objects.get(member=head).by == world.user("county_a_staff")
    assert login(world.user("county_b_staff")).get(batch).status_code == 404


def test_close_waits_for_the_assessment_from_above(world):
    """The missing-assessment check at close counts the secretary like everyone else: refused until the school
    has assessed her, then her result carries the school's score."""
    period = open_period(world.branch_a)
    me = _branch_secretary(world)
    branch, school = world.user("branch_a_secretary"), world.user("school_a_secretary")
    for member in (me, world.member_a):
        services.self_evaluation_save(period=period, member=member, summary="履岗小结", score=D("90"))
    services.assessment_save(period=period, member=world.member_a, score=D("85"), comment="认真", by=branch)
    with pytest.raises(ValidationError) as e:
        services.period_close(period=period, by=branch)
    assert "甲支部书记" in " ".join(e.value.messages)
    assert not Rating.objects.exists()
    services.assessment_save(period=period, member=me, score=D("80"), comment="有待加强", by=school)
    services.period_close(period=period, by=branch)
    assert Rating.objects.get(period=period, member=me).org_score == D("80")


# ---- the poll's counting rules are fixed once it has started -------------------------------------------------------


def test_it_lets_the_minimum_change_before_the_poll_starts(world):
    period = open_period(world.branch_a)
    services.poll_update(poll=period.poll, minimum_ballots=3, anonymous=True)
    assert Poll.objects.get(pk=period.poll.pk).minimum_ballots == 3


def test_it_refuses_lowering_the_minimum_once_codes_are_issued(world):
    period = open_period(world.branch_a)
    services.poll_codes_generate(poll=period.poll, count=5)
    with pytest.raises(ValidationError) as e:
        services.poll_update(poll=period.poll, minimum_ballots=1, anonymous=True)
    assert e.value.message_dict["minimum_ballots"] == ["民意测评已开始，最少有效票数不能再修改"]
    assert Poll.objects.get(pk=period.poll.pk).minimum_ballots == 10


def test_it_refuses_a_crafted_post_lowering_the_minimum_of_an_open_poll(world, login):
    period = open_period(world.branch_a)
    cast(period.poll, [world.member_a], 0, 1)
    client = login(world.user("branch_a_secretary"))
    url = reverse("evaluations:poll", args=[period.pk])
    token = hidden_value(client, url)
    r = client.post(url, {"minimum_ballots": "1", "anonymous": "on", "fingerprint": token})
    assert r.status_code == 400 and "最少有效票数不能再修改" in r.content.decode()
    r = client.post(url, {"minimum_ballots": "10", "anonymous": "false", "fingerprint": token})  # signed, crafted
    assert r.status_code == 400 and "不能再更改是否无记名" in r.content.decode()
    poll = Poll.objects.get(pk=period.poll.pk)
    assert (poll.minimum_ballots, poll.anonymous) == (10, True)


def test_it_shows_the_fixed_fields_read_only_and_still_moves_the_closing_time(world, login):
    period = open_period(world.branch_a)
    services.poll_codes_generate(poll=period.poll, count=2)
    client = login(world.user("branch_a_secretary"))
    url = reverse("evaluations:poll", args=[period.pk])
    body = client.get(url).content.decode()
    assert "测评已开始" in body
    for name in ("minimum_ballots", "anonymous", "opens_at"):
        tag = body[body.index(f'name="{name}"') - 200: body.index(f'name="{name}"') + 200]
        assert "disabled" in tag, name
    r = client.post(url, {"closes_at": "2026-03-20T18:00", "fingerprint": hidden_value(client, url)})  # what the
    # read-only form sends
    assert r.status_code == 302
    poll = Poll.objects.get(pk=period.poll.pk)
    assert poll.closes_at is not None and poll.minimum_ballots == 10 and poll.anonymous


def test_it_refuses_the_minimum_once_the_opening_time_has_come(world):
    period = open_period(world.branch_a)
    services.poll_update(poll=period.poll, minimum_ballots=10, anonymous=True,
                         opens_at=datetime.datetime(2026, 3, 16, 0, 0, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError, match="最少有效票数不能再修改"):
        services.poll_update(poll=period.poll, minimum_ballots=1, anonymous=True,
                             opens_at=datetime.datetime(2026, 3, 16, 0, 0, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError, match="开始投票时间不能再修改"):
        services.poll_update(poll=period.poll, minimum_ballots=10, anonymous=True, opens_at=None)
    assert Poll.objects.get(pk=period.poll.pk).minimum_ballots == 10


def test_it_keeps_the_scale_the_poll_started_with(world):
    period = open_period(world.branch_a)
    services.poll_codes_generate(poll=period.poll, count=2)
    services.settings_save(organization=world.branch_a, weight_self=20, weight_poll=30, weight_org=50,
                           threshold_excellent=D("90"), threshold_good=D("80"), threshold_fair=D("60"),
                           poll_scale=[{"label": "满意", "score": 100}, {"label": "不满意", "score": 0}])
    poll = Poll.objects.get(pk=period.poll.pk)
    assert [o["label"] for o in poll_scale(poll)] == ["好", "较好", "一般", "差"]
    cast(poll, [world.member_a], 3, 1)  # 差 = 50 on the poll's scale, not 不满意
    services.poll_close(poll=poll)
    poll.refresh_from_db()
    poll.minimum_ballots = 1
    assert services.poll_results(poll) == {world.member_a.pk: D("50.00")}


# ---- award nominations check eligibility ---------------------------------------------------------------------------


def _round(world):
    today = TODAY
    return services.award_round_create(
        organization=world.school_a, by=world.user("school_a_secretary"), year=2026, title=AwardTitle.EXCELLENT_MEMBER,
        level=AwardLevel.SCHOOL, submit_from=today, submit_until=today + datetime.timedelta(days=7),
        review_until=today + datetime.timedelta(days=14), quota=3,
    )


def _poor_with_rectification(world, *, deadline=datetime.date(2026, 4, 30)):
    """甲二 rated 较差 in 2026's 半年初评, under 限期整改."""
    poor = make_member(world.branch_a, "甲二", phone="13900000041")
    period = open_period(world.branch_a, kind=PeriodKind.H1)
    sec = world.user("branch_a_secretary")
    for member in services.period_members(period):
        services.self_evaluation_save(period=period, member=member, summary="小结", score=D("40" if member == poor else "90"))
        services.assessment_save(period=period, member=member, score=D("30" if member == poor else "90"), comment="评定",
                                 by=sec)
    services.period_close(period=period, by=sec)
    rating = Rating.objects.get(period=period, member=poor)
    assert rating.grade == Grade.POOR
    services.rectification_open(rating=rating, meeting_on=datetime.date(2026, 3, 16), meeting_text="大会说明",
                                deadline=deadline, by=sec)
    return poor


def test_it_refuses_nominating_a_member_rated_poor_and_writes_nothing(world):
    rnd = _round(world)
    poor = _poor_with_rectification(world)
    with pytest.raises(ValidationError) as e:
        services.nomination_submit(round=rnd, member=poor, deeds="事迹", by=world.user("branch_a_secretary"))
    text = " ".join(e.value.messages)
    assert "2026年半年初评等次为较差" in text and "有未完成的限期整改" in text
    assert not Nomination.objects.exists()


def test_it_refuses_a_crafted_post_for_an_ineligible_member(world, login):
    rnd = _round(world)
    poor = _poor_with_rectification(world)
    client = login(world.user("branch_a_secretary"))
    r = client.post(rnd.get_absolute_url(), {"member": poor.pk, "deeds": "事迹"})
    assert r.status_code == 400
    assert "2026年半年初评等次为较差" in r.content.decode()
    assert not Nomination.objects.exists()


def test_it_refuses_nominating_twice_in_a_round(world):
    rnd = _round(world)
    sec = world.user("branch_a_secretary")
    services.nomination_submit(round=rnd, member=world.member_a, deeds="事迹", by=sec)
    with pytest.raises(ValidationError, match="已在本轮推荐"):
        services.nomination_submit(round=rnd, member=world.member_a, deeds="又一次", by=sec)
    assert Nomination.objects.count() == 1


def test_it_refuses_an_unqualified_appraisal_and_an_overdue_rectification(world):
    rnd = _round(world)
    DemocraticAppraisal.objects.create(organization=world.branch_a, member=world.member_a, year=2026,
                                       conclusion=AppraisalConclusion.UNQUALIFIED, by=world.user("branch_a_secretary"))
    poor = _poor_with_rectification(world, deadline=datetime.date(2026, 3, 16))
    reasons = nomination_eligibility(rnd, [world.member_a, poor])
    assert reasons[world.member_a.pk] == ["2026年民主评议结论为不合格"]
    assert "有未完成的限期整改" in reasons[poor.pk]


def test_the_nomination_page_offers_the_eligible_and_greys_out_the_others_with_reasons(world, login):
    rnd = _round(world)
    poor = _poor_with_rectification(world)
    sec = world.user("branch_a_secretary")
    nominated = make_member(world.branch_a, "甲三", phone="13900000042")
    services.nomination_submit(round=rnd, member=nominated, deeds="事迹", by=sec)
    body = login(sec).get(rnd.get_absolute_url()).content.decode()
    select = body[body.index('name="member"'): body.index("</select>", body.index('name="member"'))]
    assert f'value="{world.member_a.pk}"' in select
    assert f'value="{poor.pk}"' not in select and f'value="{nominated.pk}"' not in select
    assert "不符合推荐条件" in body
    assert "2026年半年初评等次为较差" in body and "有未完成的限期整改" in body and "已在本轮推荐" in body
