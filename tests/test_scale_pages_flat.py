"""Province-wide pages stay flat as the subtree grows (the same query count at 10 and at 200 rows, within the budget
of 15): an organization's children and its coverage page (paginated, the city's summed up by county), the annex page
(its Annex 2 number is the planner's estimate for a county or the city, not a count of every row) and the member
list's search, by name and by initials, at city scope."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse

from organizations.enums import OrgKind
from organizations.models import Organization
from organizations.services import organization_create
from tests.budget import assert_flat_queries
from tests.world import make_member

pytestmark = pytest.mark.django_db
BUDGET = 15


def _schools_under(parent: Organization, code: str):
    """grow_to(n): n schools, each with one branch (every other one launched), under `parent`."""
    made: list = []

    def grow_to(n: int) -> None:
        while len(made) < n:
            i = len(made)
            school = organization_create(parent=parent, name=f"测试{code}学校{i}党委", kind=OrgKind.SCHOOL_COMMITTEE,
                                         code=f"{code}-S{i}", school_name=f"测试学校{i}")
            organization_create(parent=school, name=f"测试{code}学校{i}支部", kind=OrgKind.BRANCH, code=f"{code}-S{i}-B",
                                school_name=f"测试学校{i}",
                                launched_on=datetime.date(2026, 3, 1) if i % 2 else None)
            made.append(school)

    return grow_to


def test_children_of_the_city_are_flat(client, world):
    client.force_login(world.user("city_staff"))
    url = reverse("organizations:children", args=[world.city.pk])
    n = assert_flat_queries(client, url, grow_to=_schools_under(world.city, "T-C"), budget=BUDGET)
    shown = set(re.findall(r"测试T-C学校(\d+)党委", client.get(url).content.decode()))
    assert 0 < len(shown) <= 50  # one page of the 200 children
    print(f"children of the city: {n} queries")


def test_coverage_of_the_city_is_flat_and_summed_up_by_county(client, world):
    client.force_login(world.user("city_staff"))
    url = reverse("organizations:coverage", args=[world.city.pk])
    grow = _schools_under(world.county_a, "T-A")
    n = assert_flat_queries(client, url, grow_to=grow, budget=BUDGET)
    body = client.get(url).content.decode()
    # 甲县: 甲校 and its branch and the 200 test schools and their branches (half launched); 乙县: 乙校 and its branch
    assert "各县（市、区）推广面" in body and "data-county-summary" in body
    summary = body[body.index("data-county-summary"):body.index("</table>", body.index("data-county-summary"))]
    assert "甲县委教育工委</a></td><td>402</td><td>100</td>" in summary  # 甲校 and its branch, 200 schools and theirs
    assert "乙县委教育工委</a></td><td>2</td><td>0</td>" in summary
    county = client.get(url + f"?county={world.county_a.pk}").content.decode()
    assert "data-county-summary" not in county and "第 1 / 5 页" not in county  # the one county's row
    print(f"coverage of the city: {n} queries")


def test_coverage_pages_its_units_and_counts_only_that_page(client, world):
    client.force_login(world.user("county_a_staff"))
    url = reverse("organizations:coverage", args=[world.county_a.pk]) + "?units=2"
    n = assert_flat_queries(client, url, grow_to=_schools_under(world.county_a, "T-A"), budget=BUDGET, small=60)
    body = client.get(url).content.decode()
    units = body[body.index("各单位推广面"):body.index("尚未推行的基层党组织")]
    assert "第 2 / 5 页" in units and "测试T-A学校49党委" in units and "测试T-A学校48党委" not in units
    print(f"coverage of a county, page 2: {n} queries")


def test_annex_page_of_the_city_is_flat(client, world):
    client.force_login(world.user("city_staff"))
    url = reverse("reports:annexes", args=[world.city.pk]) + "?year=2026"
    made: list = []

    def grow_to(n: int) -> None:
        while len(made) < n:
            made.append(make_member(world.branch_a, f"附件成员{len(made)}", phone=f"1371111{len(made):04d}"))

    n = assert_flat_queries(client, url, grow_to=grow_to, budget=BUDGET)
    body = client.get(url).content.decode()
    if connection.vendor == "postgresql":
        assert re.search(r"2026年 · 约 \d+ 人次亮岗", body)  # the planner's estimate, said to be one
    else:
        assert "2026年 · 约 0 人次亮岗" in body  # exact where counting is cheap (SQLite), shown as the city's figure
    branch = client.get(reverse("reports:annexes", args=[world.branch_a.pk]) + "?year=2026").content.decode()
    assert "2026年 · 201 行（亮岗人次及尚未认岗的党员）" in branch  # a branch's number is exact
    print(f"annex page of the city: {n} queries")


@pytest.mark.parametrize("query", ["q=附件成员1", "q=fjcy", "q=附件成员1&status=member"])
def test_member_search_at_city_scope_is_flat(client, world, query):
    client.force_login(world.user("city_staff"))
    url = reverse("organizations:members", args=[world.city.pk]) + f"?{query}"
    made: list = []

    def grow_to(n: int) -> None:
        while len(made) < n:
            made.append(make_member(world.branch_b, f"附件成员{len(made)}", phone=f"1372222{len(made):04d}"))

    n = assert_flat_queries(client, url, grow_to=grow_to, budget=BUDGET)
    print(f"member search {query}: {n} queries")
