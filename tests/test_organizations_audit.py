"""The committee's audit log lists what the test itself did: a transfer (before → after), a login, failed logins and an
Annex 2 download; it filters, exports to xlsx (the export itself recorded) and forgets events past the retention."""

from __future__ import annotations

import datetime
import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organizations.enums import OrgKind
from organizations.models import AuditEvent, AuditKind
from organizations.services import audit_sweep, organization_create
from organizations.tasks import sweep_audit
from tests.reports_fixtures import YEAR, posts_with_claims
from tests.world import PASSWORD


def _act(world):
    """Sign in for real (and fail twice), download Annex 2 and move a member: each leaves a row."""
    second = organization_create(
        parent=world.school_b, name="乙校第二支部", kind=OrgKind.BRANCH, code="T-B-S-C", school_name="乙校"
    )
    posts_with_claims(world.branch_b, 2)
    stranger = Client()
    for _ in range(2):
        r = stranger.post(reverse("login"), {"username": "member_b", "password": "wrong-password"})
        assert r.status_code == 200
    c = Client()
    r = c.post(reverse("login"), {"username": "school_b_secretary", "password": PASSWORD})
    assert r.status_code == 302
    r = c.get(reverse("reports:annex2_xlsx", args=[world.branch_b.pk]) + f"?year={YEAR}")
    assert r.status_code == 200 and r.has_header("Content-Disposition")
    r = c.post(
        reverse("organizations:member_transfer", args=[world.member_b.pk]),
        {"to_organization": second.pk, "transferred_on": timezone.localdate().isoformat()},
    )
    assert r.status_code == 302


def _rows(body: str) -> list[str]:
    return [chunk for chunk in body.split('<li class="border-bottom py-2">')[1:]]


def test_the_committee_page_lists_the_tests_own_actions(world, login):
    _act(world)
    body = login(world.user("county_b_staff")).get(reverse("organizations:audit", args=[world.county_b.pk])).content
    rows = _rows(body.decode())
    text = "\n".join(rows)
    # the download of Annex 2, by whom
    assert any("导出/下载" in r and "school_b_secretary" in r and "附件2" in r for r in rows), text
    # the login and the two failed logins
    assert any("登录</span>" in r and "school_b_secretary" in r for r in rows)
    assert sum("登录失败" in r and "member_b" in r for r in rows) == 2
    # the transfer, with the record's branch before → after and the reason
    move = [r for r in rows if "组织关系转接：乙校第一支部 → 乙校第二支部" in r]
    assert move and "school_b_secretary" in move[0] and "乙成员" in move[0]
    assert f"#{world.branch_b.pk} → #" in move[0]
    # the phone number is never shown, even in a change
    assert "13900000002" not in text
    # another county's committee sees none of it
    other = login(world.user("county_a_staff")).get(reverse("organizations:audit", args=[world.county_a.pk]))
    assert "school_b_secretary" not in other.content.decode() and "乙成员" not in other.content.decode()


def test_the_filter_narrows_to_a_kind_a_person_and_dates(world, login):
    _act(world)
    c = login(world.user("county_b_staff"))
    url = reverse("organizations:audit", args=[world.county_b.pk])
    rows = _rows(c.get(url, {"kind": AuditKind.LOGIN_FAILED}).content.decode())
    assert len(rows) == 2 and all("登录失败" in r for r in rows)
    rows = _rows(c.get(url, {"kind": AuditKind.EXPORT, "person": "school_b"}).content.decode())
    assert len(rows) == 1 and "附件2" in rows[0]
    rows = _rows(c.get(url, {"kind": AuditKind.CHANGE}).content.decode())
    assert rows and not any("登录" in r.split("</span>")[0] for r in rows)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    body = c.get(url, {"start": tomorrow}).content.decode()
    assert _rows(body) == [] and "没有符合条件的记录" in body
    # the export link carries the filter
    body = c.get(url, {"kind": AuditKind.EXPORT}).content.decode()
    assert reverse("organizations:audit_xlsx", args=[world.county_b.pk]) + "?kind=export" in body


def test_the_xlsx_export_holds_the_rows_and_is_recorded_itself(world, login):
    _act(world)
    c = login(world.user("county_b_staff"))
    r = c.get(reverse("organizations:audit_xlsx", args=[world.county_b.pk]))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [[cell for cell in row] for row in ws.iter_rows(values_only=True)]
    assert values[0] == ["时间", "人员", "类别", "记录", "变更（原 → 新）"]
    kinds = [row[2] for row in values[1:]]
    assert kinds.count("登录失败") == 2 and "导出/下载" in kinds and "登录" in kinds
    assert any(row[2] == "导出/下载" and row[1] == "school_b_secretary" and "附件2" in row[3] for row in values[1:])
    assert any("组织关系转接" in (row[2] or "") for row in values[1:])
    assert not any("13900000002" in str(cell) for row in values for cell in row)
    # the export of the log is itself an export of personal data
    event = AuditEvent.objects.filter(kind=AuditKind.EXPORT, user=world.user("county_b_staff")).get()
    assert event.what == "审计日志" and event.organization_id == world.county_b.pk
    filtered = c.get(reverse("organizations:audit_xlsx", args=[world.county_b.pk]), {"kind": AuditKind.LOGIN_FAILED})
    rows = list(load_workbook(io.BytesIO(filtered.content)).active.iter_rows(values_only=True))[1:]
    assert len(rows) == 2 and {row[2] for row in rows} == {"登录失败"}


def test_the_retention_sweep_deletes_only_events_past_the_configured_days(world, settings):
    _act(world)
    settings.AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    old = AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED)
    AuditEvent.objects.filter(pk__in=list(old.values_list("pk", flat=True))).update(at=now - datetime.timedelta(days=31))
    kept = AuditEvent.objects.exclude(kind=AuditKind.LOGIN_FAILED).count()
    AuditEvent.objects.filter(kind=AuditKind.LOGIN).update(at=now - datetime.timedelta(days=29))
    assert sweep_audit.delay().get() == 2
    assert AuditEvent.objects.count() == kept and not AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED).exists()
    # 0 keeps them for ever
    settings.AUDIT_RETENTION_DAYS = 0
    AuditEvent.objects.update(at=now - datetime.timedelta(days=3650))
    assert audit_sweep() == 0 and AuditEvent.objects.count() == kept
