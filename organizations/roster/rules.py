"""Roster import (名册导入) rules: the columns, reading and checking every row, matching rows to the roster. The
workbooks (template, error file) are in organizations.roster.book; the checked rows kept on an import record, in
organizations.roster.kept; the bulk writer of members, in organizations.roster.writer.

Stable key (documented on the import page): a row is the same person as a roster member of the branch when its
工号 matches; a row without 工号 is matched by 姓名 + 联系电话. A row whose 工号 is new but whose 姓名 + 联系电话 match a
member without 工号 is that member (the 工号 is filled in). Re-importing the same file changes nothing: only rows whose
values differ from the roster are written. The writes are organizations.services.roster_import_check / roster_import_apply.

Every text cell is normalized before it is checked, matched or stored (organizations.roster.sheet.normalize): NFKC
(a full-width “Ｔ００３２” is “T0032”), zero-width characters removed, trimmed. 工号 are stored as written (after that)
but compared without regard to case: “t00056” and “T00056” are the same person, in the file and against the roster.
A formula cell is refused, by row and column (its value would be whatever Excel last computed, or nothing); text that
only starts like one (“=1+1”, “+SUM(1,2)”, “@x” typed as text) is kept as text, and written back as text
(organizations.roster.book). Only the template's columns are read (organizations.roster.sheet).

One phone, one person: a 联系电话 that appears under two different 姓名 in the file is an error on the later row. A
联系电话 that belongs to an active member of the branch's roster of another name, a member no row of the file matches,
is an error too, not a warning (organizations.roster.matching): rows without 工号 are told apart by 姓名 + 联系电话, so
importing it would make two people share the key, and most often it is a member's renamed or mistyped name, which
the user should correct (or give the 工号) rather than add a second person. Members who left are not compared: their
numbers may have been given to someone else.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from machinery.uploads import validate_upload

from ..enums import EightRole, Gender, PoliticalStatus
from ..models import RosterImport, phone_validator
from .sheet import check_inflated_size, collector_paused, normalize, read_sheet

MAX_MB = 5
MAX_ROWS = 10_000
MAX_INFLATED_MB = 100  # 10,000 full rows take about 10 MB of sheet XML
YES, NO = "是", "否"

# (header, model field, required column, required value)
COLUMNS = [
    ("工号", "staff_no", True, False),
    ("姓名", "name", True, True),
    ("性别", "gender", True, True),
    ("政治面貌", "political_status", True, True),
    ("现任职务", "job", False, False),
    ("所属方面", "role_group", True, True),
    ("处室/年段/班级", "office", False, False),
    ("联系电话", "phone", True, False),
    ("电子邮箱", "email", False, False),
    ("入党日期", "joined_party_on", False, False),
    ("出生年份", "birth_year", False, False),
    ("后备干部", "is_reserve_cadre", False, False),
    ("列为后备干部的理由", "reserve_reason", False, False),
]
HEADERS = [c[0] for c in COLUMNS]
ENUMS = {"gender": Gender, "political_status": PoliticalStatus, "role_group": EightRole}
MAX_LEN = {"staff_no": 32, "name": 50, "job": 100, "office": 100, "email": 254, "reserve_reason": 200}
EXAMPLE = [
    "JJ0099",
    "张三",
    "男",
    "中共党员",
    "数学教师",
    "党员",
    "高一年段",
    "13800000000",
    "",
    "2010-07-01",
    "1985",
    "否",
    "",
]
ERROR_HEADER = "错误说明"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Parsed:
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number in the sheet, values)
    errors: list[RowError] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # model fields present in the file
    raw: list[list] = field(default_factory=list)  # header + data rows as read, to hand the file back


# ---- reading and checking -----------------------------------------------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return normalize(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", cell_text(value))
    if not m:
        raise ValueError
    return datetime.date(*(int(g) for g in m.groups()))


def _labels() -> dict[str, dict[str, str]]:
    """{field: {label in the current language: value}} for the enum columns, built once per file."""
    return {name: {normalize(str(label)): v for v, label in enum.choices} for name, enum in ENUMS.items()}


# one converter per column: (cell value, its text, error list, enum labels) → the model value; a converter depends on
# the value alone, so each distinct value of a column is converted once
_MISSING = object()


def _enum(name: str):
    values = set(ENUMS[name].values)

    def convert(value, text, errors, labels):
        by_label = labels[name]
        if text in by_label:
            return by_label[text]
        if text in values:
            return text
        errors.append(_("“%(v)s”不是可选值，应为：%(c)s") % {"v": text, "c": "、".join(by_label)})
        return None

    return convert


def _joined_party_on(value, text, errors, labels):
    if not text:
        return None
    try:
        day = _date(value)
    except ValueError:
        errors.append(_("日期格式应为 2010-07-01"))
        return None
    if day > timezone.localdate():
        errors.append(_("入党日期不能晚于今天"))
    return day


def _birth_year(value, text, errors, labels):
    if not text:
        return None
    if not text.isdigit() or not 1930 <= int(text) <= timezone.localdate().year:
        errors.append(_("出生年份应为四位数字年份"))
        return None
    return int(text)


def _is_reserve_cadre(value, text, errors, labels):
    if text not in ("", YES, NO):
        errors.append(_("只能填“是”或“否”"))
    return text == YES


# the model's phone rule, compiled once (the validator's own pattern is a lazy object, slow to reach per cell)
_PHONE = re.compile(phone_validator.regex.pattern, phone_validator.regex.flags)


def _plain(name: str):
    limit = MAX_LEN.get(name)

    def convert(value, text, errors, labels):
        if name == "phone" and text and not _PHONE.search(text):
            errors.append(_("请填写有效的电话号码"))
        if name == "email" and text:
            try:
                validate_email(text)
            except ValidationError:
                errors.append(_("电子邮箱格式不正确"))
        if limit is not None and len(text) > limit:
            errors.append(_("不能超过 %(n)s 个字") % {"n": limit})
        return text

    return convert


_OTHERS = {"joined_party_on": _joined_party_on, "birth_year": _birth_year, "is_reserve_cadre": _is_reserve_cadre}
CONVERTERS = {
    fname: _enum(fname) if fname in ENUMS else _OTHERS.get(fname) or _plain(fname) for _h, fname, _c, _r in COLUMNS
}


def read_file(f) -> Parsed:
    """Check the upload and every row. File-level problems raise ValidationError; row problems are in .errors."""
    validate_upload(f, kinds=("office",), max_mb=MAX_MB)
    if not getattr(f, "name", "").lower().endswith(".xlsx"):
        raise ValidationError(_("请上传 .xlsx 格式的 Excel 文件（可先下载模板）"))
    check_inflated_size(f, MAX_INFLATED_MB)
    f.seek(0)
    try:
        # with formulas, not their cached values: a formula cell is refused (see read_sheet)
        wb = load_workbook(f, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(_("无法读取这个 Excel 文件，请用模板重新保存后上传")) from exc
    try:
        ws = wb.worksheets[0]
        with collector_paused():
            return _read_rows(ws)
    except ValidationError:
        raise
    except Exception as exc:  # rows are parsed lazily: a damaged sheet shows up only here
        raise ValidationError(_("无法读取这个 Excel 文件，请用模板重新保存后上传")) from exc
    finally:
        wb.close()


def _read_rows(ws) -> Parsed:
    parsed = Parsed()
    sheet = read_sheet(ws, width=len(COLUMNS), max_rows=MAX_ROWS, extra_header=ERROR_HEADER)
    header = sheet.header
    names = [cell_text(h) for h in header]
    missing = [h for h, _f, required, _r in COLUMNS if required and h not in names]
    if missing:
        raise ValidationError(_("缺少必需的列：%(cols)s（请使用模板）") % {"cols": "、".join(missing)})
    index = {fname: names.index(h) for h, fname, _c, _r in COLUMNS if h in names}
    parsed.columns = list(index)
    parsed.raw.append(list(header))
    required = {fname for _h, fname, _c, req in COLUMNS if req}
    label = {fname: h for h, fname, _c, _r in COLUMNS}
    numbers = sheet.numbers
    parsed.raw.extend(sheet.rows)  # every row as wide as the template
    if not numbers:
        raise ValidationError(_("文件中没有数据行"))
    # column by column: a value is converted once per column however many rows repeat it (性别, 政治面貌, 所属方面,
    # 处室…), and its messages go to every row that holds it
    cells = list(zip(*sheet.rows, strict=True))
    labels = _labels()
    cell_errors: list[tuple[int, int, RowError]] = []
    # a formula cell is refused and not converted (its value is the formula's text); its row gets no other message
    formulas: dict[int, set[int]] = {}
    for i, col in sheet.formulas:
        formulas.setdefault(col, set()).add(i)
    with_formula = {numbers[i] for i, _col in sheet.formulas}
    converted, incomplete = [], False
    for position, (fname, col) in enumerate(index.items()):
        convert, heading, is_required = CONVERTERS[fname], label[fname], fname in required
        seen: dict = {}
        out = []
        refused = formulas.get(col, ())
        for i, value in enumerate(cells[col]):
            if i in refused:
                message = _("是公式，请改为文本或数字")
                cell_errors.append((numbers[i], position, RowError(numbers[i], heading, message)))
                out.append(_MISSING)
                incomplete = True
                continue
            key = value if type(value) is str else (type(value), value)
            hit = seen.get(key)
            if hit is None:
                text, errs = cell_text(value), []
                if is_required and text == "":
                    hit = seen[key] = (_MISSING, (_("必填"),))
                else:
                    # a tuple (no list per value): thousands of distinct values stay cheap for the garbage collector
                    hit = seen[key] = (convert(value, text, errs, labels), tuple(errs))
            out.append(hit[0])
            if hit[1]:
                cell_errors.extend((numbers[i], position, RowError(numbers[i], heading, e)) for e in hit[1])
                incomplete = incomplete or hit[0] is _MISSING
        converted.append(out)
    fnames = list(index)
    by_row = zip(*converted, strict=True)
    parsed.rows = [(n, dict(zip(fnames, values, strict=True))) for n, values in zip(numbers, by_row, strict=True)]
    if incomplete:  # a required cell left blank is absent from the row's values, not blank
        parsed.rows = [(n, {k: v for k, v in d.items() if v is not _MISSING}) for n, d in parsed.rows]
    late = len(index)
    for number, data in parsed.rows:
        if number in with_formula:
            continue
        if data.get("is_reserve_cadre") and not data.get("reserve_reason"):
            cell_errors.append((number, late, RowError(number, "列为后备干部的理由", _("列为后备干部时请写明理由"))))
        if not data.get("staff_no") and not data.get("phone"):
            cell_errors.append(
                (number, late + 1, RowError(number, "联系电话", _("没有工号时必须填写联系电话（用于识别人员）")))
            )
    cell_errors.sort(key=lambda e: (e[0], e[1]))  # stable: a cell's messages keep their order
    parsed.errors = [e for _n, _p, e in cell_errors]
    check_duplicates(parsed)
    return parsed


def _key(data: dict) -> tuple:
    if data.get("staff_no"):
        return ("no", data["staff_no"].casefold())
    return ("np", data.get("name"), data.get("phone"))


def check_duplicates(parsed: Parsed) -> None:
    """The same person twice (工号 compared without regard to case), and one phone under two names."""
    seen: dict[tuple, int] = {}
    phones: dict[str, tuple[str, int]] = {}
    for number, data in parsed.rows:
        key = _key(data)
        if key in seen:
            column = "工号" if key[0] == "no" else "姓名"
            parsed.errors.append(RowError(number, column, _("与第 %(n)s 行是同一人（重复）") % {"n": seen[key]}))
        else:
            seen[key] = number
        phone, name = data.get("phone"), data.get("name")
        if phone and name:
            first_name, first = phones.setdefault(phone, (name, number))
            if first_name != name:
                message = _("与第 %(n)s 行（%(name)s）的联系电话相同：一个电话只能属于一个人") % {
                    "n": first,
                    "name": first_name,
                }
                parsed.errors.append(RowError(number, "联系电话", message))


def parse_stored(record: RosterImport) -> Parsed:
    """Read a stored upload again (the preview and the apply step check the same bytes)."""
    with record.file.open("rb") as fh:
        data = io.BytesIO(fh.read())
    data.name = "roster.xlsx"
    data.size = len(data.getvalue())
    return read_file(data)
