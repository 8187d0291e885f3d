"""The next year opened from the demo year: the realistic city (`manage.py load_demo`: ~780 organizations, ~7,100
members) runs 2026; the city committee sets the year's calendar and a school narrows a window; in January 2027 the
city's staff open 2027 on the years page. The calendar moves on a year, a school secretary starts 2027's plans and
posts from 2026's (rows and posts copied as drafts, people kept only while still active), and 2026 is read-only in
every app while its Annex 1, 2 and 5 still download.

The demo is loaded once for the module (about 15 s) inside a transaction that is rolled back at the end; each test
runs in a savepoint of its own, so what one test writes is gone before the next."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import EvaluationPeriod, SelfEvaluation
from organizations.models import Member, Organization
from organizations.services import member_update
from posts.models import Commitment, Post, PostClaim
from reports.models import QuarterlyReport
from targets.models import AnnualPlan, TargetItem
from tests.evaluations_fixtures import on_day
from years.enums import WindowKind, default_dates, shift_year
from years.models import CalendarWindow, WorkYear
from years.selectors import window_for

D = datetime.date
DEMO_YEAR, NEW_YEAR = 2026, 2027
LOADED_ON = D(2026, 12, 4)  # the demo year's fourth quarter: its year-end rating is open
OPENED_ON = D(2027, 1, 6)  # the city opens 2027 in its first week
ARCHIVED = "2026年度已归档"
SCHOOL, BRANCH, UNIVERSITY = "QZ-JJ-S01", "QZ-JJ-S01-B1", "QZ-U1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(_user(username))
    return client


def _org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def _city_calendar(**changes) -> dict:
    data = {}
    for kind in WindowKind:
        opens, closes = default_dates(DEMO_YEAR, kind)
        data[f"{kind.value}-opens_on"], data[f"{kind.value}-closes_on"] = opens.isoformat(), closes.isoformat()
    return data | changes


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded in December 2026 with the city's calendar and a school's narrowing set through their pages,
    then 2027 opened on the years page in January 2027 (the day stays frozen there for the tests)."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media), transaction.atomic():
        with on_day(LOADED_ON):
            call_command("load_demo", with_demo_logins=True, stdout=io.StringIO())
            assert 700 < Organization.objects.count() < 900 and 6_000 < Member.objects.count() < 8_000
            assert WorkYear.objects.get(year=DEMO_YEAR).state == "open"
            city = _client("city")
            calendar = f"{reverse('years:calendar', args=[_org('QZ').pk])}?year={DEMO_YEAR}"
            changes = {"q1-opens_on": "2026-03-05", "q1-closes_on": "2026-04-10", "report_q4-closes_on": "2026-12-18"}
            assert city.post(calendar, _city_calendar(**changes)).status_code == 302
            school_calendar = f"{reverse('years:calendar', args=[_org(SCHOOL).pk])}?year={DEMO_YEAR}"
            narrowed = {"kind": "h1", "action": "set", "h1-opens_on": "2026-06-10", "h1-closes_on": "2026-06-25"}
            assert _client("school").post(school_calendar, narrowed).status_code == 302
            windows_2026 = {
                (w.organization_id, w.kind): (w.opens_on, w.closes_on) for w in CalendarWindow.objects.filter(year=DEMO_YEAR)
            }
        with on_day(OPENED_ON):
            city = _client("city")  # signed in anew: December's session has expired by January
            index = city.get(reverse("years:index")).content.decode()
            opened = city.post(reverse("years:open"), {"year": NEW_YEAR}, follow=True)
            yield SimpleNamespace(index=index, opened=opened, windows_2026=windows_2026)
        transaction.set_rollback(True)


@pytest.fixture
def on_demo(demo, db):
    """Each test in a savepoint inside the module's transaction, on the day 2027 was opened."""
    return demo


def test_the_city_opens_2027_from_the_page_and_the_demo_calendar_moves_on_a_year(on_demo):
    assert "开启2027年度" in on_demo.index
    body = on_demo.opened.content.decode()
    assert "已开启2027年度，日历已按上一年度顺延，2026年度已归档（只读）" in body
    assert WorkYear.objects.get(year=DEMO_YEAR).is_archived and not WorkYear.objects.get(year=NEW_YEAR).is_archived
    assert "开启2028年度" in body and "已归档（只读）" in body

    # every window of 2026 (the city's eight and the school's narrowing) is in 2027, a year on
    windows_2027 = {
        (w.organization_id, w.kind): (w.opens_on, w.closes_on) for w in CalendarWindow.objects.filter(year=NEW_YEAR)
    }
    assert len(on_demo.windows_2026) == 9
    assert windows_2027 == {key: (shift_year(a), shift_year(b)) for key, (a, b) in on_demo.windows_2026.items()}
    branch, other = _org(BRANCH), _org("QZ-NA-S01-B1")
    q1 = window_for(other, NEW_YEAR, "q1")
    assert (q1.opens_on, q1.closes_on) == (D(2027, 3, 5), D(2027, 4, 10))
    h1 = window_for(branch, NEW_YEAR, "h1")
    assert (h1.opens_on, h1.closes_on, h1.set_by) == (D(2027, 6, 10), D(2027, 6, 25), _org(SCHOOL).name)
    assert window_for(other, NEW_YEAR, "h1").closes_on == D(2027, 6, 30)
    assert window_for(_org(UNIVERSITY), NEW_YEAR, "report_q4").closes_on == D(2027, 12, 18)
    # the demo year's own windows are as they were
    assert window_for(branch, DEMO_YEAR, "h1").closes_on == D(2026, 6, 25)


def test_a_school_secretary_starts_2027_from_the_demo_year(on_demo):
    branch, school = _org(BRANCH), _org(SCHOOL)
    old_plan = AnnualPlan.objects.get(organization=branch, year=DEMO_YEAR)
    old_items = list(old_plan.items.order_by("pk"))
    old_posts = list(Post.objects.filter(organization=branch, year=DEMO_YEAR))
    assert old_items and old_posts
    # a teacher on one of last year's posts has since left (not the demo member nor the secretary)
    leaver = (
        Member.objects.filter(post_claims__post__in=old_posts, user__isnull=True).order_by("pk").first()
    )
    member_update(member=leaver, is_active=False)
    kept_2026 = PostClaim.objects.filter(post__in=old_posts).exclude(member=leaver).count()
    claims_2026 = list(PostClaim.objects.filter(post__year=DEMO_YEAR).values_list("pk", "post_id", "member_id"))
    commitments_2026 = Commitment.objects.filter(claim__post__year=DEMO_YEAR).count()
    items_2026 = list(TargetItem.objects.filter(plan__year=DEMO_YEAR).values())

    # the school's secretary starts the branch's 2027 plan and posts in one step
    r = _client("school").post(reverse("posts:year_start", args=[branch.pk]), {"year": NEW_YEAR}, follow=True)
    plan = AnnualPlan.objects.get(organization=branch, year=NEW_YEAR)
    assert r.status_code == 200 and r.redirect_chain[-1][0] == reverse("targets:step", args=[plan.pk, "decomposition"])
    body = r.content.decode()

    # Annex 1 rows copied unpublished and not started, deadlines a year on, people kept only while still active
    active = set(Member.objects.filter(organization__path__startswith=branch.path, is_active=True).values_list("name", flat=True))
    rows = list(plan.items.order_by("copied_from_id"))
    assert [i.copied_from_id for i in rows] == [i.pk for i in old_items]
    for new, old in zip(rows, old_items, strict=True):
        assert (new.content, new.indicator, new.category) == (old.content, old.indicator, old.category)
        assert new.deadline == shift_year(old.deadline)
        assert new.published_at is None and new.status == "not_started" and new.percent == 0
        assert new.responsible == (old.responsible if old.responsible in active else "")
    assert not plan.completions.exists()

    # posts copied, the people still on the roster kept, the leaver listed and left off, no commitment carried
    posts = Post.objects.filter(organization=branch, year=NEW_YEAR)
    assert sorted(p.name for p in posts) == sorted(p.name for p in old_posts)
    claims = PostClaim.objects.filter(post__in=posts)
    assert claims.count() == kept_2026 and not claims.filter(member=leaver).exists()
    assert not Commitment.objects.filter(claim__post__year=NEW_YEAR).exists()
    assert f"保留在岗人员 {kept_2026} 人" in body and f"已不在册、未保留：{leaver.name}" in body

    # the school's own plan is started from its 2026 plan (steps 1–4 done there) the same way
    r = _client("school").post(reverse("targets:plan_start", args=[school.pk]), {"year": NEW_YEAR}, follow=True)
    school_plan = AnnualPlan.objects.get(organization=school, year=NEW_YEAR)
    assert school_plan.items.count() == AnnualPlan.objects.get(organization=school, year=DEMO_YEAR).items.count() > 0
    assert not school_plan.items.exclude(published_at=None).exists()

    # and 2026 stays as it was
    assert list(PostClaim.objects.filter(post__year=DEMO_YEAR).values_list("pk", "post_id", "member_id")) == claims_2026
    assert Commitment.objects.filter(claim__post__year=DEMO_YEAR).count() == commitments_2026
    assert list(TargetItem.objects.filter(plan__year=DEMO_YEAR).values()) == items_2026


def test_the_demo_year_refuses_a_crafted_write_in_every_app_and_writes_nothing(on_demo):
    school, branch, university = _org(SCHOOL), _org(BRANCH), _org(UNIVERSITY)

    # targets: an Annex 1 row of the school's 2026 plan, sent in full by its secretary
    item = TargetItem.objects.filter(plan__organization=school, plan__year=DEMO_YEAR).order_by("pk").first()
    data = {
        "category": item.category, "content": "改过的内容", "indicator": item.indicator, "measures": item.measures,
        "role": item.role, "office": item.office, "responsible": item.responsible,
        "deadline": item.deadline.isoformat(), "version": item.version,
    }  # fmt: skip
    r = _client("school").post(reverse("targets:item_edit", args=[item.pk]), data)
    assert r.status_code == 400 and ARCHIVED in r.content.decode()
    assert TargetItem.objects.get(pk=item.pk).content == item.content

    # posts: a new commitment on the demo member's own 2026 claim
    claim = PostClaim.objects.filter(member__user__username="member", post__year=DEMO_YEAR).order_by("pk").first()
    before = Commitment.objects.count()
    r = _client("member").post(
        reverse("posts:commitment_create", args=[claim.pk]),
        {"aspect": "work", "content": "开设公开课两节", "measurable_result": "公开课 2 节", "due_on": "2026-12-31"},
    )
    assert r.status_code == 400 and ARCHIVED in r.content.decode()
    assert Commitment.objects.count() == before

    # evaluations: the member's self-evaluation in the branch's 2026 year-end period
    period = EvaluationPeriod.objects.get(organization=branch, year=DEMO_YEAR, kind="year")
    before = SelfEvaluation.objects.count()
    r = _client("member").post(reverse("evaluations:self_evaluation", args=[period.pk]), {"summary": "全年述岗", "score": "90"})
    assert r.status_code == 400 and ARCHIVED in r.content.decode()
    assert SelfEvaluation.objects.count() == before

    # reports: the university's fourth-quarter draft
    report = QuarterlyReport.objects.get(organization=university, year=DEMO_YEAR, quarter=4)
    assert report.state == QuarterlyReport.State.DRAFT
    r = _client("unit").post(
        reverse("reports:quarterly_detail", args=[report.pk]),
        {"practices": "新的做法", "problems": "问题", "next_steps": "打算", "filled_by": "林雅婷",
         "contact_phone": "0595-22000000", "version": report.version},
    )  # fmt: skip
    assert ARCHIVED in r.content.decode()
    assert QuarterlyReport.objects.get(pk=report.pk).practices == report.practices

    # years: the school drops its 2026 narrowing
    r = _client("school").post(
        f"{reverse('years:calendar', args=[school.pk])}?year={DEMO_YEAR}", {"kind": "h1", "action": "clear"}, follow=True
    )
    assert ARCHIVED in r.content.decode()
    assert CalendarWindow.objects.filter(organization=school, year=DEMO_YEAR, kind="h1").exists()


def _sheet_text(response) -> str:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )


def test_the_demo_years_annexes_still_download(on_demo):
    school, university = _org(SCHOOL), _org(UNIVERSITY)
    client = _client("school")
    r = client.get(f"{reverse('reports:annex1_xlsx', args=[school.pk])}?year={DEMO_YEAR}")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    text = _sheet_text(r)
    item = TargetItem.objects.filter(plan__organization=school, plan__year=DEMO_YEAR).order_by("pk").first()
    assert item.content in text and school.name in text

    r = client.get(f"{reverse('reports:annex2_xlsx', args=[school.pk])}?year={DEMO_YEAR}")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    text = _sheet_text(r)
    post = Post.objects.filter(organization__code=BRANCH, year=DEMO_YEAR).order_by("pk").first()
    assert post.name in text and "蔡明辉" in text

    report = QuarterlyReport.objects.get(organization=university, year=DEMO_YEAR, quarter=4)
    r = _client("unit").get(reverse("reports:quarterly_xlsx", args=[report.pk]))
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    assert university.name in _sheet_text(r)
