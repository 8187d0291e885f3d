"""Roster import against hostile and careless sheets: a sheet wider than the template (a header or a data cell at
column XFD), formulas real and text that only looks like one, full-width and zero-width characters, 工号 that differ
only in case, and one phone under two names. Each refusal names the row and column, and writes nothing."""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from organizations import roster, services
from organizations.models import Member, RosterImport
from organizations.roster import book
from tests.organizations_fixtures import check, five_rows, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db

PHONE = roster.HEADERS.index("联系电话")
NAME = roster.HEADERS.index("姓名")
JOB = roster.HEADERS.index("现任职务")
XFD = 16384  # the last column a sheet can have


def _rows(n: int) -> list[list]:
    return [good_row(f"H{i:05d}", f"成员{i}", phone=f"139{i:08d}") for i in range(n)]


def _workbook(rows: list[list], *, cells: dict[tuple[int, int], object] = ()) -> bytes:
    """The template's headers and `rows`, plus single cells {(row, column): value} anywhere on the sheet."""
    wb = Workbook()
    ws = wb.active
    ws.append(roster.HEADERS)
    for row in rows:
        ws.append(row)
    for (r, c), value in dict(cells).items():
        ws.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _edit_sheet(data: bytes, edit) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = edit(content)
            dst.writestr(item, content)
    return out.getvalue()


def _without_dimension(data: bytes) -> bytes:
    """As some programs write it (or as a hostile file lies): no declared size, the cells alone tell the width."""
    return _edit_sheet(data, lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml))


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("名册.xlsx", data, content_type=roster.XLSX_MIME)


def _check(world, data: bytes) -> RosterImport:
    return services.roster_import_check(
        organization=world.branch_a, uploaded_by=world.user("branch_a_secretary"), upload=_upload(data)
    )


@pytest.fixture
def unchanged():
    """Asserts, after the test, that no member and no history row was written."""
    before = (Member.objects.count(), Member.history.count())
    yield
    assert (Member.objects.count(), Member.history.count()) == before


def _refused(world, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        _check(world, data)
    assert message in " ".join(exc.value.messages)
    assert not RosterImport.objects.exists()


def _rejected(world, rows_or_data, *expected: tuple[int, str, str]) -> RosterImport:
    record = _check(world, rows_or_data) if isinstance(rows_or_data, bytes) else check(world, rows_or_data)
    assert record.state == RosterImport.State.REJECTED
    found = {(e["row"], e["column"], e["message"]) for e in record.errors}
    for row, column, message in expected:
        assert any(r == row and c == column and message in m for r, c, m in found), (row, column, message, found)
    with pytest.raises(ValidationError):
        services.roster_import_apply(record=record)
    return record


# ---- wider than the template ------------------------------------------------------------------------------------


def test_it_refuses_a_header_at_column_xfd_naming_the_column(world, unchanged):
    data = _workbook(_rows(20), cells={(1, XFD): "备注"})
    _refused(world, data, "XFD 列")  # from the declared size, before any row is read
    _refused(world, _without_dimension(data), "第 1 行 XFD 列“备注”超出了模板的列（A–M）")


def test_it_refuses_a_header_just_past_the_template_but_takes_back_its_own_error_file(world, unchanged):
    _refused(world, _workbook(_rows(3), cells={(1, 14): "备注"}), "第 1 行 N 列“备注”超出了模板的列")
    rows = _rows(3)
    rows[1][roster.HEADERS.index("性别")] = "未知"
    record = check(world, rows)
    handed_back = services.roster_import_check(
        organization=world.branch_a,
        uploaded_by=world.user("branch_a_secretary"),
        upload=_upload(book.error_workbook(roster.read_file(_upload(xlsx_bytes(rows))))),
    )
    assert record.state == handed_back.state == RosterImport.State.REJECTED  # read, not refused for 错误说明
    assert handed_back.errors == record.errors


def test_it_refuses_or_bounds_a_stray_value_at_xfd_in_data_rows(world, unchanged):
    rows = _rows(20)
    data = _workbook(rows, cells={(r, XFD): "x" for r in range(2, 22)})
    _refused(world, data, "表格的范围一直到 XFD 列")  # the sheet declares itself that wide
    parsed = roster.read_file(_upload(_without_dimension(data)))  # it does not: the stray cells are never read
    assert not parsed.errors and len(parsed.rows) == 20
    assert all(len(values) == len(roster.HEADERS) for values in parsed.raw)


def _peak(data: bytes):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = roster.read_file(_upload(data))
    except ValidationError as exc:
        result = exc
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, peak, seconds


def test_reading_a_wide_sheet_costs_no_more_than_the_clean_file(world):
    rows = _rows(2000)
    clean, clean_peak, clean_seconds = _peak(_workbook(rows))
    assert not clean.errors and len(clean.rows) == 2000

    header, header_peak, header_seconds = _peak(_workbook(rows, cells={(1, XFD): "备注"}))
    assert isinstance(header, ValidationError) and "XFD" in header.messages[0]
    assert header_peak < clean_peak / 10 and header_seconds < clean_seconds / 5  # refused before any row

    lying = _without_dimension(_workbook(rows, cells={(1, XFD): "备注"}))
    header, header_peak, _s = _peak(lying)
    assert isinstance(header, ValidationError) and "XFD" in header.messages[0]
    assert header_peak < clean_peak / 2

    stray = _without_dimension(_workbook(rows, cells={(r, XFD): "x" for r in range(2, 2002)}))
    read, stray_peak, _s = _peak(stray)
    assert not read.errors and len(read.rows) == 2000
    assert stray_peak <= 2 * clean_peak


# ---- formulas ---------------------------------------------------------------------------------------------------


def _with_cached_values(data: bytes) -> bytes:
    """Give every formula the cached value Excel would have stored (2), as a file saved by Excel has."""
    return _edit_sheet(data, lambda xml: re.sub(rb"(</f>)(<v\s*/>|<v></v>)?", rb"\1<v>2</v>", xml))


@pytest.mark.parametrize("cached", [False, True], ids=["without-cached-value", "with-cached-value"])
def test_it_refuses_a_formula_cell_by_row_and_column(world, unchanged, cached):
    rows = _rows(12)
    data = _workbook(rows, cells={(12, PHONE + 1): "=13900000000+10", (5, JOB + 1): "=1+1"})
    if cached:
        data = _with_cached_values(data)
    record = _rejected(
        world,
        data,
        (12, "联系电话", "是公式，请改为文本或数字"),
        (5, "现任职务", "是公式，请改为文本或数字"),
    )
    assert {e["row"] for e in record.errors} == {5, 12}  # the formula alone: no other message on its row


def test_it_keeps_text_that_looks_like_a_formula_as_text_and_writes_it_back_as_text(world):
    rows = five_rows()
    rows[0][NAME] = '=HYPERLINK("http://x.example/","点我")'
    rows[1][JOB] = "=1+1"
    rows[2][JOB] = "+SUM(1,2)"
    rows[3][JOB] = "@cmd"
    rows[4][JOB] = "-2+3"
    record = check(world, rows)  # the template writes these as text cells, as a user typing '=1+1 gets
    assert record.state == RosterImport.State.READY, record.errors
    services.roster_import_apply(record=record)
    assert Member.objects.get(staff_no="A0").name == '=HYPERLINK("http://x.example/","点我")'
    assert Member.objects.get(staff_no="A2").job == "+SUM(1,2)"

    exported = book.workbook_bytes(book.build_workbook([book.member_row(m) for m in Member.objects.order_by("pk")]))
    rows[4][roster.HEADERS.index("性别")] = "未知"  # an error, so the file is handed back
    handed_back = book.error_workbook(roster.read_file(_upload(xlsx_bytes(rows))))
    for data in (exported, handed_back):
        sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b"<f " not in sheet
        ws = load_workbook(io.BytesIO(data)).active
        texts = [
            c for row in ws.iter_rows(min_row=2) for c in row if str(c.value or "").startswith(("=", "+", "@", "-"))
        ]
        assert {c.value for c in texts} >= {"=1+1", "+SUM(1,2)", "@cmd", "-2+3"}
        assert all(c.data_type == "s" and c.quotePrefix for c in texts)


# ---- normalized before matching and storing ---------------------------------------------------------------------


def test_it_stores_a_full_width_staff_no_and_a_zero_width_name_normalized(world):
    rows = five_rows()
    rows[0][0] = "Ｔ０００３２"
    rows[1][NAME] = "新\u200b成员\ufeff1\u3000"
    services.roster_import_apply(record=check(world, rows))
    assert Member.objects.filter(organization=world.branch_a, staff_no="T00032").exists()
    assert Member.objects.get(staff_no="A1").name == "新成员1"
    again = check(world, [good_row("T00032", "新成员0", phone="13812345670"), *rows[1:]])
    assert again.summary["new"] == 0 and again.summary["unchanged"] == 5


def test_it_matches_the_roster_after_normalizing_both_sides(world):
    Member.objects.filter(pk=world.member_a.pk).update(name="甲\u200b成员", staff_no="")
    record = check(world, [good_row("", "甲成员", phone="１３９０００００００１")])
    assert record.summary == {**record.summary, "new": 0, "updated": 1}, record.summary
    services.roster_import_apply(record=record)
    assert Member.objects.get(pk=world.member_a.pk).name == "甲成员"


def test_it_takes_staff_numbers_that_differ_only_in_case_as_one_person(world, unchanged):
    rows = five_rows()
    rows[3][0] = "t00056"
    rows[4][0] = "T00056"
    _rejected(world, rows, (6, "工号", "与第 5 行是同一人（重复）"))


def test_it_matches_a_roster_staff_number_without_regard_to_case(world):
    services.roster_import_apply(record=check(world, [good_row("t00056", "新成员0", phone="13812345670")]))
    before = Member.objects.count()
    record = check(world, [good_row("T00056", "新成员0", phone="13812345670")])
    assert record.summary["new"] == 0 and record.summary["updated"] == 1
    services.roster_import_apply(record=record)
    assert Member.objects.count() == before
    assert Member.objects.get(organization=world.branch_a, name="新成员0").staff_no == "T00056"  # as written


# ---- one phone, one person --------------------------------------------------------------------------------------


def test_it_refuses_one_phone_under_two_names_in_the_file(world, unchanged):
    rows = five_rows()
    rows[3][PHONE] = rows[1][PHONE]
    _rejected(world, rows, (5, "联系电话", "与第 3 行（新成员1）的联系电话相同"))


def test_it_refuses_a_phone_that_stays_another_roster_members(world, unchanged):
    rows = [*five_rows(), good_row("", "乙某", phone="13900000001")]  # 甲成员's, who is not in the file
    _rejected(world, rows, (7, "联系电话", "与名册中的“甲成员”联系电话相同"))


def test_it_allows_a_members_phone_to_move_to_someone_else_in_the_same_file(world):
    rows = [good_row("", "甲成员", phone="13900000009"), good_row("", "乙某", phone="13900000001")]
    Member.objects.filter(pk=world.member_a.pk).update(staff_no="M1")
    rows[0][0] = "M1"
    assert check(world, rows).state == RosterImport.State.READY
