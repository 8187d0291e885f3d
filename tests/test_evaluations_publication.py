"""个人季度、年度考评结果在一定范围内公布 (三.六, 五.三): the organization chooses the scope of a closed period's
results; members within it see the list, the public page shows the year's awards and, when published to society,
the grades."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.enums import AwardLevel, AwardTitle, PublicationScope
from evaluations.models import PeriodPublication
from organizations.enums import OrgKind, Role
from organizations.models import RoleAssignment
from organizations.services import organization_create
from tests.evaluations_fixtures import open_period
from tests.world import make_member, make_user

pytestmark = pytest.mark.django_db


def _year() -> int:
    return timezone.localdate().year


@pytest.fixture
def period(world):
    """Branch A's 一季一评 of this year, assessed and closed inside its window (15 March)."""
    inside = datetime.datetime(_year(), 3, 15, 2, 0, tzinfo=datetime.UTC)
    secretary = world.user("branch_a_secretary")
    with mock.patch("django.utils.timezone.now", return_value=inside):
        period = open_period(world.branch_a, year=_year())
        for member in services.period_members(period):
            services.self_evaluation_save(period=period, member=member, summary="按承诺完成", score=Decimal("88"))
            services.assessment_save(period=period, member=member, score=Decimal("95"), comment="表现突出", by=secretary)
        services.period_close(period=period, by=secretary)
    period.refresh_from_db()
    return period


@pytest.fixture
def sibling(world):
    """A second branch of school A, with a member who has a login."""
    branch = organization_create(parent=world.school_a, name="甲校第二支部", kind=OrgKind.BRANCH, code="T-A-S-B2",
                                 school_name="甲校")
    user = make_user("member_a2", "甲二成员")
    RoleAssignment.objects.create(user=user, organization=branch, role=Role.MEMBER)
    make_member(branch, "甲二成员", phone="13900000003", user=user)
    return user


def _publish(period, world, scope, show_scores=False):
    return services.results_publish_scope_set(
        period=period, scope=scope, show_scores=show_scores, by=world.user("branch_a_secretary")
    )


def _results(client, period):
    return client.get(reverse("evaluations:period_results", args=[period.pk]))


def test_it_keeps_results_to_member_and_secretary_until_a_scope_is_chosen(world, login, period, sibling):
    assert _results(login(sibling), period).status_code == 404
    body = login(world.user("member_a")).get(reverse("evaluations:my_results")).content.decode()
    assert reverse("evaluations:period_results", args=[period.pk]) not in body


def test_it_shows_the_branch_list_to_its_members_once_published_to_the_organization(world, login, period):
    _publish(period, world, PublicationScope.ORGANIZATION)
    client = login(world.user("member_a"))
    home = client.get(reverse("evaluations:my_results")).content.decode()
    url = reverse("evaluations:period_results", args=[period.pk])
    assert url in home and "组织公布的考评结果" in home
    r = client.get(url)
    body = r.content.decode()
    assert r.status_code == 200 and "甲成员" in body and 'data-grade="' in body and "本组织党员" in body
    rating = period.ratings.get(member=world.member_a)
    assert str(rating.weighted_score) not in body  # grades only unless scores were chosen
    assert "13900000001" not in body and "民意测评" not in body


def test_it_shows_a_sibling_branch_of_the_school_only_with_the_whole_school(world, login, period, sibling):
    _publish(period, world, PublicationScope.ORGANIZATION)
    assert _results(login(sibling), period).status_code == 404
    _publish(period, world, PublicationScope.SCHOOL)
    r = _results(login(sibling), period)
    assert r.status_code == 200 and "甲成员" in r.content.decode()
    home = login(sibling).get(reverse("evaluations:my_results")).content.decode()
    assert reverse("evaluations:period_results", args=[period.pk]) in home


def test_it_hides_the_list_from_a_sibling_school(world, login, period):
    _publish(period, world, PublicationScope.SCHOOL)
    assert _results(login(world.user("member_b")), period).status_code == 404
    home = login(world.user("member_b")).get(reverse("evaluations:my_results")).content.decode()
    assert reverse("evaluations:period_results", args=[period.pk]) not in home


def test_it_shows_grades_to_anyone_only_when_published_to_society(world, client, period):
    public_url = reverse("targets:public", args=[world.school_a.pk])
    rating = period.ratings.get(member=world.member_a)
    for scope in [None, PublicationScope.ORGANIZATION, PublicationScope.SCHOOL]:
        if scope:
            _publish(period, world, scope)
        assert _results(client, period).status_code == 404
        assert "甲成员" not in client.get(public_url).content.decode()
    _publish(period, world, PublicationScope.PUBLIC)
    body = client.get(public_url).content.decode()
    assert "data-public-result" in body and "甲成员" in body and rating.get_grade_display() in body
    assert str(rating.weighted_score) not in body and "13900000001" not in body
    assert _results(client, period).status_code == 200
    _publish(period, world, PublicationScope.PUBLIC, show_scores=True)
    body = client.get(public_url).content.decode()
    assert str(rating.weighted_score) in body and "13900000001" not in body
    assert str(rating.weighted_score) in _results(client, period).content.decode()


def test_it_refuses_a_scope_for_an_open_period_and_writes_nothing(world, login):
    period = open_period(world.branch_a, year=_year())
    r = login(world.user("branch_a_secretary")).post(
        reverse("evaluations:results_publication", args=[period.pk]), {"scope": PublicationScope.PUBLIC}
    )
    assert r.status_code == 400 and "考评期结束后才能确定考评结果的公布范围" in r.content.decode()
    assert not PeriodPublication.objects.exists()
    with pytest.raises(ValidationError, match="考评期结束后"):
        _publish(period, world, PublicationScope.PUBLIC)
    assert not PeriodPublication.objects.exists()


def test_it_refuses_a_scope_set_by_a_plain_member_and_writes_nothing(world, login, period):
    url = reverse("evaluations:results_publication", args=[period.pk])
    r = login(world.user("member_a")).post(url, {"scope": PublicationScope.PUBLIC, "show_scores": "on"})
    assert r.status_code in (403, 404)
    r = login(world.user("county_a_staff")).post(url, {"scope": PublicationScope.PUBLIC})
    assert r.status_code in (403, 404)
    with pytest.raises(ValidationError, match="只有本组织书记"):
        services.results_publish_scope_set(period=period, scope=PublicationScope.PUBLIC, by=world.user("member_a"))
    assert not PeriodPublication.objects.exists()


def test_it_refuses_an_unknown_scope_and_writes_nothing(world, login, period):
    r = login(world.user("branch_a_secretary")).post(
        reverse("evaluations:results_publication", args=[period.pk]), {"scope": "everyone"}
    )
    assert r.status_code == 400
    with pytest.raises(ValidationError):
        _publish(period, world, "everyone")
    assert not PeriodPublication.objects.exists()


def test_the_secretary_sets_the_scope_from_the_period_page(world, login, period):
    client = login(world.user("branch_a_secretary"))
    detail = client.get(period.get_absolute_url()).content.decode()
    url = reverse("evaluations:results_publication", args=[period.pk])
    assert url in detail
    r = client.post(url, {"scope": PublicationScope.SCHOOL, "show_scores": "on"})
    assert r.status_code == 302 and r["Location"] == reverse("evaluations:period_results", args=[period.pk])
    publication = PeriodPublication.objects.get(period=period)
    assert publication.scope == PublicationScope.SCHOOL and publication.show_scores
    assert publication.set_by == world.user("branch_a_secretary")


def test_the_public_page_shows_an_approved_award_of_the_year(world, client):
    today = timezone.localdate()
    rnd = services.award_round_create(
        organization=world.school_a, by=world.user("school_a_secretary"), year=today.year,
        title=AwardTitle.PIONEER_POST, level=AwardLevel.SCHOOL, submit_from=today, submit_until=today,
        review_until=today + datetime.timedelta(days=7),
    )
    nomination = services.nomination_submit(round=rnd, member=world.member_a, deeds="带头上示范课",
                                            by=world.user("branch_a_secretary"))
    url = reverse("targets:public", args=[world.school_a.pk])
    assert "党员示范（先锋）岗" not in client.get(url).content.decode()  # submitted, not yet approved
    services.nomination_review(nomination=nomination, endorse=True, note="", by=world.user("school_a_secretary"))
    body = client.get(url).content.decode()
    assert "data-public-award" in body and "党员示范（先锋）岗" in body and "甲成员" in body and "甲校第一支部" in body
    assert f"{today.year}年度考评表彰" in body
    assert "13900000001" not in body and "带头上示范课" not in body
    assert "党员示范（先锋）岗" not in client.get(reverse("targets:public", args=[world.school_b.pk])).content.decode()


def test_the_published_list_keeps_its_query_count_flat(world, login, period):
    from evaluations.enums import Grade
    from evaluations.models import Rating
    from tests.budget import assert_flat_queries

    _publish(period, world, PublicationScope.ORGANIZATION)
    made = []

    def grow_to(n: int) -> None:
        while len(made) < n:
            i = len(made)
            member = make_member(world.branch_a, f"列表成员{i}", phone=f"1370000{i:04d}")
            Rating.objects.create(period=period, member=member, weighted_score=Decimal("85"), grade=Grade.GOOD,
                                  snapshot={"absent": {"self": {"reason": "sick"}}} if i % 2 else {}, published=True)
            made.append(member)

    url = reverse("evaluations:period_results", args=[period.pk])
    assert_flat_queries(login(world.user("member_a")), url, grow_to=grow_to, budget=25)
