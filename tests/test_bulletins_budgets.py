"""The pages of 情况通报 and 简报 keep their query count whatever the number of circulars, receipts and write-ups."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from bulletins.enums import BriefState
from bulletins.models import Brief
from evaluations.models import EvaluationPeriod
from organizations.enums import DemoKind, OrgKind
from organizations.services import demonstration_create, organization_create
from posts.models import Notice, NoticeReceipt
from tests.budget import assert_flat_queries

TODAY = timezone.localdate()


def _briefs(world, n_of):
    demo = demonstration_create(designated_by=world.county_a, organization=world.school_a,
                                kind=DemoKind.COMPREHENSIVE, year=TODAY.year)  # fmt: skip
    author = world.user("school_a_secretary")

    def grow_to(n: int) -> None:
        have = Brief.objects.count()
        Brief.objects.bulk_create([
            Brief(demonstration=demo, organization=world.school_a, committee=world.county_a, year=TODAY.year,
                  title=f"做法{i}", body="经验", submitted_by=author, submitted_at=timezone.now(),
                  state=n_of(i), issue_no=i + 1 if n_of(i) == BriefState.PUBLISHED else None)
            for i in range(have, n)
        ])  # fmt: skip

    return grow_to


def test_the_circulars_page_is_flat_in_circulars_receipts_and_late_units(world, login):
    start = datetime.date(TODAY.year, 1, 1)

    def grow_to(n: int) -> None:
        have = Notice.objects.filter(organization=world.county_a).count()
        for i in range(have, n):
            notice = Notice.objects.create(organization=world.county_a, title=f"通报{i}", body="内容")
            NoticeReceipt.objects.create(notice=notice, member=world.member_a, read_at=timezone.now() if i % 2 else None)
            branch = organization_create(parent=world.school_a, name=f"甲校支部{i}", kind=OrgKind.BRANCH,
                                         code=f"T-A-S-L{i}")  # fmt: skip
            EvaluationPeriod.objects.create(organization=branch, year=TODAY.year, kind="q1", opens_on=start,
                                            closes_on=TODAY - datetime.timedelta(days=1))  # fmt: skip

    client = login(world.user("county_a_staff"))
    url = reverse("bulletins:circulars", args=[world.county_a.pk]) + f"?year={TODAY.year}&kind=q1"
    assert_flat_queries(client, url, grow_to=grow_to, budget=16)
    page = client.get(url).content.decode()
    assert "以下 200 个单位一季一评逾期未结束" in page and "甲校支部0、" in page  # the first 30 named, then 等


def test_the_committees_briefs_page_is_flat(world, login):
    grow_to = _briefs(world, lambda i: BriefState.PUBLISHED if i % 2 else BriefState.SUBMITTED)
    client = login(world.user("county_a_staff"))
    assert_flat_queries(client, reverse("bulletins:briefs", args=[world.county_a.pk]), grow_to=grow_to, budget=14)


def test_the_typical_units_briefs_page_is_flat(world, login):
    grow_to = _briefs(world, lambda i: BriefState.PUBLISHED if i % 3 else BriefState.RETURNED)
    client = login(world.user("school_a_secretary"))
    assert_flat_queries(client, reverse("bulletins:briefs", args=[world.school_a.pk]), grow_to=grow_to, budget=14)


def test_the_home_page_is_flat_in_write_ups_to_decide(world, login):
    grow_to = _briefs(world, lambda i: BriefState.SUBMITTED)
    client = login(world.user("county_a_staff"))
    assert_flat_queries(client, reverse("home"), grow_to=grow_to, budget=16)
