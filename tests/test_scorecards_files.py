"""The scorecard's files read back (the ranked table with openpyxl, a school's card with pdftotext) and the ranked
table's query count, the same for 10 schools as for 200."""

from __future__ import annotations

import datetime
import io
import subprocess

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from organizations.enums import OrgKind
from organizations.services import organization_create
from posts.models import Commitment, DutyLogEntry, Post, PostClaim
from targets.models import AnnualPlan, Opinion, StepCompletion, TargetItem
from tests.budget import assert_flat_queries
from tests.evaluations_fixtures import on_day
from tests.scorecards_fixtures import TODAY, YEAR, at, build_scorecard_tree, d
from tests.world import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with on_day(TODAY):
        yield


def test_the_ranked_table_downloads_as_the_page_shows_it(world, client):
    build_scorecard_tree(world)
    client.force_login(world.user("city_staff"))
    r = client.get(reverse("scorecards:table_xlsx", args=[world.county_a.pk]), {"year": YEAR})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    flat = [str(c) for row in rows for c in row if c is not None]
    assert any("2026年“168”机制实施情况考评计分排名" in c for c in flat)
    header = next(row for row in rows if row and "排名" in row)
    assert header[:3] == ["排名", "单位", "得分"]
    assert "第1季度末" in header and "六步工作法完成及时（%）" in header
    body = [row for row in rows if row and row[1] in ("甲校党委", "丁校党委")]
    assert [(row[0], row[1], row[2]) for row in body] == [(1, "甲校党委", 56.6), (2, "丁校党委", 0)]
    steps = header.index("六步工作法完成及时（%）")
    assert body[0][steps] == "41.7▼"  # below its threshold: marked
    assert body[0][header.index("季报表按时报送（%）")] == "不计"


def test_a_schools_card_prints_as_pdf(world, client):
    build_scorecard_tree(world)
    client.force_login(world.user("school_a_secretary"))
    r = client.get(reverse("scorecards:card_pdf", args=[world.school_a.pk]), {"year": YEAR})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=r.content, capture_output=True, check=True)
    text = "".join(text.stdout.decode().split())
    assert "甲校党委2026年“168”机制实施情况考评计分卡" in text
    assert "得分：56.6" in text and "六步工作法完成及时" in text and "怎样提高得分" in text
    assert "13900000001" not in text


def test_the_ranked_table_keeps_its_query_count_flat(world, client, monkeypatch):
    # the counts are cached between writes: measured here without the cache, as the first request after a write
    monkeypatch.setattr("scorecards.selectors.cached", lambda key, compute: compute())
    monkeypatch.setattr("scorecards.selectors.cached_many", lambda computes: {k: f() for k, f in computes.items()})
    schools: list = []

    def grow_to(n: int) -> None:
        while len(schools) < n:
            i = len(schools)
            school = organization_create(parent=world.county_a, name=f"校{i}", kind=OrgKind.SCHOOL_COMMITTEE)
            branch = organization_create(parent=school, name=f"校{i}支部", kind=OrgKind.BRANCH)
            member = make_member(branch, f"员{i}", phone=f"1371000{i:04d}")
            plan = AnnualPlan.objects.create(organization=school, year=YEAR, theme="dedication")
            StepCompletion.objects.create(plan=plan, step="opinions", completed_at=at(3, 1))
            TargetItem.objects.create(plan=plan, category="party", content="目标", indicator="1", role="party_core",
                                      responsible="王", deadline=d(12, 1))  # fmt: skip
            post = Post.objects.create(organization=branch, year=YEAR, name="岗", duties="责")
            c = Commitment.objects.create(claim=PostClaim.objects.create(post=post, member=member), content="诺",
                                          measurable_result="果", due_on=d(6, 1))  # fmt: skip
            DutyLogEntry.objects.create(commitment=c, happened_on=d(5, 1), content="记")
            Opinion.objects.create(organization=school, source="public", content="意见")
            schools.append(school)
        if connection.vendor == "postgresql":
            # the planner's statistics brought up to date, as autovacuum keeps them on a real database: late in a
            # long run, the test database's are those of other tests' rolled-back rows, and the counting query
            # then took minutes instead of a second
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    client.force_login(world.user("city_staff"))
    url = reverse("scorecards:table", args=[world.county_a.pk]) + f"?year={YEAR}"
    n = assert_flat_queries(client, url, grow_to=grow_to, budget=12)
    body = client.get(url).content.decode()
    assert "共 201 个单位" in body  # the 200 schools and 甲校, ranked
    assert body.count('class="drill"') == 30  # shown a page at a time
    print(f"ranked table of a county: {n} queries")


def test_the_year_before_is_scored_at_its_last_day(world):
    from scorecards.selectors import cutoffs, day_for

    assert day_for(YEAR - 1) == datetime.date(YEAR - 1, 12, 31)
    assert [label for label, _d in cutoffs(YEAR - 1, day_for(YEAR - 1))] == [
        "第1季度末", "第2季度末", "第3季度末", "第4季度末",
    ]  # fmt: skip
