"""The home page's query count does not grow with the data: the same at 10 and at 200 rows, for a branch secretary
(commitments to review, members to assess, opinions, target items), a member (returned and falling-due
commitments, notices) and the city committee's staff (reporting units and their late reports)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import PeriodKind
from notifications.models import Notice
from organizations.enums import OrgKind
from organizations.services import organization_create
from posts.models import Commitment, CommitmentVersion, Post, PostClaim
from reports.models import QuarterlyReport
from reports.selectors import quarter_of
from targets.models import AnnualPlan, Opinion, TargetItem
from tests.budget import assert_flat_queries, count_queries
from tests.evaluations_fixtures import FROZEN_TODAY, evaluation_today, open_period  # noqa: F401
from tests.world import make_member

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def _commitment(member, state: str, due_on: datetime.date, n: int) -> Commitment:
    post, _ = Post.objects.get_or_create(organization=member.organization, year=2026, name="教学先锋岗",
                                         defaults={"duties": "带头上好示范课"})
    claim, _ = PostClaim.objects.get_or_create(post=post, member=member)
    c = Commitment.objects.create(claim=claim, aspect="work", content=f"承诺{n}", measurable_result="及格率提高",
                                  due_on=due_on, state=state)
    if state == "submitted":
        CommitmentVersion.objects.create(commitment=c, number=1, aspect="work", content=c.content,
                                         measurable_result=c.measurable_result, due_on=due_on)
    return c


def test_branch_secretary_home_is_flat(client, world, uncached):
    open_period(world.branch_a, kind=PeriodKind.Q1)
    plan = AnnualPlan.objects.create(organization=world.branch_a, year=2026, theme="organization_building")
    members: list = []

    def grow_to(n: int) -> None:
        while len(members) < n:
            i = len(members)
            m = make_member(world.branch_a, f"成员{i}", phone=f"1370000{i:04d}")
            members.append(m)
            _commitment(m, "submitted", datetime.date(2026, 6, 30), i)
            Opinion.objects.create(plan=plan, content=f"意见{i}")
            TargetItem.objects.create(plan=plan, category="party", content=f"目标{i}", indicator="1", role="party_core",
                                      responsible="王", deadline=datetime.date(2026, 4, 1), position=i)

    client.force_login(world.user("branch_a_secretary"))
    n = assert_flat_queries(client, HOME, grow_to=grow_to, budget=20)
    body = client.get(HOME).content.decode()
    assert "另有180条承诺待审核" in body and "201人尚未评定" in body and "答复意见建议：200条待处理" in body
    print(f"branch secretary home: {n} queries")


def test_member_home_is_flat(client, world, uncached):
    open_period(world.branch_a, kind=PeriodKind.Q1)
    user = world.user("member_a")
    made: list = []

    def grow_to(n: int) -> None:
        while len(made) < n:
            i = len(made)
            made.append(_commitment(world.member_a, "returned" if i % 2 else "approved", datetime.date(2026, 4, 1), i))
            Notice.objects.create(recipient=user, subject=f"通知{i}")

    client.force_login(user)
    n = assert_flat_queries(client, HOME, grow_to=grow_to, budget=16)
    body = client.get(HOME).content.decode()
    assert "阅读通知：200条未读" in body and "修改退回的承诺" in body and "述岗自评" in body
    print(f"member home: {n} queries")


def _reporting_units(world) -> tuple[list, object]:
    units: list = []

    def grow_to(n: int) -> None:
        while len(units) < n:
            i = len(units)
            unit = organization_create(parent=world.city, name=f"高校{i}党委", kind=OrgKind.UNIVERSITY_COMMITTEE,
                                       code=f"T-X{i}", reports_quarterly=True, school_name=f"高校{i}")
            organization_create(parent=unit, name=f"高校{i}支部", kind=OrgKind.BRANCH, code=f"T-X{i}-B",
                                school_name=f"高校{i}", launched_on=timezone.localdate())
            units.append(unit)

    return units, grow_to


def test_city_staff_home_is_flat(client, world, uncached):
    _units, grow_to = _reporting_units(world)
    client.force_login(world.user("city_staff"))
    n = assert_flat_queries(client, HOME, grow_to=grow_to, budget=15)
    body = client.get(HOME).content.decode()
    assert "2025年第四季度季报表逾期未报送：201个单位" in body  # the 200 and the world's own unit
    assert f'hx-get="{reverse("reports:home_summary")}"' in body  # the progress figures come after the page
    print(f"city staff home: {n} queries")


def test_city_staff_home_progress_figures_are_flat(client, world, uncached):
    _units, grow_to = _reporting_units(world)
    client.force_login(world.user("city_staff"))
    url = reverse("reports:home_summary")
    n = assert_flat_queries(client, url, grow_to=grow_to, budget=15)
    summary = client.get(url).content.decode()
    assert "data-summary" in summary and "泉州市委教育工委进展" in summary and "已报送 0/201 个单位" in summary
    assert client.get(url).content.decode() == summary
    client.force_login(world.user("branch_a_secretary"))  # no committee staff: no figures
    assert "data-summary" not in client.get(url).content.decode()
    assert "data-summary-slot" not in client.get(HOME).content.decode()
    print(f"city staff home's progress figures: {n} queries")


def test_badge_counts_the_same_list(client, world):
    open_period(world.branch_a, kind=PeriodKind.Q1)
    client.force_login(world.user("member_a"))
    page = client.get(HOME).content.decode()
    badge = client.get(reverse("home_badge")).content.decode()
    shown = page.count('class="card todo-item"')
    assert shown >= 1 and f'data-todo-count="{shown}"' in badge
    assert 'hx-get="/todo/badge/"' in page


def test_school_secretary_home_is_flat_with_branch_secretaries_to_assess(client, world, uncached):
    from organizations.models import RoleAssignment
    from tests.world import make_user

    open_period(world.branch_a, kind=PeriodKind.Q1)
    made: list = []

    def grow_to(n: int) -> None:
        while len(made) < n:
            i = len(made)
            user = make_user(f"branch_sec_{i}")
            RoleAssignment.objects.create(user=user, organization=world.branch_a, role="branch_secretary")
            made.append(make_member(world.branch_a, f"支书{i}", phone=f"1360000{i:04d}", user=user))

    client.force_login(world.user("school_a_secretary"))
    n = assert_flat_queries(client, HOME, grow_to=grow_to, budget=18)
    assert "综合评定（下级书记）：甲校第一支部2026年一季一评，200人" in client.get(HOME).content.decode()
    print(f"school secretary home: {n} queries")


def test_the_subtree_figures_on_a_staff_home_are_counted_once_until_something_changes(client, world):
    """The late units and the progress figures are the same for every staff member of the subtree: the second
    request reads them from the cache, and a submitted report shows at once."""
    from reports import dashboard_cache

    _units, grow_to = _reporting_units(world)
    grow_to(5)
    client.force_login(world.user("city_staff"))
    url = reverse("reports:home_summary")
    dashboard_cache.invalidate()
    cold, _sql = count_queries(client, url)
    warm, _sql = count_queries(client, url)
    assert warm < cold
    assert "已报送 0/6 个单位" in client.get(url).content.decode()
    year, quarter = quarter_of(timezone.localdate())
    unit = _units[0]
    QuarterlyReport.objects.create(organization=unit, year=year, quarter=quarter,
                                   state=QuarterlyReport.State.SUBMITTED, submitted_at=timezone.now(),
                                   due_on=timezone.localdate())  # fmt: skip
    assert "已报送 1/6 个单位" in client.get(url).content.decode()

