import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations import selectors, services
from organizations.enums import HonourLevel, HonourTrack, honour_level_rank
from organizations.models import HonourTitle

pytestmark = pytest.mark.django_db


def title(name):
    return HonourTitle.objects.get(name=name)


def test_it_orders_levels_county_city_province_national():
    ranks = [HonourLevel.COUNTY.rank, HonourLevel.CITY.rank, HonourLevel.PROVINCE.rank, HonourLevel.NATIONAL.rank]
    assert ranks == sorted(ranks) and len(set(ranks)) == 4
    assert honour_level_rank("city") == 2 and honour_level_rank("nonsense") == 0


def test_it_ships_the_policy_titles():
    assert title("先进基层党组织").track == HonourTrack.PARTY
    assert {t.name for t in HonourTitle.objects.filter(track=HonourTrack.SCHOOL)} >= {"文明学校", "平安校园"}


def test_it_gives_the_highest_honour_per_title_and_track(world):
    org = world.school_a
    for level, year in [("county", 2018), ("province", 2020), ("city", 2023)]:
        services.honour_create(
            organization=org, title=title("先进基层党组织"), level=level, year=year, conferred_by="某委"
        )
    services.honour_create(organization=org, title=title("文明学校"), level="city", year=2021, conferred_by="市文明委")
    best = selectors.highest_honours(org)
    assert best["先进基层党组织"].level == "province"
    assert best["文明学校"].level == "city"
    per_track = selectors.highest_per_track(org)
    assert per_track["party"].level == "province" and per_track["school"].title.name == "文明学校"
    assert selectors.highest_honours(world.school_b) == {}


def test_it_refuses_duplicates_and_future_years(world):
    kw = dict(organization=world.school_a, title=title("绿色学校"), level="county", conferred_by="县委")
    services.honour_create(year=2022, **kw)
    with pytest.raises(ValidationError):
        services.honour_create(year=2022, **kw)
    with pytest.raises(ValidationError):
        services.honour_create(year=datetime.date.today().year + 1, **kw)


def test_it_lets_staff_add_titles_but_not_twice():
    services.honour_title_create(name="五四红旗团委", track=HonourTrack.SCHOOL)
    with pytest.raises(ValidationError):
        services.honour_title_create(name="五四红旗团委", track=HonourTrack.SCHOOL)


def test_it_counts_coverage_over_grassroots_organizations(world):
    # grassroots: school_a, branch_a, school_b, branch_b, unit_branch = 5
    assert selectors.coverage(None)["total"] == 5
    assert selectors.coverage(None)["launched"] == 0
    world.school_a.launched_on = datetime.date(2026, 3, 1)
    world.school_a.save()
    cov = selectors.coverage(world.county_a)
    assert (cov["total"], cov["launched"], cov["percent"]) == (2, 1, 50.0)
    assert cov["deadline"] == datetime.date(datetime.date.today().year, 12, 31)
    assert selectors.coverage(None)["percent"] == 20.0
