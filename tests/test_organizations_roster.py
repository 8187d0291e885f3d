import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from organizations import roster, roster_kept, services
from organizations.member_writer import MemberWriter
from organizations.models import Member, RosterImport
from tests.organizations_fixtures import good_row, xlsx_bytes, xlsx_upload

pytestmark = pytest.mark.django_db


def check(world, rows, **kw):
    return services.roster_import_check(
        organization=world.branch_a, uploaded_by=world.user("branch_a_secretary"), upload=xlsx_upload(rows, **kw)
    )


def five_rows():
    return [good_row(f"A{i}", f"新成员{i}", phone=f"1381234567{i}") for i in range(5)]


def test_it_offers_a_template_with_chinese_headers_an_example_and_lists(world, login):
    r = login(world.user("branch_a_secretary")).get(reverse("organizations:roster_template"))
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    assert [c.value for c in ws[1]][:4] == ["工号", "姓名", "性别", "政治面貌"]
    assert ws.cell(row=2, column=2).value == "张三"
    formulas = " ".join(dv.formula1 for dv in ws.data_validations.dataValidation)
    assert "中共党员" in formulas and "男,女" in formulas and "辅导员班主任" in formulas


def test_it_imports_a_clean_file_and_a_second_import_changes_nothing(world):
    before = Member.objects.count()
    record = check(world, five_rows())
    assert record.state == RosterImport.State.READY
    assert record.summary["new"] == 5 and record.summary["missing"] == 1  # 甲成员 is on the roster, not in the file
    summary = services.roster_import_apply(record=record)
    assert summary["created"] == 5 and Member.objects.count() == before + 5
    history = Member.history.count()
    assert Member.history.filter(history_type="+", name__startswith="新成员").count() == 5
    assert Member.objects.get(staff_no="A1").name_initials == "xcy"
    again = check(world, five_rows())
    assert again.summary["new"] == 0 and again.summary["updated"] == 0 and again.summary["unchanged"] == 5
    services.roster_import_apply(record=again)
    assert Member.objects.count() == before + 5 and Member.history.count() == history


def test_it_updates_changed_rows_and_matches_by_name_and_phone_without_staff_no(world):
    services.roster_import_apply(record=check(world, five_rows()))
    rows = five_rows()
    rows[0][roster.HEADERS.index("现任职务")] = "年段长"
    rows.append(good_row("", "甲成员", phone="13900000001", 现任职务="教研组长"))
    record = check(world, rows)
    assert record.summary["updated"] == 2 and record.summary["new"] == 0 and record.summary["missing"] == 0
    services.roster_import_apply(record=record)
    assert Member.objects.get(staff_no="A0").job == "年段长"
    assert Member.objects.get(pk=world.member_a.pk).job == "教研组长"


def test_it_names_every_bad_row_and_writes_nothing(world):
    before = Member.objects.count()
    rows = five_rows()
    rows[1][roster.HEADERS.index("性别")] = "未知"
    rows[2][roster.HEADERS.index("姓名")] = ""
    rows[4][roster.HEADERS.index("入党日期")] = "去年"
    record = check(world, rows)
    assert record.state == RosterImport.State.REJECTED
    assert [(e["row"], e["column"]) for e in record.errors] == [(3, "性别"), (4, "姓名"), (6, "入党日期")]
    assert "不是可选值" in record.errors[0]["message"]
    assert Member.objects.count() == before
    with pytest.raises(ValidationError):
        services.roster_import_apply(record=record)
    assert Member.objects.count() == before


def test_it_hands_the_file_back_with_an_error_column(world, login):
    rows = five_rows()
    rows[1][roster.HEADERS.index("政治面貌")] = "党员"
    record = check(world, rows)
    r = login(world.user("branch_a_secretary")).get(reverse("organizations:roster_import_errors", args=[record.pk]))
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(row=1, column=len(roster.HEADERS) + 1).value == "错误说明"
    assert "政治面貌" in ws.cell(row=3, column=len(roster.HEADERS) + 1).value
    assert not ws.cell(row=2, column=len(roster.HEADERS) + 1).value


def test_it_flags_duplicates_and_rows_without_a_key(world):
    rows = five_rows() + [good_row("A1", "重复的人")]
    rows.append(good_row("", "无工号", phone=""))
    record = check(world, rows)
    messages = {(e["row"], e["column"]): e["message"] for e in record.errors}
    assert "第 3 行" in messages[(7, "工号")]
    assert (8, "联系电话") in messages


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("roster.csv", b"a,b\n1,2\n", "不支持"),
        ("roster.xlsx", b"this is not a spreadsheet", "不是允许的类型"),
        ("roster.xlsx", b"", "空"),
    ],
)
def test_it_refuses_files_that_are_not_xlsx(world, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.roster_import_check(
            organization=world.branch_a,
            uploaded_by=world.user("branch_a_secretary"),
            upload=SimpleUploadedFile(name, content),
        )
    assert message in " ".join(exc.value.messages)
    assert not RosterImport.objects.exists()


def test_it_refuses_missing_columns_and_empty_sheets(world):
    with pytest.raises(ValidationError, match="缺少必需的列"):
        check(world, [["张三", "男"]], headers=["姓名", "性别"])
    with pytest.raises(ValidationError, match="没有数据行"):
        check(world, [])


def test_it_refuses_more_than_ten_thousand_rows_from_the_sheet_size(world):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(roster.HEADERS)
    for i in range(roster.MAX_ROWS + 1):
        ws.append([f"X{i}"])
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("big.xlsx", out.getvalue())
    with pytest.raises(ValidationError, match="行数过多"):
        services.roster_import_check(organization=world.branch_a, uploaded_by=world.user("branch_a_secretary"),
                                   upload=upload)


def test_it_refuses_files_over_five_megabytes(world):
    upload = SimpleUploadedFile("big.xlsx", xlsx_bytes(five_rows()))
    upload.size = 6 * 1024 * 1024
    with pytest.raises(ValidationError, match="文件过大"):
        services.roster_import_check(organization=world.branch_a, uploaded_by=world.user("branch_a_secretary"),
                                   upload=upload)


def test_it_marks_missing_members_as_left_only_when_asked(world):
    services.roster_import_apply(record=check(world, five_rows()), mark_missing_left=True)
    assert not Member.objects.get(pk=world.member_a.pk).is_active


def test_the_pages_walk_upload_preview_apply(world, login):
    c = login(world.user("branch_a_secretary"))
    url = reverse("organizations:roster_import", args=[world.branch_a.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"file": xlsx_upload(five_rows())})
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "新增 5 人" in page and "新成员3" in page
    c.post(r["Location"])
    assert Member.objects.filter(organization=world.branch_a, name__startswith="新成员").count() == 5
    r = c.post(url, {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert r.status_code == 200 and "不支持的文件类型" in r.content.decode()


def test_only_the_branch_secretaries_import(world, login):
    url = reverse("organizations:roster_import", args=[world.branch_a.pk])
    assert login(world.user("county_a_staff")).get(url).status_code == 403
    assert login(world.user("school_a_secretary")).get(url).status_code == 200
    assert login(world.user("branch_b_secretary")).get(url).status_code == 404


def test_it_refuses_a_damaged_sheet_without_a_server_error(world):
    import zipfile

    good = xlsx_bytes(five_rows())
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(ValidationError, match="无法读取"):
        services.roster_import_check(organization=world.branch_a, uploaded_by=world.user("branch_a_secretary"),
                                   upload=SimpleUploadedFile("broken.xlsx", out.getvalue()))


def test_the_demo_roster_and_its_spoiled_copy(world, login):
    c = login(world.user("branch_a_secretary"))
    url = reverse("organizations:roster_demo", args=[world.branch_a.pk])
    for query, errors in [("", 0), ("?bad=1", 3)]:
        upload = SimpleUploadedFile("demo.xlsx", c.get(url + query).content)
        record = services.roster_import_check(
            organization=world.branch_a, uploaded_by=world.user("branch_a_secretary"), upload=upload
        )
        assert len(record.errors) == errors
    assert login(world.user("county_a_staff")).get(url).status_code == 403


def test_the_preview_names_the_changed_columns(world, login):
    services.roster_import_apply(record=check(world, five_rows()))
    rows = five_rows()
    rows[2][roster.HEADERS.index("现任职务")] = "教研组长"
    c = login(world.user("branch_a_secretary"))
    r = c.post(reverse("organizations:roster_import", args=[world.branch_a.pk]), {"file": xlsx_upload(rows)})
    body = c.get(r["Location"]).content.decode()
    assert "更新 1 人" in body and "新成员2：现任职务" in body


# ---- the checked rows: kept on the record, used by the preview and the apply step ---------------------------------


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

    from organizations.pinyin import pinyin_keys

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
        rows = [good_row(f"{prefix}{i}", f"成员{prefix}{i}", phone=f"13{i:09d}") for i in range(size)]
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
                tuple((f.name, getattr(h, f.name)) for f in Member._meta.concrete_fields if f.name not in skip)
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


def _without_dimension(data: bytes) -> bytes:
    """The workbook as some other spreadsheet programs write it: no <dimension> in the sheet, so rows are read as long
    as each row's own cells go."""
    import re
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            dst.writestr(item, content)
    return out.getvalue()


def test_it_reads_rows_with_a_note_beyond_the_last_column(world):
    rows = five_rows()
    rows[2] = [*rows[2], "", "备注：新调入"]  # past the template's columns, in one row only
    data = _without_dimension(xlsx_bytes(rows))
    upload = SimpleUploadedFile("名册.xlsx", data, content_type=roster.XLSX_MIME)
    record = services.roster_import_check(
        organization=world.branch_a, uploaded_by=world.user("branch_a_secretary"), upload=upload
    )
    assert record.state == "ready", record.errors
    assert services.roster_import_apply(record=record)["created"] == 5


def test_reading_leaves_the_garbage_collector_on_even_when_a_row_breaks_the_sheet(world, monkeypatch):
    import gc

    def broken(ws):
        raise ValueError("damaged sheet")

    monkeypatch.setattr(roster, "_read_rows", broken)
    with pytest.raises(ValidationError, match="无法读取这个 Excel 文件"):
        roster.read_file(xlsx_upload(five_rows()))
    assert gc.isenabled()
    monkeypatch.undo()
    assert not roster.read_file(xlsx_upload(five_rows())).errors and gc.isenabled()
