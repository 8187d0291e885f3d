"""Applying a roster import: from the rows kept by the check (never trusted blindly), against the roster as it is
then, with history rows and search keys, in a fixed number of statements."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations import roster, services
from organizations.models import Member, RosterImport
from organizations.roster import kept as roster_kept
from organizations.roster.writer import MemberWriter
from tests.organizations_fixtures import check, five_rows, good_row, xlsx_upload

pytestmark = pytest.mark.django_db


def test_it_applies_from_the_checked_rows_without_the_file(world, login):
    record = check(world, five_rows())
    record.file.delete(save=False)  # the stored upload is gone: preview and apply work from what the check kept
    c = login(world.user("branch_a_secretary"))
    url = reverse("organizations:roster_import_detail", args=[record.pk])
    assert "新增 5 人" in c.get(url).content.decode()
    c.post(url)
    assert Member.objects.filter(organization=world.branch_a, name__startswith="新成员").count() == 5
    record.refresh_from_db()
    assert record.state == RosterImport.State.APPLIED and record.rows is None


def test_a_member_added_after_the_check_is_matched_not_added_twice(world):
    record = check(world, five_rows())
    assert record.summary["new"] == 5
    services.member_create(
        organization=world.branch_a, staff_no="A2", name="新成员2", gender="male", phone="13900009999", job="旧职务"
    )
    summary = services.roster_import_apply(record=record)
    assert summary["created"] == 4 and summary["changed"] == 1
    assert Member.objects.filter(organization=world.branch_a, staff_no="A2").count() == 1
    member = Member.objects.get(organization=world.branch_a, staff_no="A2")
    assert (member.job, member.phone) == ("数学教师", "13812345672")


def test_it_refuses_when_the_roster_gains_a_clashing_member_while_it_writes(world, monkeypatch):
    record = check(world, five_rows())
    plan_before = roster.plan(world.branch_a, roster_kept.parse_checked(record))
    services.member_create(organization=world.branch_a, staff_no="A3", name="别人", gender="male", phone="13900009998")
    before = Member.objects.count()
    monkeypatch.setattr(roster, "plan", lambda *args, **kwargs: plan_before)  # read before the member was added
    with pytest.raises(ValidationError, match="被他人修改"):
        services.roster_import_apply(record=record)
    assert Member.objects.count() == before
    assert RosterImport.objects.get(pk=record.pk).state == RosterImport.State.READY


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda rows: None, id="checked-before-rows-were-kept"),
        pytest.param(lambda rows: {**rows, "version": 0}, id="older-format"),
        pytest.param(lambda rows: {**rows, "columns": [*rows["columns"][:-1], "organization_id"]}, id="foreign-column"),
        pytest.param(lambda rows: {**rows, "rows": [[r[0], *r[1:-1]] for r in rows["rows"]]}, id="short-rows"),
        pytest.param(lambda rows: _set(rows, "gender", "unknown"), id="not-a-choice"),
        pytest.param(lambda rows: _set(rows, "name", "名" * 51), id="too-long"),
        pytest.param(lambda rows: _set(rows, "phone", "call me"), id="bad-phone"),
        pytest.param(lambda rows: _set(rows, "birth_year", "1985"), id="wrong-type"),
        pytest.param(lambda rows: _set(rows, "joined_party_on", "去年"), id="bad-date"),
        pytest.param(lambda rows: _set(rows, "staff_no", "A0", row=1), id="duplicate"),
    ],
)
def test_it_refuses_checked_rows_that_are_missing_old_or_altered(world, login, spoil):
    record = check(world, five_rows())
    record.rows = spoil(record.rows)
    record.save(update_fields=["rows"])
    before = (Member.objects.count(), Member.history.count())
    with pytest.raises(ValidationError, match="检查的结果已失效，请重新上传文件"):
        services.roster_import_apply(record=record)
    assert (Member.objects.count(), Member.history.count()) == before
    c = login(world.user("branch_a_secretary"))
    page = c.get(reverse("organizations:roster_import_detail", args=[record.pk]), follow=True).content.decode()
    assert "检查的结果已失效" in page and "确认导入" not in page
    upload = reverse("organizations:roster_import", args=[world.branch_a.pk])
    assert 'data-testid="import-stale"' in page and f'href="{upload}">重新上传</a>' in page


def _set(rows: dict, column: str, value, row: int = 0) -> dict:
    rows = {**rows, "rows": [list(r) for r in rows["rows"]]}
    rows["rows"][row][1 + rows["columns"].index(column)] = value
    return rows


def test_it_writes_history_for_created_changed_and_left_members_with_search_keys(world):
    uploader = world.user("branch_a_secretary")
    services.roster_import_apply(record=check(world, five_rows()))
    created = Member.history.filter(history_type="+", staff_no__in=[f"A{i}" for i in range(5)])
    assert created.count() == 5 and {h.history_user for h in created} == {uploader}
    rows = five_rows()
    rows[0][roster.HEADERS.index("姓名")] = "李重阳"  # a renamed member gets new search keys
    rows[1][roster.HEADERS.index("现任职务")] = "年段长"
    services.roster_import_apply(record=check(world, rows), mark_missing_left=True)
    renamed = Member.objects.get(organization=world.branch_a, staff_no="A0")
    assert (renamed.name, renamed.name_initials, renamed.name_pinyin) == ("李重阳", "lcy", "lichongyang")
    changed = Member.history.filter(history_type="~", history_user=uploader)
    assert {(h.staff_no, h.name, h.job, h.is_active) for h in changed} == {
        ("A0", "李重阳", "数学教师", True),
        ("A1", "新成员1", "年段长", True),
        ("", "甲成员", world.member_a.job, False),
    }
    assert Member.objects.filter(organization=world.branch_a, staff_no="A0").count() == 1


def test_it_lists_a_repeated_bad_value_on_every_row_in_row_order(world):
    rows = five_rows()
    for i in (0, 2, 3):
        rows[i][roster.HEADERS.index("性别")] = "未知"
    rows[2][roster.HEADERS.index("出生年份")] = "八五年"
    rows[2][roster.HEADERS.index("后备干部")] = "是"
    rows[4][roster.HEADERS.index("电子邮箱")] = "a" * 250 + "@x.cn"
    record = check(world, rows)
    assert [(e["row"], e["column"]) for e in record.errors] == [
        (2, "性别"),
        (4, "性别"),
        (4, "出生年份"),
        (4, "列为后备干部的理由"),
        (5, "性别"),
        (6, "电子邮箱"),
    ]
    assert record.rows is None


@pytest.mark.parametrize("name", ["张三", "曾重阳", "单于长乐", "王小明", "欧阳建国", "李·阿卜杜", "Tom 陈", "", "〇"])
def test_imported_members_are_found_by_pinyin_as_pypinyin_reads_their_names(world, name):
    from pypinyin import Style, lazy_pinyin

    from machinery.pinyin import pinyin_keys

    expected = (
        "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower(),
        "".join(lazy_pinyin(name, errors="ignore")).lower(),
    )
    assert pinyin_keys(name) == expected


def test_it_keeps_the_query_count_flat_however_many_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size, prefix in ((3, "S"), (40, "L")):
        # each file its own phones: a phone that stays another member's is refused
        rows = [good_row(f"{prefix}{i}", f"成员{prefix}{i}", phone=f"1{size:02d}{i:08d}") for i in range(size)]
        record = check(world, rows)
        with CaptureQueriesContext(connection) as ctx:
            services.roster_import_apply(record=record, mark_missing_left=True)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_single_statement_writes_match_simple_historys_bulk_writes(world, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the single-statement writes are PostgreSQL's")

    def run(branch, user):
        rows = five_rows()
        rows[3][roster.HEADERS.index("后备干部")] = "是"
        rows[3][roster.HEADERS.index("列为后备干部的理由")] = "教学骨干"
        rows[4][roster.HEADERS.index("入党日期")] = ""
        rows[4][roster.HEADERS.index("出生年份")] = ""
        first = services.roster_import_check(organization=branch, uploaded_by=user, upload=xlsx_upload(rows))
        services.roster_import_apply(record=first)
        rows[0][roster.HEADERS.index("姓名")] = "李重阳"
        rows[2][roster.HEADERS.index("入党日期")] = "2001-07-01"
        second = services.roster_import_check(organization=branch, uploaded_by=user, upload=xlsx_upload(rows[:4]))
        services.roster_import_apply(record=second, mark_missing_left=True)
        skip = {"id", "organization", "user", "history_id", "history_date", "history_user"}
        # the world's own member differs by branch (甲成员, 乙成员): compared by what happened to it
        members = [
            {f.name: getattr(m, f.name) for f in Member._meta.concrete_fields if f.name not in skip}
            if m.staff_no
            else m.is_active
            for m in Member.objects.filter(organization=branch).order_by("staff_no", "name")
        ]
        history = sorted(
            (
                h.history_type,
                h.history_user_id == user.pk,
                h.history_change_reason,
                tuple((f.name, getattr(h, f.name)) for f in Member.history.model.tracked_fields if f.name not in skip)
                if h.staff_no
                else (("is_active", h.is_active),),
            )
            for h in Member.history.filter(organization_id=branch.pk, history_user=user)
        )
        return members, history

    fast = run(world.branch_a, world.user("branch_a_secretary"))
    monkeypatch.setattr(MemberWriter, "_history_is_plain", lambda self: False)
    bulk = run(world.branch_b, world.user("branch_b_secretary"))
    assert fast == bulk
    assert len(fast[1]) == 5 + 2 + 2  # created; renamed and new date; the world's member and row 5 left
