"""Roster import (名册导入): the template, reading and checking every row, the upload pages, hostile sheets."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from organizations import roster, services
from organizations.models import Member, RosterImport
from tests.organizations_fixtures import check, five_rows, good_row, xlsx_bytes, xlsx_upload

pytestmark = pytest.mark.django_db


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

    monkeypatch.setattr(roster.rules, "_read_rows", broken)
    with pytest.raises(ValidationError, match="无法读取这个 Excel 文件"):
        roster.read_file(xlsx_upload(five_rows()))
    assert gc.isenabled()
    monkeypatch.undo()
    assert not roster.read_file(xlsx_upload(five_rows())).errors and gc.isenabled()
