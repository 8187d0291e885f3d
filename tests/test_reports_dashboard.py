"""The dashboard: its numbers agree with Annex 5, it stays in the user's subtree, its query count stays flat."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from organizations.enums import DemoKind, OrgKind
from organizations.models import Organization
from organizations.services import organization_create
from reports.models import FIGURES
from reports.services import quarterly_report_open, quarterly_report_submit, quarterly_report_update
from tests.budget import assert_flat_queries, count_queries
from tests.reports_fixtures import YEAR, demonstration, launch, plan_with_items, posts_with_claims, rate

URL = reverse("reports:dashboard")


def figures_row(html: str) -> list[str]:
    table = html.split('id="figures"', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table)]


def chart(html: str, name: str) -> dict:
    raw = html.split(f'id="chart-{name}" type="application/json">', 1)[1].split("</script>", 1)[0]
    return json.loads(raw)


@pytest.mark.django_db
def test_its_figures_agree_with_annex5(world, login):
    claims = posts_with_claims(world.unit, 4, branch=world.unit_branch)
    rate(world.unit_branch, claims[0].member)
    launch(world.unit_branch)
    demonstration(world.unit_branch, by=world.city, kind=DemoKind.SINGLE)
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=None)
    html = login(world.user("unit_staff")).get(URL + f"?year={YEAR}&quarter=4").content.decode()
    expected = [str(getattr(report, name)) for name, _label in FIGURES]
    assert figures_row(html) == expected
    assert report.ratings_done == 1 and report.demo_single == 1 and report.posts == 4


@pytest.mark.django_db
def test_it_shows_coverage_by_unit_and_the_submission_status(world, login):
    launch(world.branch_a, world.school_a)
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=None)
    report = quarterly_report_update(
        report=report, by=None, expected_version=report.version,
        practices="a", problems="b", next_steps="c", filled_by="d", contact_phone="0595-1234567",
    )
    quarterly_report_submit(report=report, by=None, expected_version=report.version)
    html = login(world.user("city_staff")).get(URL + f"?year={YEAR}&quarter=4").content.decode()
    coverage = chart(html, "coverage")
    assert dict(zip(coverage["labels"], coverage["values"], strict=True))["甲县委教育工委"] == 100.0
    assert dict(zip(coverage["labels"], coverage["values"], strict=True))["乙县委教育工委"] == 0.0
    status = chart(html, "status")
    assert dict(zip(status["labels"], status["values"], strict=True))["已报送"] + dict(
        zip(status["labels"], status["values"], strict=True)
    )["逾期"] == 1
    assert "丙高校党委" in html.split('id="status-table"', 1)[1]


@pytest.mark.django_db
def test_it_counts_coverage_per_unit_over_its_whole_subtree(world, login):
    launch(world.branch_a)  # one of 甲县's two grassroots organizations
    html = login(world.user("city_staff")).get(URL + f"?year={YEAR}&quarter=4").content.decode()
    coverage = chart(html, "coverage")
    assert dict(zip(coverage["labels"], coverage["values"], strict=True))["甲县委教育工委"] == 50.0
    row = html.split('id="coverage-table"', 1)[1].split("甲县委教育工委", 1)[1].split("</tr>", 1)[0]
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)] == ["2", "1", "50.0"]


@pytest.mark.django_db
def test_it_keeps_county_staff_in_their_subtree(world, login):
    client = login(world.user("county_a_staff"))
    html = client.get(URL).content.decode()
    assert "甲校党委" in html and "乙校" not in html
    assert client.get(URL + f"?org={world.county_b.pk}").status_code == 404


@pytest.mark.django_db
def test_it_shows_target_progress_and_grades(world, login):
    plan_with_items(world.school_a, 3)
    claims = posts_with_claims(world.branch_a, 2)
    rate(world.branch_a, claims[0].member, grade="excellent")
    html = login(world.user("school_a_secretary")).get(URL + f"?year={YEAR}&quarter=4").content.decode()
    assert sum(chart(html, "progress")["values"]) == 3
    grades = chart(html, "grades")
    assert grades["series"][0][3] == 1  # 优秀 in 年终总评
    assert "<script>" not in html.replace("<script src", "")  # no inline script


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_it_computes_the_figures_once_until_the_data_changes(world, login):
    client = login(world.user("unit_staff"))
    url = URL + f"?year={YEAR}&quarter=4"
    first, _sql = count_queries(client, url)
    second, _sql = count_queries(client, url)
    assert second < first
    posts_with_claims(world.unit, 2, branch=world.unit_branch)
    html = client.get(url).content.decode()
    assert figures_row(html)[[name for name, _l in FIGURES].index("posts")] == "2"


@pytest.mark.django_db
def test_it_keeps_its_query_count_flat(world, login, monkeypatch):
    # measure the real work
    monkeypatch.setattr("reports.views.dashboard.cached", lambda parts, compute: compute())
    monkeypatch.setattr("reports.views.dashboard.cached_many", lambda computes: {k: f() for k, f in computes.items()})
    client = login(world.user("city_staff"))
    made = []

    def grow_to(n: int) -> None:
        while len(made) < n:
            i = len(made)
            unit = organization_create(
                parent=world.city, name=f"高校{i}", kind=OrgKind.UNIVERSITY_COMMITTEE, reports_quarterly=True
            )
            school = organization_create(parent=unit, name=f"高校{i}支部", kind=OrgKind.BRANCH)
            made.append((unit, school))
        Organization.objects.filter(pk__in=[s.pk for _u, s in made]).update(launched_on="2026-01-01")
        for unit, _s in made[:n]:
            quarterly_report_open(organization=unit, year=YEAR, quarter=4, by=None)

    # every figure computed afresh (the first request after any change): a fixed number of queries, at most 16
    # (one of them reads the units' deadlines from the year's calendar, one counts public opinions left unanswered)
    assert_flat_queries(client, URL + f"?year={YEAR}&quarter=4", grow_to=grow_to, budget=16)


@pytest.mark.django_db
def test_a_warm_dashboard_costs_six_queries_at_most(world, login):
    client = login(world.user("city_staff"))
    url = URL + f"?year={YEAR}&quarter=4"
    client.get(url)
    n, sql = count_queries(client, url)
    assert n <= 6, "\n".join(sql)


@pytest.mark.django_db
def test_with_many_units_it_lists_the_lowest_coverage_first_and_links_to_all(world, login):
    low = []
    for i in range(3):  # units with no grassroots organization yet: nothing to chase there
        organization_create(parent=world.city, name=f"戊空单位{i}党委", kind=OrgKind.UNIVERSITY_COMMITTEE)
    for i in range(32):
        unit = organization_create(parent=world.city, name=f"丁高校{i:02d}党委", kind=OrgKind.UNIVERSITY_COMMITTEE)
        branch = organization_create(parent=unit, name=f"丁高校{i:02d}支部", kind=OrgKind.BRANCH)
        if i % 2:
            launch(branch)
        else:
            low.append(unit.name)
    html = login(world.user("city_staff")).get(URL + f"?year={YEAR}&quarter=4").content.decode()
    table = html.split('id="coverage-table"', 1)[1].split("</table>", 1)[0]
    names = re.findall(r"<tr><td>([^<]+)</td>", table)
    coverage = chart(html, "coverage")
    assert len(names) == len(coverage["labels"]) == 30
    assert coverage["values"] == sorted(coverage["values"])  # those furthest from 100% first
    assert set(low) <= set(names) and "丁高校31党委" not in names  # fully launched ones give way
    assert not any(n.startswith("戊空单位") for n in names)
    children = Organization.objects.get_children(world.city).count()
    assert f"另有 {children - 30} 个下级单位" in table
    assert reverse("organizations:coverage", args=[world.city.pk]) in table


@pytest.mark.django_db
def test_a_unit_opened_from_the_status_table_is_the_selected_scope(world, login, monkeypatch):
    monkeypatch.setattr("reports.selectors.SCOPE_OPTIONS", 1)  # the list holds only the user's own organization
    client = login(world.user("city_staff"))
    html = client.get(URL + f"?year={YEAR}&quarter=4").content.decode()
    link = f"?org={world.unit.pk}&amp;year={YEAR}&amp;quarter=4"
    assert link in html.split('id="status-table"', 1)[1]
    html = client.get(URL + link.replace("&amp;", "&")).content.decode()
    select = html.split('id="f-org"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{world.unit.pk}" selected>' in select
    assert f'<option value="{world.city.pk}">' in select


@pytest.mark.django_db
def test_a_new_role_shows_in_the_scope_list_at_once(world, login):
    from organizations.enums import Role
    from organizations.models import RoleAssignment

    user = world.user("branch_b_secretary")
    client = login(user)
    select = client.get(URL).content.decode().split('id="f-org"', 1)[1].split("</select>", 1)[0]
    assert "甲县委教育工委" not in select
    RoleAssignment.objects.create(user=user, organization=world.county_a, role=Role.COUNTY_STAFF)
    select = client.get(URL).content.decode().split('id="f-org"', 1)[1].split("</select>", 1)[0]
    assert "甲县委教育工委" in select


@pytest.mark.django_db
def test_a_superuser_made_ordinary_no_longer_sees_the_city_dashboard(world, login):
    user = world.user("county_b_staff")
    user.is_superuser = True
    user.save()
    client = login(user)
    assert "数据看板 · 泉州市委教育工委" in client.get(URL).content.decode()
    user.is_superuser = False
    user.save()  # no dashboard data changed: the cache is not told
    html = client.get(URL).content.decode()
    assert "数据看板 · 乙县委教育工委" in html and "甲县委教育工委" not in html


@pytest.mark.django_db
def test_moving_a_school_to_another_county_shows_at_once(world, login):
    client = login(world.user("county_a_staff"))
    assert "甲校党委" in client.get(URL).content.decode()
    school = Organization.objects.get(pk=world.school_a.pk)
    school.move(Organization.objects.get(pk=world.county_b.pk), "last-child")
    assert "甲校党委" not in client.get(URL).content.decode()
