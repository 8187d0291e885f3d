"""The year's calendar in Chromium, from the city to a grade: the city sets 一季一评's window in the year's form, a
school narrows it (and is refused widening it, the message under the field), the branch finds its Q1 period already
open with the narrowed dates, marks a member who missed her self-evaluation 未参加 (病假) on the close page, closes,
and the grade says 缺自评.

The whole walk runs on one frozen day inside the window (16 March 2026), whatever the real date: the live server runs
in a thread of this process, so patching `django.utils.timezone.now` holds for its requests too."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import EvaluationPeriod, PartAbsence, Rating
from organizations.enums import Role
from organizations.models import RoleAssignment
from tests.browser.conftest import go, open_signed_in
from tests.evaluations_fixtures import FROZEN_TODAY, on_day
from tests.world import PASSWORD, make_member, make_user
from years.models import CalendarWindow
from years.selectors import window_for

pytestmark = pytest.mark.browser

D = datetime.date
YEAR = FROZEN_TODAY.year
WIDENING = "只能在上级设定的时间内缩短，不能放宽：上级一季一评时间为2026年3月5日至2026年4月10日"


@pytest.fixture(autouse=True)
def _on_the_frozen_day():
    """Autouse, so it is in force before the world is built and for every request the live server answers."""
    with on_day(FROZEN_TODAY):
        yield


def _page(chromium, live_server, username):
    return open_signed_in(chromium, live_server.url, username, PASSWORD)


_go = go


def _calendar(org) -> str:
    return f"{reverse('years:calendar', args=[org.pk])}?year={YEAR}"


def test_the_calendar_from_the_city_to_a_grade_with_a_missing_part(chromium, live_server, browser_world, tmp_path):
    w = browser_world
    assert FROZEN_TODAY == D(2026, 3, 16)
    user2 = make_user("member_a2", "甲二")
    RoleAssignment.objects.create(user=user2, organization=w.branch_a, role=Role.MEMBER)
    second = make_member(w.branch_a, "甲二成员", phone="13900000009", user=user2)

    # ---- the city committee's staff set the year up: 一季一评 from 5 March to 10 April --------------------------
    ctx, city = _page(chromium, live_server, "city_staff")
    _go(city, _calendar(w.city))
    opens = city.get_by_label("一季一评开始日期", exact=True)
    closes = city.get_by_label("一季一评截止日期", exact=True)
    assert opens.input_value() == "2026-03-01" and closes.input_value() == "2026-03-31"  # the policy's default
    opens.fill("2026-03-05")
    closes.fill("2026-04-10")
    city.get_by_role("button", name="保存年度日历").click()
    city.wait_for_load_state("networkidle")
    assert city.get_by_text("已保存2026年度日历").is_visible()
    assert city.get_by_label("一季一评开始日期", exact=True).input_value() == "2026-03-05"
    assert city.get_by_label("一季一评截止日期", exact=True).input_value() == "2026-04-10"
    city.screenshot(path=str(tmp_path / "city-calendar.png"), full_page=True)
    ctx.close()
    assert CalendarWindow.objects.filter(organization=w.city, year=YEAR).count() == 8
    assert (window_for(w.branch_b, YEAR, "q1").opens_on, window_for(w.branch_b, YEAR, "q1").closes_on) == (
        D(2026, 3, 5),
        D(2026, 4, 10),
    )

    # ---- the school narrows it to 10–31 March; widening it again is refused under the field ---------------------
    ctx, school = _page(chromium, live_server, "school_a_secretary")
    _go(school, _calendar(w.school_a))
    row = school.locator("#window-q1")
    assert row.get_by_text("须在上级时间2026年3月5日至2026年4月10日之内").is_visible()
    row.locator('input[name="q1-opens_on"]').fill("2026-03-10")
    row.locator('input[name="q1-closes_on"]').fill("2026-03-31")
    row.get_by_role("button", name="缩短").click()
    school.wait_for_load_state("networkidle")
    assert school.get_by_text("已保存一季一评时间").is_visible()
    row = school.locator("#window-q1")
    assert row.get_by_text("2026年3月10日", exact=True).is_visible() and row.get_by_text("本级已缩短").is_visible()

    row.locator('input[name="q1-opens_on"]').fill("2026-03-01")  # before the city's 5 March
    row.get_by_role("button", name="缩短").click()
    school.wait_for_load_state("networkidle")
    row = school.locator("#window-q1")
    field = row.locator('input[name="q1-opens_on"]')
    assert "is-invalid" in (field.get_attribute("class") or "")
    # the message sits in the start date's own field block, right below the input
    block = row.locator("div.mb-3", has=school.locator('input[name="q1-opens_on"]'))
    assert block.get_by_text(WIDENING).is_visible()
    assert row.locator("div.mb-3", has=school.locator('input[name="q1-closes_on"]')).get_by_text(WIDENING).count() == 0
    school.screenshot(path=str(tmp_path / "school-widening-refused.png"), full_page=True)
    ctx.close()
    own = CalendarWindow.objects.get(organization=w.school_a, year=YEAR, kind="q1")
    assert (own.opens_on, own.closes_on) == (D(2026, 3, 10), D(2026, 3, 31))  # the refused widening wrote nothing

    # ---- the branch finds its Q1 period already open, with the school's dates ----------------------------------
    assert not EvaluationPeriod.objects.exists()  # nobody opened anything
    ctx, sec = _page(chromium, live_server, "branch_a_secretary")
    sec.on("dialog", lambda dialog: dialog.accept())
    _go(sec, reverse("evaluations:org_periods", args=[w.branch_a.pk]))
    assert sec.get_by_role("button", name="开启").count() == 0
    q1 = sec.locator("tr", has=sec.get_by_role("link", name=f"{YEAR}年一季一评"))
    assert q1.count() == 1
    assert q1.get_by_text("2026年3月10日").is_visible() and q1.get_by_text("2026年3月31日").is_visible()
    sec.screenshot(path=str(tmp_path / "branch-periods.png"), full_page=True)
    q1.get_by_role("link", name=f"{YEAR}年一季一评").click()
    sec.wait_for_load_state("networkidle")
    period = EvaluationPeriod.objects.get(organization=w.branch_a, year=YEAR, kind="q1")
    assert (period.opens_on, period.closes_on) == (D(2026, 3, 10), D(2026, 3, 31))

    # ---- both members find the self-evaluation due on their home page, with the days left ---------------------
    for username in ("member_a", "member_a2"):
        mctx, home = _page(chromium, live_server, username)
        _go(home, "/")
        due = home.locator("[data-todo-list] li", has_text="述岗自评：2026年一季一评")
        assert due.get_by_text("还有 15 天").is_visible()
        mctx.close()

    # ---- the close page lists who lacks a self-evaluation ------------------------------------------------------
    sec.get_by_role("link", name="结束考评并公布结果").click()
    sec.wait_for_load_state("networkidle")
    missing_self = sec.locator('#missing-parts tr[data-part="self"]')
    assert sorted(r.locator("td").first.inner_text() for r in missing_self.all()) == ["甲二成员", "甲成员"]
    assert sec.get_by_role("button", name="确认结束考评并公布结果").is_disabled()
    sec.screenshot(path=str(tmp_path / "closing-missing.png"), full_page=True)

    # the other parts are done (through the services, to keep the walk short): 甲二 self-evaluates, both assessed
    services.self_evaluation_save(period=period, member=second, summary="基本完成承诺", score=Decimal("80"))
    for member, score in ((w.member_a, "88"), (second, "80")):
        services.assessment_save(
            period=period, member=member, score=Decimal(score), comment="履职认真", by=w.user("branch_a_secretary")
        )
    mctx, home = _page(chromium, live_server, "member_a2")  # self-evaluated: no longer on her home page
    _go(home, "/")
    assert home.get_by_text("述岗自评：2026年一季一评").count() == 0
    mctx.close()

    # ---- she marks 甲成员's self-evaluation 未参加 (病假) and closes ----------------------------------------------
    sec.reload()
    sec.wait_for_load_state("networkidle")
    rows = sec.locator("#missing-parts tbody tr")
    assert rows.count() == 1
    mark = sec.locator(f'#missing-parts tr[data-part="self"][data-member="{w.member_a.pk}"]')
    assert mark.get_by_text("甲成员").is_visible()
    mark.get_by_label("未参加原因").select_option(label="病假")
    mark.get_by_role("button", name="标记未参加").click()
    sec.wait_for_load_state("networkidle")
    assert sec.get_by_text("已将甲成员的述岗自评标记为未参加").is_visible()
    assert sec.locator("#marked-parts").get_by_text("病假").is_visible()
    assert sec.get_by_text("各项齐全 1 人，已标记未参加 1 人，仍有缺项 0 人。").is_visible()
    absence = PartAbsence.objects.get(period=period)
    assert (absence.member, absence.part, absence.reason) == (w.member_a, "self", "sick")
    sec.screenshot(path=str(tmp_path / "closing-marked.png"), full_page=True)
    sec.get_by_role("button", name="确认结束考评并公布结果").click()
    sec.wait_for_load_state("networkidle")
    assert sec.get_by_text("考评期已结束，结果已公布").is_visible()

    # ---- the results: 甲成员's grade says 缺自评, 甲二成员's does not ---------------------------------------------
    row_a = sec.locator("tr", has=sec.get_by_role("cell", name="甲成员", exact=True))
    row_b = sec.locator("tr", has=sec.get_by_role("cell", name="甲二成员", exact=True))
    assert row_a.locator('[data-missing="self"]').inner_text() == "缺自评"
    assert row_b.locator('[data-missing="self"]').count() == 0
    sec.screenshot(path=str(tmp_path / "results.png"), full_page=True)
    ctx.close()
    period.refresh_from_db()
    assert not period.is_open
    rating = Rating.objects.get(period=period, member=w.member_a)
    assert "缺自评" in rating.missing_labels and rating.self_score is None
    assert "缺自评" not in Rating.objects.get(period=period, member=second).missing_labels
