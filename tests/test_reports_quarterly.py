"""Annex 5 as a submission: open, fill in, submit (late after the 20th), return with a reason, resubmit, accept."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reports.models import QuarterlyReport, QuarterlyReportEvent
from reports.services import (
    quarterly_report_accept,
    quarterly_report_open,
    quarterly_report_refresh,
    quarterly_report_return,
    quarterly_report_submit,
    quarterly_report_update,
)
from tests.reports_fixtures import YEAR, launch, posts_with_claims

State = QuarterlyReport.State
NARRATIVE = {
    "practices": "全面推行亮岗履职",
    "problems": "个别支部进度慢",
    "next_steps": "年底前推广面达到100%",
    "filled_by": "王志明",
    "contact_phone": "0595-22000000",
}


def filled(world, quarter: int = 4) -> QuarterlyReport:
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=quarter, by=world.user("unit_staff"))
    return quarterly_report_update(
        report=report, by=world.user("unit_staff"), expected_version=report.version, **NARRATIVE
    )


def at(day: datetime.date):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.mark.django_db
def test_it_counts_the_figures_of_the_subtree_when_opened(world):
    posts_with_claims(world.unit, 3, branch=world.unit_branch)
    posts_with_claims(world.school_b, 2, branch=world.branch_b)  # another subtree: not counted
    launch(world.unit_branch)
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=world.user("unit_staff"))
    assert (report.org_total, report.org_launched, str(report.coverage_percent)) == (1, 1, "100.0")
    assert (report.members, report.members_with_posts, report.posts) == (3, 3, 3)
    assert (report.commitments_published, report.commitments_fulfilled) == (3, 2)
    assert report.due_on == datetime.date(YEAR, 12, 20)
    assert report.events.get().action == QuarterlyReportEvent.Action.OPENED


@pytest.mark.django_db
def test_it_refuses_an_organization_that_does_not_report(world):
    with pytest.raises(ValidationError, match="不报送季报表"):
        quarterly_report_open(organization=world.school_a, year=YEAR, quarter=4, by=None)


@pytest.mark.django_db
def test_it_refreshes_until_submitted_then_freezes_the_figures(world):
    report = filled(world)
    posts_with_claims(world.unit, 2, branch=world.unit_branch)
    report = quarterly_report_refresh(report=report, by=None, expected_version=report.version)
    assert report.posts == 2
    with at(datetime.date(YEAR, 12, 1)):
        report = quarterly_report_submit(report=report, by=world.user("unit_staff"), expected_version=report.version)
    assert report.state == State.SUBMITTED and not report.is_late
    posts_with_claims(world.unit, 5, branch=world.unit_branch)
    with pytest.raises(ValidationError, match="锁定"):
        quarterly_report_refresh(report=report, by=None, expected_version=report.version)
    report.refresh_from_db()
    assert report.posts == 2


@pytest.mark.django_db
def test_it_marks_a_report_submitted_after_the_20th_late(world):
    report = filled(world)
    with at(datetime.date(YEAR, 12, 21)):
        report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    assert report.is_late


@pytest.mark.django_db
def test_it_needs_the_narrative_before_submitting(world):
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=None)
    with pytest.raises(ValidationError, match="主要做法和成效"):
        quarterly_report_submit(report=report, by=None, expected_version=report.version)


@pytest.mark.django_db
def test_it_returns_with_a_reason_and_accepts_the_resubmission(world):
    city = world.user("city_staff")
    report = filled(world)
    report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    with pytest.raises(ValidationError):
        quarterly_report_return(report=report, by=city, reason="  ", expected_version=report.version)
    report = quarterly_report_return(report=report, by=city, reason="数据有误", expected_version=report.version)
    assert report.state == State.RETURNED
    report = quarterly_report_update(report=report, by=None, expected_version=report.version, practices="改正后")
    report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    report = quarterly_report_accept(report=report, by=city, expected_version=report.version)
    assert report.state == State.ACCEPTED
    actions = list(report.events.values_list("action", "to_state", "reason"))
    assert actions[-4:] == [
        ("returned", "returned", "数据有误"),
        ("saved", "returned", ""),
        ("submitted", "submitted", ""),
        ("accepted", "accepted", ""),
    ]
    assert report.history.count() >= 6


@pytest.mark.django_db
def test_it_refuses_a_stale_version(world):
    report = filled(world)
    with pytest.raises(ValidationError, match="已被他人修改"):
        quarterly_report_update(report=report, by=None, expected_version=report.version - 1, practices="x")


# ---- pages ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unit_staff_opens_fills_and_submits_on_the_pages(world, login):
    client = login(world.user("unit_staff"))
    r = client.get(reverse("reports:quarterly_list") + f"?year={YEAR}&quarter=4")
    assert "丙高校党委" in r.content.decode() and "填报" in r.content.decode()
    r = client.post(reverse("reports:quarterly_open", args=[world.unit.pk]), {"year": YEAR, "quarter": 4})
    report = QuarterlyReport.objects.get()
    assert r.status_code == 302 and r["Location"] == report.get_absolute_url()
    r = client.post(report.get_absolute_url(), {**NARRATIVE, "version": report.version})
    assert r.status_code == 302
    report.refresh_from_db()
    r = client.post(reverse("reports:quarterly_submit", args=[report.pk]), {**NARRATIVE, "version": report.version})
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    page = client.get(report.get_absolute_url()).content.decode()
    assert "已报送" in page and "全面推行亮岗履职" in page


@pytest.mark.django_db
def test_bad_phone_keeps_the_input_with_a_chinese_message(world, login):
    report = quarterly_report_open(organization=world.unit, year=YEAR, quarter=4, by=None)
    client = login(world.user("unit_staff"))
    r = client.post(report.get_absolute_url(), {**NARRATIVE, "contact_phone": "abc", "version": report.version})
    assert r.status_code == 400
    body = r.content.decode()
    assert "请填写有效的电话号码" in body and "全面推行亮岗履职" in body


@pytest.mark.django_db
def test_city_staff_sees_but_may_not_fill_in(world, login):
    report = filled(world)
    client = login(world.user("city_staff"))
    assert client.get(report.get_absolute_url()).status_code == 200
    r = client.post(reverse("reports:quarterly_submit", args=[report.pk]), {"version": report.version})
    assert r.status_code == 403


@pytest.mark.django_db
def test_unit_staff_may_not_accept_their_own_report(world, login):
    report = filled(world)
    report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    client = login(world.user("unit_staff"))
    r = client.post(reverse("reports:quarterly_accept", args=[report.pk]), {"version": report.version})
    assert r.status_code == 403


@pytest.mark.django_db
def test_city_returns_without_reason_gets_a_message(world, login):
    report = filled(world)
    report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    client = login(world.user("city_staff"))
    r = client.post(reverse("reports:quarterly_return", args=[report.pk]), {"version": report.version, "reason": ""})
    assert r.status_code == 400 and "请填写退回理由" in r.content.decode()
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


@pytest.mark.django_db
def test_a_stale_save_shows_the_newer_text_and_keeps_the_input(world, login):
    report = filled(world)
    old_version = report.version
    quarterly_report_update(report=report, by=None, expected_version=report.version, practices="同事刚保存的内容")
    client = login(world.user("unit_staff"))
    r = client.post(report.get_absolute_url(), {**NARRATIVE, "practices": "我的修改", "version": old_version})
    body = r.content.decode()
    assert r.status_code == 409
    assert "已被他人修改" in body and "我的修改" in body and "同事刚保存的内容" in body
    report.refresh_from_db()
    assert report.practices == "同事刚保存的内容"


@pytest.mark.django_db
def test_the_list_shows_late_and_days_left(world, login):
    report = filled(world, quarter=3)
    with at(datetime.date(YEAR, 9, 25)):
        quarterly_report_submit(report=report, by=None, expected_version=report.version)
    body = login(world.user("city_staff")).get(reverse("reports:quarterly_list") + f"?year={YEAR}&quarter=3").content
    assert "逾期" in body.decode() and "已过截止日期" in body.decode()


@pytest.mark.django_db
def test_it_tells_the_city_of_a_submission_and_the_unit_of_a_return(world):
    from notifications.models import Notice

    report = filled(world)
    report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    assert Notice.objects.filter(recipient=world.user("city_staff"), url=report.get_absolute_url()).exists()
    quarterly_report_return(report=report, by=world.user("city_staff"), reason="请补充数据", expected_version=report.version)
    notice = Notice.objects.get(recipient=world.user("unit_staff"))
    assert "已退回" in notice.subject and notice.body == "请补充数据"
    assert not Notice.objects.filter(recipient=world.user("county_b_staff")).exists()


@pytest.mark.django_db
def test_the_unit_sees_why_its_report_came_back(world, login):
    report = filled(world)
    report = quarterly_report_submit(report=report, by=None, expected_version=report.version)
    quarterly_report_return(report=report, by=world.user("city_staff"), reason="请核实推广面", expected_version=report.version)
    body = login(world.user("unit_staff")).get(report.get_absolute_url()).content.decode()
    assert 'id="return-reason"' in body and "请核实推广面" in body
