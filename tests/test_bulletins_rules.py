"""情况通报 and 简报: who issues, submits and decides, the subtree only, and crafted requests that write nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bulletins.enums import BriefState
from bulletins.models import Brief
from bulletins.services import (
    brief_publish,
    brief_return,
    brief_revise,
    brief_submit,
    circular_issue,
    circular_notify,
)
from evaluations.models import EvaluationPeriod, Rating
from inspections.enums import CheckArea
from inspections.services import inspection_record
from notifications.models import Notice as InboxNotice
from organizations.enums import DemoKind, PublicityChannel
from organizations.models import Publicity
from organizations.services import demonstration_create
from posts.models import Notice, NoticeReceipt
from tests.bulletins_fixtures import build_bulletins

TODAY = timezone.localdate()


def _typical(world, unit=None, by=None):
    return demonstration_create(designated_by=by or world.county_a, organization=unit or world.school_a,
                                kind=DemoKind.COMPREHENSIVE, year=TODAY.year)  # fmt: skip


def _submit(world, demo, title="课后服务党员先锋岗", by="school_a_secretary"):
    return brief_submit(demonstration=demo, by=world.user(by), year=TODAY.year, title=title, body="做法与成效")


# ---- 情况通报 ----------------------------------------------------------------------------------------------------


def test_committee_staff_issue_a_circular_to_every_member_of_their_subtree(
    world, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        notice = circular_issue(committee=world.county_a, by=world.user("county_a_staff"), title="一季一评情况通报",
                                body="各单位按时完成")  # fmt: skip
    assert len(queued) == 1  # the inbox notices go out from a background task after commit
    assert list(notice.receipts.values_list("member__name", flat=True)) == ["甲成员"]
    assert InboxNotice.objects.filter(recipient=world.user("member_a"), subject__contains="一季一评情况通报").count() == 1
    assert not InboxNotice.objects.filter(recipient=world.user("member_b")).exists()
    assert circular_notify(notice_id=notice.pk) == 0  # run again (a retried task): nobody is notified twice
    assert InboxNotice.objects.filter(recipient=world.user("member_a")).count() == 1
    client = login(world.user("member_a"))
    assert "阅读情况通报：1条未读" in client.get(reverse("home")).content.decode()
    assert client.get(notice.get_absolute_url()).status_code == 200
    assert NoticeReceipt.objects.get(notice=notice).read_at is not None
    staff_page = login(world.user("county_a_staff")).get(reverse("bulletins:circulars", args=[world.county_a.pk]))
    text = staff_page.content.decode()
    assert "已读 1/1" in text
    units = text[text.index('id="read-by-unit"'):]
    assert "甲校党委" in units and "1/1" in units and "乙" not in units.split("</table>")[0]


def test_only_committee_staff_issue_circulars_and_crafted_posts_write_nothing(world, login):
    with pytest.raises(PermissionDenied):
        circular_issue(committee=world.school_a, by=world.user("school_a_secretary"), title="t", body="b")
    with pytest.raises(PermissionDenied):
        circular_issue(committee=world.county_a, by=world.user("county_b_staff"), title="t", body="b")
    with pytest.raises(PermissionDenied):
        circular_issue(committee=world.county_a, by=world.user("school_a_secretary"), title="t", body="b")
    data = {"title": "伪造通报", "body": "伪造"}
    url = reverse("bulletins:circulars", args=[world.county_a.pk])
    assert login(world.user("county_b_staff")).post(url, data).status_code == 404
    assert login(world.user("school_a_secretary")).post(url, data).status_code == 404
    assert login(world.user("county_a_staff")).post(url, {"title": "", "body": ""}).status_code == 400
    assert not Notice.objects.exists() and not NoticeReceipt.objects.exists()


def test_the_draft_names_results_late_units_and_inspection_findings(world, login):
    year = TODAY.year
    late = EvaluationPeriod.objects.create(organization=world.branch_a, year=year, kind="q1",
                                           opens_on=datetime.date(year, 1, 1), closes_on=TODAY - datetime.timedelta(days=2))  # fmt: skip
    Rating.objects.create(period=late, member=world.member_a, weighted_score=Decimal("92"), grade="excellent")
    inspection_record(committee=world.county_a, organization=world.school_a, by=world.user("county_a_staff"),
                      inspected_on=TODAY, inspectors="巡查组", checked=[CheckArea.POSTS], findings="甲校公开栏未更新")  # fmt: skip
    page = login(world.user("county_a_staff")).get(
        reverse("bulletins:circulars", args=[world.county_a.pk]) + f"?year={year}&kind=q1"
    )
    text = page.content.decode()
    assert "共 1 名党员完成一季一评，其中优秀 1 人（100%）" in text
    assert "以下 1 个单位一季一评逾期未结束，请抓紧完成：甲校第一支部" in text
    assert "甲校公开栏未更新" in text and "乙" not in text.split("circular-period")[1]


def test_a_secretary_sees_circulars_but_no_form(world, login):
    circular_issue(committee=world.county_a, by=world.user("county_a_staff"), title="甲县通报", body="x")
    page = login(world.user("city_staff")).get(reverse("bulletins:circulars", args=[world.county_a.pk]))
    assert page.status_code == 200 and "甲县通报" in page.content.decode() and "issue-circular" not in page.content.decode()
    assert login(world.user("school_a_secretary")).get(
        reverse("bulletins:circulars", args=[world.school_a.pk])).status_code == 404  # fmt: skip


# ---- 简报 --------------------------------------------------------------------------------------------------------


def test_a_typical_unit_submits_and_the_committee_publishes_numbered_briefs(world, client):
    demo = _typical(world)
    first, second = _submit(world, demo, "第一篇"), _submit(world, demo, "第二篇")
    staff = world.user("county_a_staff")
    brief_publish(brief=second, by=staff, public=True, expected_version=second.version)
    brief_publish(brief=first, by=staff, public=False, expected_version=first.version)
    first.refresh_from_db(), second.refresh_from_db()
    assert (second.issue_no, first.issue_no) == (1, 2) and first.state == BriefState.PUBLISHED
    assert list(Publicity.objects.filter(demonstration=demo, channel=PublicityChannel.BULLETIN)
                .values_list("title", flat=True).order_by("title")) == ["第一篇", "第二篇"]  # fmt: skip
    assert InboxNotice.objects.filter(recipient=world.user("school_a_secretary"), subject__contains="简报已编发").count() == 2
    public = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    assert "第二篇" in public and "第一篇" not in public


def test_only_the_secretary_of_a_typical_unit_submits(world, login):
    demo = _typical(world)
    for who in ("county_a_staff", "school_b_secretary", "member_a"):
        with pytest.raises(PermissionDenied):
            _submit(world, demo, by=who)
    with pytest.raises(ValidationError) as e:
        brief_submit(demonstration=demo, by=world.user("school_a_secretary"), year=TODAY.year, title=" ", body="")
    assert set(e.value.error_dict) == {"title", "body"}
    # a unit that is not typical gets no form, and a crafted POST naming another unit's designation is refused
    b = build_bulletins(world)
    url = reverse("bulletins:brief_create", args=[world.branch_a.pk])
    client = login(world.user("branch_a_secretary"))
    assert "not-typical" in client.get(url).content.decode()
    data = {"demonstration": b["demonstration"].pk, "title": "伪造", "body": "伪造"}
    assert client.post(url, data).status_code == 403
    assert not Brief.objects.filter(title="伪造").exists() and not Brief.objects.filter(organization=world.school_a).exists()


def test_only_the_designating_committee_decides_and_nobody_their_own(world, login):
    b = build_bulletins(world)
    waiting = b["waiting"]
    for who in ("county_a_staff", "school_b_secretary", "city_staff"):
        with pytest.raises(PermissionDenied):
            brief_publish(brief=waiting, by=world.user(who), public=True, expected_version=waiting.version)
    # city staff see the county's subtree but the county designated the unit: a crafted POST is refused, 403
    r = login(world.user("city_staff")).post(reverse("bulletins:brief_publish", args=[waiting.pk]),
                                             {"version": waiting.version, "public": "on"})  # fmt: skip
    assert r.status_code == 403
    r = login(world.user("school_b_secretary")).post(reverse("bulletins:brief_publish", args=[waiting.pk]),
                                                     {"version": waiting.version})  # fmt: skip
    assert r.status_code == 403
    staff = world.user("county_b_staff")
    with pytest.raises(ValidationError):
        brief_publish(brief=waiting, by=staff, public=True, expected_version=waiting.version - 1)
    with pytest.raises(ValidationError) as e:
        brief_return(brief=waiting, by=staff, reason="  ", expected_version=waiting.version)
    assert "reason" in e.value.error_dict
    waiting.refresh_from_db()
    assert waiting.state == BriefState.SUBMITTED and waiting.issue_no is None
    # a school designating its own branch decides through its secretary, but not on a write-up of their own
    demo = _typical(world, unit=world.branch_a, by=world.school_a)
    own = _submit(world, demo, "自己写的", by="school_a_secretary")
    with pytest.raises(PermissionDenied):
        brief_publish(brief=own, by=world.user("school_a_secretary"), public=False, expected_version=own.version)
    theirs = _submit(world, demo, "支部写的", by="branch_a_secretary")
    brief_publish(brief=theirs, by=world.user("school_a_secretary"), public=False, expected_version=theirs.version)
    assert Brief.objects.get(pk=theirs.pk).issue_no == 1


def test_a_returned_write_up_is_revised_and_sent_again(world, login):
    b = build_bulletins(world)
    returned = b["returned"]
    client = login(world.user("school_b_secretary"))
    page = client.get(returned.get_absolute_url()).content.decode()
    assert "乙县：请补充成效" in page and "revise-brief" in page
    r = client.post(reverse("bulletins:brief_edit", args=[returned.pk]),
                    {"title": "乙校修改稿", "body": "补充了成效", "version": returned.version - 1})  # fmt: skip
    assert r.status_code == 400
    assert Brief.objects.get(pk=returned.pk).state == BriefState.RETURNED
    r = client.post(reverse("bulletins:brief_edit", args=[returned.pk]),
                    {"title": "乙校修改稿", "body": "补充了成效", "version": returned.version})  # fmt: skip
    assert r.status_code == 302
    returned.refresh_from_db()
    assert (returned.state, returned.title) == (BriefState.SUBMITTED, "乙校修改稿")
    with pytest.raises(ValidationError):
        brief_revise(brief=returned, by=world.user("school_b_secretary"), title="x", body="y",
                     expected_version=returned.version)  # fmt: skip


def test_a_published_brief_reaches_the_committees_subtree_only(world, login):
    b = build_bulletins(world)
    published, waiting = b["published"], b["waiting"]
    assert login(world.user("member_b")).get(published.get_absolute_url()).status_code == 200
    assert login(world.user("member_b")).get(waiting.get_absolute_url()).status_code == 404
    briefs = login(world.user("member_b")).get(reverse("bulletins:briefs", args=[world.county_b.pk])).content.decode()
    assert "乙校联帮带经验" in briefs and "乙校党员先锋岗做法" not in briefs
    for who in ("member_a", "school_a_secretary", "county_a_staff"):
        assert login(world.user(who)).get(published.get_absolute_url()).status_code == 404


def test_the_home_page_lists_write_ups_to_decide_and_to_revise(world, login):
    build_bulletins(world)
    staff_home = login(world.user("county_b_staff")).get(reverse("home")).content.decode()
    assert "审核简报材料：乙校党员先锋岗做法" in staff_home
    secretary_home = login(world.user("school_b_secretary")).get(reverse("home")).content.decode()
    assert "修改退回的简报材料：乙校初稿" in secretary_home
    assert "审核简报材料" not in secretary_home
