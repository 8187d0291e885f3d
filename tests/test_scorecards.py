"""The 168 scorecard (五.三): every indicator of a school with known records, and the weighted score, against values
worked out by hand; an organization with nothing done scores 0 with each indicator explained; the ranked table of a
committee; the scheme a committee sets per year."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from scorecards import selectors
from scorecards.models import Scheme
from tests.evaluations_fixtures import on_day
from tests.scorecards_fixtures import TODAY, YEAR, build_scorecard_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with on_day(TODAY):
        yield


@pytest.fixture
def tree(world):
    return build_scorecard_tree(world)


def r1(x) -> Decimal:
    return Decimal(x).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# 甲校 on 15 November 2026, each value as the page shows it (rounded to 0.1)
EXPECTED = {
    # 3 steps done: 2 on time (1 each) + 任务分解 late (½) = 2.5 of 6
    "steps": r1(Decimal(250) / 6),  # 41.7
    # 4 rows: done; in progress before deadline; delayed ✗; not started past deadline ✗
    "items": Decimal("50.0"),
    # 4 party members (the probationary one counts, the masses do not), 2 on a post
    "posts": Decimal("50.0"),
    # 2 commitments: approved 2 + published 1 + fulfilled 1 = 4 of 2×2 + 1 due = 5
    "commitments": Decimal("80.0"),
    # 3 log entries, 2 people on posts
    "duty_logs": Decimal("1.5"),
    # 3 periods due: on time 1/3, polls met 2/3; 4 ratings: self 4/4, assessment 3/4 → (⅓ + ⅔ + 1 + ¾) / 4
    "ratings": Decimal("68.8"),
    "annex5": None,  # 甲校 is no reporting unit
    "rectifications": Decimal("50.0"),  # 2 due, 1 closed in time
    "opinions": Decimal("50.0"),  # 2 received, 1 answered
    "contact_visits": None,  # a school has no leaders with contact points
    "inspections": Decimal("50.0"),  # 2 items due, 1 closed by its deadline
}
DEFAULT = {"steps": (15, 100), "items": (15, 90), "posts": (12, 90), "commitments": (13, 90), "duty_logs": (10, 4),
           "ratings": (10, 100), "annex5": (5, 100), "rectifications": (5, 100), "opinions": (5, 100),
           "contact_visits": (5, 100), "inspections": (5, 100)}  # fmt: skip


def hand_score(values: dict, scheme: dict) -> Decimal:
    counting = {k: v for k, v in values.items() if v is not None and scheme[k][0]}
    total = sum(scheme[k][0] for k in counting)
    earned = sum(Decimal(scheme[k][0]) * min(Decimal(1), v / Decimal(scheme[k][1])) for k, v in counting.items())
    return r1(earned * 100 / total)


def test_it_computes_every_indicator_of_a_school_by_hand(tree, world):
    scored, scheme, labels = selectors.card_for(world.school_a, YEAR)
    got = {r.code: r.value for r in scored.card.results}
    assert got == EXPECTED
    assert scheme.organization is None  # the default scheme
    # (15·.417 + 15·50/90 + 12·50/90 + 13·80/90 + 10·1.5/4 + 10·.688 + 3·5·.5) / 90 × 100
    assert scored.card.score == hand_score(EXPECTED, DEFAULT) == Decimal("56.6")
    assert labels == ["第1季度末", "第2季度末", "第3季度末", "截至11月15日"]
    assert scored.trend[-1] == scored.card.score
    # computed again from the records (nothing cached), the same figures
    from django.core.cache import cache

    cache.clear()
    again = selectors.card_for(world.school_a, YEAR)[0]
    assert [(r.code, r.value, r.points) for r in again.card.results] == [
        (r.code, r.value, r.points) for r in scored.card.results
    ]
    assert again.trend == scored.trend


def test_it_explains_each_indicator_and_what_would_raise_it(tree, world):
    card = selectors.card_for(world.school_a, YEAR)[0].card
    by = {r.code: r for r in card.results}
    assert by["steps"].detail == "应完成 6 步，按时完成 2 步，逾期完成 1 步"
    assert by["posts"].detail == "在册党员 4 名，在岗 2 名；设岗 1 个"
    assert by["annex5"].detail.startswith("不是季报表报送单位")
    assert all(r.how for r in card.results)
    # 2 of 4 on posts against 90 %: 2 more members (4 × 0.9 = 3.6 → 4)
    assert by["posts"].raise_text.startswith("再有 2 名党员认领岗位即可达标")
    # the three losing most points are highlighted
    assert card.weakest == ["steps", "items", "duty_logs"]


def test_it_scores_an_organization_with_nothing_done_at_zero_with_reasons(tree, world):
    scored, _scheme, _labels = selectors.card_for(tree["school_d"], YEAR)
    card = scored.card
    assert card.score == 0 and scored.trend == [0, 0, 0, 0]
    by = {r.code: r for r in card.results}
    for code in ["steps", "items", "posts", "commitments", "duty_logs", "ratings"]:
        assert by[code].value == 0 and by[code].counts and by[code].detail, code
    assert by["items"].detail == "尚未制定本年度计划"
    assert by["ratings"].detail == "没有已到截止日期的考评期记录"
    for code in ["annex5", "rectifications", "opinions", "contact_visits", "inspections"]:
        assert by[code].value is None and by[code].detail, code


def test_it_ranks_the_schools_of_a_county_and_sums_the_county(tree, world):
    ranking = selectors.ranking(world.county_a, YEAR)
    assert [(s.rank, s.org.name, s.card.score) for s in ranking.rows] == [
        (1, "甲校党委", Decimal("56.6")),
        (2, "丁校党委", Decimal("0.0")),
    ]
    root = {r.code: r.value for r in ranking.root.card.results}
    # the county holds both schools: 6 party members, 2 on posts; 12 steps expected
    assert root["posts"] == r1(Decimal(200) / 6)
    assert root["steps"] == r1(Decimal(250) / 12)


def test_the_table_page_drills_down_and_highlights(tree, world, client):
    client.force_login(world.user("city_staff"))
    page = client.get(reverse("scorecards:table", args=[world.city.pk]), {"year": YEAR}).content.decode()
    assert "甲县委教育工委" in page and "丙高校党委" in page
    page = client.get(reverse("scorecards:table", args=[world.county_a.pk]), {"year": YEAR}).content.decode()
    assert reverse("scorecards:table", args=[world.school_a.pk]) in page  # a school with branches: its own table
    assert 'class="text-end small text-danger fw-bold weakest" data-code="steps"' in page
    page = client.get(reverse("scorecards:table", args=[world.school_a.pk]), {"year": YEAR}).content.decode()
    assert "甲校第一支部" in page
    # a branch has nothing below it: its table is its card
    r = client.get(reverse("scorecards:table", args=[world.branch_a.pk]), {"year": YEAR})
    assert r.status_code == 302 and r["Location"].startswith(reverse("scorecards:card", args=[world.branch_a.pk]))


def test_the_card_links_each_indicator_to_its_records(tree, world, client):
    client.force_login(world.user("school_a_secretary"))
    r = client.get(reverse("scorecards:card", args=[world.school_a.pk]), {"year": YEAR})
    page = r.content.decode()
    assert r.status_code == 200 and "56.6" in page
    for name in ["targets:org_plans", "posts:org_posts", "evaluations:org_periods", "targets:public_opinions"]:
        assert f"{reverse(name, args=[world.school_a.pk])}?year={YEAR}" in page
    assert "怎样提高得分" in page


def test_a_committee_scheme_counts_for_its_subtree_and_a_lower_one_may_keep_its_own(tree, world, client):
    only_posts = {code: {"weight": 0, "threshold": t} for code, (_w, t) in DEFAULT.items()}
    only_posts["posts"] = {"weight": 100, "threshold": 100}
    Scheme.objects.create(organization=world.city, year=YEAR, items=only_posts)
    assert selectors.card_for(world.school_a, YEAR)[0].card.score == Decimal("50.0")
    own = dict(only_posts, posts={"weight": 100, "threshold": 50})
    Scheme.objects.create(organization=world.county_a, year=YEAR, items=own)
    assert selectors.card_for(world.school_a, YEAR)[0].card.score == Decimal("100.0")
    assert selectors.ranking(world.city, YEAR).scheme.organization == world.city
    # 采用上级方案: the county's subtree follows the city's again
    Scheme.objects.filter(organization=world.county_a).update(inherit=True)
    assert selectors.card_for(world.school_a, YEAR)[0].card.score == Decimal("50.0")


def test_the_default_scheme_is_kept_per_year(monkeypatch):
    from scorecards import indicators

    assert indicators.default_items(2012) == indicators.default_items(YEAR)
    assert sum(item["weight"] for item in indicators.default_items(YEAR).values()) == 100
    changed = {code: dict(item, weight=0) for code, item in indicators.DEFAULTS[2012].items()}
    monkeypatch.setitem(indicators.DEFAULTS, YEAR + 1, changed)
    assert indicators.default_items(YEAR)["posts"]["weight"] == 12  # this year keeps its default
    assert indicators.default_items(YEAR + 1)["posts"]["weight"] == 0


def test_last_years_scheme_stays_when_this_years_is_set(tree, world, client):
    last_year = {code: {"weight": w, "threshold": t} for code, (w, t) in DEFAULT.items()} | {
        "posts": {"weight": 60, "threshold": 80}
    }
    Scheme.objects.create(organization=world.city, year=YEAR - 1, items=last_year)
    client.force_login(world.user("city_staff"))
    url = reverse("scorecards:scheme", args=[world.city.pk])
    data = {f"weight_{c}": w for c, (w, _t) in DEFAULT.items()} | {
        f"threshold_{c}": t for c, (_w, t) in DEFAULT.items()
    }
    r = client.post(f"{url}?year={YEAR}", dict(data, weight_posts=40))
    assert r.status_code == 302
    scheme = Scheme.objects.get(organization=world.city, year=YEAR)
    assert scheme.items["posts"] == {"weight": 40, "threshold": 90}
    # last year's scheme, and so last year's scores, stay as they were
    assert selectors.scheme_for(world.school_a, YEAR - 1).items == last_year
    assert selectors.scheme_for(world.school_a, YEAR).items["posts"] == {"weight": 40, "threshold": 90}
    # a past year is refused, nothing written
    r = client.post(f"{url}?year={YEAR - 1}", data)
    assert r.status_code == 400 and "往年的考评计分方案不能再修改" in r.content.decode()
    assert Scheme.objects.get(year=YEAR - 1).items == last_year
    # every weight 0: refused next to the form, nothing changed
    r = client.post(f"{url}?year={YEAR}", {**data, **{f"weight_{c}": 0 for c in DEFAULT}, "version": scheme.version})
    assert r.status_code == 400 and "至少要有一项指标计分" in r.content.decode()
    assert Scheme.objects.get(pk=scheme.pk).items["posts"]["weight"] == 40
    # a stale version (someone saved meanwhile) is refused
    r = client.post(f"{url}?year={YEAR}", {**data, "version": scheme.version - 1 if scheme.version > 1 else 99})
    assert r.status_code == 400
    assert Scheme.objects.get(pk=scheme.pk).items["posts"]["weight"] == 40


def test_only_committee_staff_set_a_scheme(tree, world, client):
    url = reverse("scorecards:scheme", args=[world.county_a.pk])
    client.force_login(world.user("school_a_secretary"))
    assert client.get(url).status_code == 404  # the county lies above the school
    client.force_login(world.user("county_b_staff"))
    assert client.get(url).status_code == 404
    for staff in ["county_a_staff", "city_staff"]:  # the committee's staff, or the staff above it
        client.force_login(world.user(staff))
        assert client.get(url).status_code == 200
    client.force_login(world.user("school_a_secretary"))
    assert client.get(reverse("scorecards:scheme", args=[world.school_a.pk])).status_code == 403


def test_the_dashboard_and_the_organization_page_link_to_the_scorecard(tree, world, client):
    client.force_login(world.user("county_a_staff"))
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert f"{reverse('scorecards:table', args=[world.county_a.pk])}?year=" in page
    page = client.get(reverse("organizations:detail", args=[world.county_a.pk])).content.decode()
    assert reverse("scorecards:table", args=[world.county_a.pk]) in page
    page = client.get(reverse("organizations:detail", args=[world.school_a.pk])).content.decode()
    assert reverse("scorecards:card", args=[world.school_a.pk]) in page


def test_it_counts_annex5_for_a_reporting_unit_and_contact_points_for_a_county(tree, world):
    from organizations.models import ContactPoint, ContactVisit, Leader
    from reports.models import QuarterlyReport
    from tests.scorecards_fixtures import at, d

    submitted = QuarterlyReport.State.SUBMITTED
    for quarter, state, when, late in [(1, submitted, at(3, 18), False), (2, submitted, at(6, 25), True),
                                       (3, QuarterlyReport.State.DRAFT, None, False)]:  # fmt: skip
        QuarterlyReport.objects.create(organization=world.unit, year=YEAR, quarter=quarter, due_on=d(quarter * 3, 20),
                                       state=state, submitted_at=when, is_late=late)  # fmt: skip
    unit = {r.code: r for r in selectors.card_for(world.unit, YEAR)[0].card.results}
    # three quarters due by 15 November (20 March, 20 June, 20 September), one on time
    assert unit["annex5"].value == r1(Decimal(100) / 3) and unit["annex5"].detail == "应报 3 份，按时报送 1 份"
    leader = Leader.objects.create(organization=world.county_a, name="甲副书记", title="副书记")
    visited = ContactPoint.objects.create(leader=leader, organization=world.school_a, since=d(1, 10))
    ContactPoint.objects.create(leader=leader, organization=tree["school_d"], since=d(2, 10))
    ContactVisit.objects.create(contact_point=visited, visited_on=d(4, 2), guidance="指导六步工作法")
    county = {r.code: r.value for r in selectors.ranking(world.county_a, YEAR).root.card.results}
    assert county["contact_visits"] == Decimal("50.0")
    # the schools visited are not credited with their county's visits
    assert {r.code: r.value for r in selectors.card_for(world.school_a, YEAR)[0].card.results}["contact_visits"] is None


def test_each_indicator_links_to_a_page_the_viewer_may_open(tree, world, client):
    from scorecards.views.pages import links

    for user, org in [("county_a_staff", world.county_a), ("school_a_secretary", world.school_a),
                      ("branch_a_secretary", world.branch_a)]:  # fmt: skip
        client.force_login(world.user(user))
        for code, url in links(org, YEAR).items():
            assert client.get(url).status_code == 200, (user, code, url)


def test_the_service_refuses_crafted_schemes_and_writes_nothing(tree, world):
    from django.core.exceptions import ValidationError

    from scorecards.services import scheme_set

    items = {code: {"weight": w, "threshold": t} for code, (w, t) in DEFAULT.items()}
    refused = [
        dict(organization=world.school_a, by=world.user("school_a_secretary")),  # a school sets no scheme
        dict(organization=world.county_b, by=world.user("county_a_staff")),  # another county's
        dict(organization=world.city, by=world.user("city_staff"), inherit=True),  # nothing above the city
        dict(organization=world.city, by=world.user("city_staff"), items=dict(items, nonsense={"weight": 5})),
        dict(organization=world.city, by=world.user("city_staff"), items=dict(items, posts={"weight": 101})),
        dict(organization=world.city, by=world.user("city_staff"), items=dict(items, posts={"threshold": "NaN"})),
    ]
    for kwargs in refused:
        with pytest.raises(ValidationError):
            scheme_set(year=YEAR, **{"items": items, **kwargs})
    assert not Scheme.objects.exists()


def test_a_day_ends_at_local_midnight(tree, world):
    """31 March 23:30 in Quanzhou is on time for the first four steps; 1 April 00:10 is late."""
    import datetime

    from targets.models import AnnualPlan, StepCompletion
    from tests.scorecards_fixtures import TZ

    plan = AnnualPlan.objects.create(organization=tree["school_d"], year=YEAR, theme="dedication")
    StepCompletion.objects.create(
        plan=plan, step="opinions", completed_at=datetime.datetime(YEAR, 3, 31, 23, 30, tzinfo=TZ)
    )
    StepCompletion.objects.create(
        plan=plan, step="decision", completed_at=datetime.datetime(YEAR, 4, 1, 0, 10, tzinfo=TZ)
    )
    card = selectors.card_for(tree["school_d"], YEAR)[0]
    steps = next(r for r in card.card.results if r.code == "steps")
    assert steps.detail == "应完成 6 步，按时完成 1 步，逾期完成 1 步"
    # at the end of the first quarter only the first step was done
    assert (
        selectors.counts_of(tree["school_d"].path, len(tree["school_d"].path), YEAR, [datetime.date(YEAR, 3, 31)])[
            tree["school_d"].path
        ][0]["steps_done"]
        == 1
    )


def test_a_long_ranking_is_shown_a_page_at_a_time_in_rank_order(tree, world, client):
    from organizations.enums import OrgKind, SchoolType
    from organizations.services import organization_create

    for i in range(33):
        organization_create(parent=world.county_a, name=f"第{i:02d}小学党支部", kind=OrgKind.BRANCH,
                            code=f"T-A-P{i:02d}", school_name=f"第{i:02d}小学", school_type=SchoolType.PRIMARY)  # fmt: skip
    client.force_login(world.user("county_a_staff"))
    url = reverse("scorecards:table", args=[world.county_a.pk])
    ranked = [s.org.pk for s in selectors.ranking(world.county_a, YEAR).rows]
    assert len(ranked) == 35

    def shown(**params) -> tuple[list[int], str]:
        page = client.get(url, {"year": YEAR, **params}).content.decode()
        import re

        return [int(pk) for pk in re.findall(r'<tr data-org="(\d+)"', page)], page

    first, page = shown(per=30)
    assert first == ranked[:30] and "共 35 个单位" in page and "第 1 / 2 页" in page
    assert f"year={YEAR}&amp;per=30&amp;page=2" in page  # the next page keeps the year and the size
    second, _ = shown(per=30, page=2)
    assert second == ranked[30:]
    # the page keeps the rank of the whole table, the trend and the explained figures of its rows
    assert '<td>1</td>' in shown(per=30)[1] and "甲校党委" in shown(per=30)[1]
    everything, _ = shown(per=100)
    assert everything == ranked
    default, _ = shown(per="9999")  # not one of 30 / 50 / 100: the default 30
    assert default == ranked[:30]
