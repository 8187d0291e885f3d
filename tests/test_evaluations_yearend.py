import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.enums import AwardLevel, AwardTitle, Grade, PeriodKind
from evaluations.models import (
    DemocraticAppraisal,
    MemberHonour,
    Nomination,
    Rating,
    Rectification,
    ReserveCadreProposal,
)
from organizations.models import Member
from tests.evaluations_fixtures import closed_period, evaluation_today  # noqa: F401 (evaluation_today: autouse)

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    """Read at each use: a run that crosses midnight (Asia/Shanghai) must not mix two dates."""
    return timezone.localdate()


def _round(world, level=AwardLevel.SCHOOL, org=None, by="school_a_secretary"):
    return services.award_round_create(
        organization=org or world.school_a, by=world.user(by), year=2026, title=AwardTitle.EXCELLENT_MEMBER,
        level=level, submit_from=_today(), submit_until=_today(), review_until=_today() + datetime.timedelta(days=7),
    )


def test_it_shows_the_four_periods_side_by_side(world, login):
    for kind, score in [(PeriodKind.Q1, "95"), (PeriodKind.H1, "70"), (PeriodKind.YEAR, "100")]:
        closed_period(world, kind=kind, score=score)
    body = login(world.user("branch_a_secretary")).get(
        reverse("evaluations:year_end", args=[world.branch_a.pk, 2026])
    ).content.decode()
    for label in ["一季一评", "半年初评", "三季一评", "年终总评", "甲成员"]:
        assert label in body
    assert body.count("grade-") >= 3


def test_it_records_the_democratic_appraisal_with_the_year_grade(world, login):
    closed_period(world, kind=PeriodKind.YEAR, score="100")
    client = login(world.user("branch_a_secretary"))
    url = reverse("evaluations:appraisal", args=[world.branch_a.pk, 2026, world.member_a.pk])
    assert client.post(url, {"conclusion": "qualified", "notes": "表现合格"}).status_code == 302
    appraisal = DemocraticAppraisal.objects.get()
    assert (appraisal.conclusion, appraisal.year_grade) == ("qualified", Rating.objects.get().grade)
    assert login(world.user("county_a_staff")).post(url, {"conclusion": "excellent"}).status_code == 403


def test_it_runs_a_school_round_and_confers_the_honour(world, login):
    rnd = _round(world)
    branch = login(world.user("branch_a_secretary"))
    r = branch.post(reverse("evaluations:award_round", args=[rnd.pk]), {"member": world.member_a.pk, "deeds": "教学成绩突出"})
    assert r.status_code == 302
    nomination = Nomination.objects.get()
    Member.objects.filter(pk=world.member_a.pk).update(job="教务处主任")
    nomination.refresh_from_db()
    assert (nomination.name, nomination.job, nomination.organization_name) == ("甲成员", "语文教师", "甲校第一支部")
    # the branch secretary cannot review its own nomination
    assert branch.post(reverse("evaluations:nomination_decide", args=[nomination.pk]), {"decision": "yes"}).status_code == 403
    school = login(world.user("school_a_secretary"))
    school.post(reverse("evaluations:nomination_decide", args=[nomination.pk]), {"decision": "yes"})
    nomination.refresh_from_db()
    assert nomination.state == "approved"
    honour = MemberHonour.objects.get()
    assert (honour.member, honour.title, honour.level) == (world.member_a, "excellent_member", "school")
    body = school.get(reverse("evaluations:award_round", args=[rnd.pk])).content.decode()
    assert "已批准 1" in body


def test_it_needs_the_committee_for_city_level_titles(world):
    rnd = _round(world, level=AwardLevel.CITY, org=world.city, by="city_staff")
    n = services.nomination_submit(round=rnd, member=world.member_a, deeds="事迹", by=world.user("branch_a_secretary"))
    services.nomination_review(nomination=n, endorse=True, note="", by=world.user("school_a_secretary"))
    n.refresh_from_db()
    assert n.state == "endorsed" and not MemberHonour.objects.exists()
    with pytest.raises(ValidationError):
        services.nomination_approve(nomination=n, approve=False, note="", by=world.user("city_staff"))
    services.nomination_approve(nomination=n, approve=True, note="", by=world.user("city_staff"))
    assert MemberHonour.objects.get().level == "city"


def test_it_refuses_nominations_outside_the_window(world):
    rnd = _round(world)
    with pytest.raises(ValidationError, match="不在推荐时间内"):
        services.nomination_submit(round=rnd, member=world.member_a, deeds="事迹", by=world.user("branch_a_secretary"),
                                   today=_today() + datetime.timedelta(days=1))


def test_it_proposes_young_members_with_good_results_as_reserve_cadres(world, login):
    Member.objects.filter(pk=world.member_a.pk).update(birth_year=1995)
    with pytest.raises(ValidationError, match="优秀或良好"):
        services.reserve_propose(member=world.member_a, year=2026, reason="年轻", by=world.user("branch_a_secretary"))
    closed_period(world, kind=PeriodKind.YEAR, votes=1, score="100")
    assert Rating.objects.get().grade in {"excellent", "good"}
    client = login(world.user("branch_a_secretary"))
    url = reverse("evaluations:reserve", args=[world.branch_a.pk]) + "?year=2026"
    assert client.post(url, {"member": world.member_a.pk, "reason": "业务骨干，年终总评优秀"}).status_code == 302
    proposal = ReserveCadreProposal.objects.get()
    client.post(reverse("evaluations:reserve_decide", args=[proposal.pk]), {"decision": "yes"})
    member = Member.objects.get(pk=world.member_a.pk)
    assert member.is_reserve_cadre and member.reserve_reason == "业务骨干，年终总评优秀"


def test_it_rectifies_a_poor_result_and_flags_it_overdue(world, login):
    period = closed_period(world, kind=PeriodKind.Q1, score="30")
    rating = Rating.objects.get(period=period)
    assert rating.grade == "poor"
    client = login(world.user("branch_a_secretary"))
    lst = reverse("evaluations:rectifications", args=[world.branch_a.pk])
    assert "待启动整改" in client.get(lst).content.decode()
    r = client.post(reverse("evaluations:rectification_open", args=[rating.pk]), {
        "meeting_on": "2026-04-03", "meeting_text": "本人在党员大会上作了说明", "deadline": "2026-05-31"})
    assert r.status_code == 302
    rect = rating.rectification
    assert rect.is_overdue(datetime.date(2026, 6, 1)) and not rect.is_overdue(datetime.date(2026, 5, 31))
    client.post(rect.get_absolute_url(), {"on": "2026-05-10", "text": "已补交教学反思"})
    assert rect.follow_ups.count() == 1
    bad = client.post(rect.get_absolute_url(), {"escalate": "close", "outcome": ""})
    assert bad.status_code == 400
    client.post(rect.get_absolute_url(), {"escalate": "close", "outcome": "整改到位"})
    rect.refresh_from_db()
    assert rect.state == "closed"
    # the member reads it, cannot change it
    member = login(world.user("member_a"))
    assert member.get(rect.get_absolute_url()).status_code == 200
    assert member.post(rect.get_absolute_url(), {"on": "2026-05-10", "text": "x"}).status_code == 403


def test_it_opens_rectification_only_for_poor_results(world):
    period = closed_period(world, score="100")
    rating = Rating.objects.get(period=period)
    assert rating.grade == Grade.EXCELLENT
    with pytest.raises(ValidationError, match="较差"):
        services.rectification_open(rating=rating, meeting_on=_today(), meeting_text="x",
                                    deadline=_today(), by=world.user("branch_a_secretary"))
    assert not Rectification.objects.exists()


def test_it_refuses_a_review_after_the_review_window(world):
    rnd = _round(world)
    n = services.nomination_submit(round=rnd, member=world.member_a, deeds="事迹", by=world.user("branch_a_secretary"))
    with pytest.raises(ValidationError, match="审核已于"):
        services.nomination_review(nomination=n, endorse=True, note="", by=world.user("school_a_secretary"),
                                   today=rnd.review_until + datetime.timedelta(days=1))


def test_it_lists_the_branches_periods_for_the_school(world, login):
    closed_period(world)
    body = login(world.user("school_a_secretary")).get(
        reverse("evaluations:org_periods", args=[world.school_a.pk])
    ).content.decode()
    assert "甲校第一支部" in body and "2026年一季一评" in body
