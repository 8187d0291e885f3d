"""Roster import (名册导入) rules: the columns, reading and checking every row, matching rows to the roster. The
workbooks (template, error file) are in organizations.roster.book; the checked rows kept on an import record, in
organizations.roster.kept; the bulk writer of members, in organizations.roster.writer.

Stable key (documented on the import page): a row is the same person as a roster member of the branch when its
工号 matches; a row without 工号 is matched by 姓名 + 联系电话. A row whose 工号 is new but whose 姓名 + 联系电话 match a
member without 工号 is that member (the 工号 is filled in). Re-importing the same file changes nothing: only rows whose
values differ from the roster are written. The writes are organizations.services.roster_import_check / roster_import_apply.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from machinery.uploads import validate_upload

from ..enums import EightRole, Gender, PoliticalStatus
from ..models import Member, Organization, RosterImport, phone_validator

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
        return value.strip()
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
    return {name: {str(label): v for v, label in enum.choices} for name, enum in ENUMS.items()}


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


def _check_inflated_size(f) -> None:
    """Refuse, from the archive's directory alone, a workbook that would inflate beyond MAX_INFLATED_MB (zip bomb).

    Python's zipfile never reads past a member's declared size, so the declared sizes bound what openpyxl reads."""
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as zf:
            inflated = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("无法读取这个 Excel 文件，请用模板重新保存后上传")) from exc
    if inflated > MAX_INFLATED_MB * 1024 * 1024:
        raise ValidationError(_("文件解压后过大，不像是正常的名册，请用模板重新填写后上传"))


@contextlib.contextmanager
def _collector_paused():
    """Reading a sheet makes hundreds of thousands of small objects and keeps every row: Python's cycle collector
    would walk the growing heap again and again (about a tenth of the read in a fresh process, more in a long-lived
    one with a larger heap). The rows hold no reference
    cycles, so the collector is paused for the read and resumed after; whatever cycles openpyxl leaves are collected
    then."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_file(f) -> Parsed:
    """Check the upload and every row. File-level problems raise ValidationError; row problems are in .errors."""
    validate_upload(f, kinds=("office",), max_mb=MAX_MB)
    if not getattr(f, "name", "").lower().endswith(".xlsx"):
        raise ValidationError(_("请上传 .xlsx 格式的 Excel 文件（可先下载模板）"))
    _check_inflated_size(f)
    f.seek(0)
    try:
        wb = load_workbook(f, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(_("无法读取这个 Excel 文件，请用模板重新保存后上传")) from exc
    try:
        ws = wb.worksheets[0]
        # the sheet's declared size is checked before any row is loaded
        if ws.max_row is not None and ws.max_row > MAX_ROWS + 1:
            raise ValidationError(_("行数过多：一次最多导入 %(n)s 行") % {"n": MAX_ROWS})
        with _collector_paused():
            return _read_rows(ws)
    except ValidationError:
        raise
    except Exception as exc:  # rows are parsed lazily: a damaged sheet shows up only here
        raise ValidationError(_("无法读取这个 Excel 文件，请用模板重新保存后上传")) from exc
    finally:
        wb.close()


def _read_rows(ws) -> Parsed:
    parsed = Parsed()
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationError(_("文件是空的，请使用模板填写"))
    names = [cell_text(h) for h in header]
    missing = [h for h, _f, required, _r in COLUMNS if required and h not in names]
    if missing:
        raise ValidationError(_("缺少必需的列：%(cols)s（请使用模板）") % {"cols": "、".join(missing)})
    index = {fname: names.index(h) for h, fname, _c, _r in COLUMNS if h in names}
    parsed.columns = list(index)
    parsed.raw.append(list(header))
    required = {fname for _h, fname, _c, req in COLUMNS if req}
    label = {fname: h for h, fname, _c, _r in COLUMNS}
    numbers: list[int] = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ValidationError(_("行数过多：一次最多导入 %(n)s 行") % {"n": MAX_ROWS})
        if all(v is None or (type(v) is str and not v.strip()) for v in values):
            continue
        numbers.append(number)
        parsed.raw.append(values)
    if not numbers:
        raise ValidationError(_("文件中没有数据行"))
    # column by column: a value is converted once per column however many rows repeat it (性别, 政治面貌, 所属方面,
    # 处室…), and its messages go to every row that holds it
    width = max(index.values()) + 1
    # rows may be shorter (trailing blanks) or longer (a note beyond the template's columns) than the header
    padded = [v[:width] if len(v) >= width else (*v, *([None] * (width - len(v)))) for v in parsed.raw[1:]]
    cells = list(zip(*padded, strict=True))
    labels = _labels()
    cell_errors: list[tuple[int, int, RowError]] = []
    converted, incomplete = [], False
    for position, (fname, col) in enumerate(index.items()):
        convert, heading, is_required = CONVERTERS[fname], label[fname], fname in required
        seen: dict = {}
        out = []
        for i, value in enumerate(cells[col]):
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
    return ("no", data["staff_no"]) if data.get("staff_no") else ("np", data.get("name"), data.get("phone"))


def check_duplicates(parsed: Parsed) -> None:
    seen: dict[tuple, int] = {}
    for number, data in parsed.rows:
        key = _key(data)
        if key in seen:
            column = "工号" if key[0] == "no" else "姓名"
            parsed.errors.append(RowError(number, column, _("与第 %(n)s 行是同一人（重复）") % {"n": seen[key]}))
        else:
            seen[key] = number


# ---- matching against the roster ----------------------------------------------------------------------------------


def plan(org: Organization, parsed: Parsed, *, lock: bool = False) -> dict:
    """What applying would do: {"new": [...], "updated": [(member, changes)], "unchanged": n, "missing": [members]}.

    Matches against the roster as it is now (a member added since the check is matched, not added twice). With
    `lock`, the branch's members stay locked until the transaction ends, so no edit slips in between."""
    members = Member.objects.filter(organization=org)
    roster = list(members.select_for_update() if lock else members)
    by_no = {m.staff_no: m for m in roster if m.staff_no}
    by_np = {(m.name, m.phone): m for m in roster}
    new, updated, matched = [], [], set()
    for _number, data in parsed.rows:
        member = by_no.get(data.get("staff_no")) if data.get("staff_no") else None
        if member is None:
            candidate = by_np.get((data.get("name"), data.get("phone")))
            if candidate is not None and (not data.get("staff_no") or not candidate.staff_no):
                member = candidate
        if member is None:
            new.append(data)
            continue
        matched.add(member.pk)
        changes = {
            k: v
            for k, v in data.items()
            if getattr(member, k) != v and not (k == "staff_no" and not v) and not (v is None and k in ENUMS)
        }
        if not member.is_active:
            changes["is_active"] = True
        if changes:
            updated.append((member, changes))
    missing = [m for m in roster if m.pk not in matched and m.is_active]
    return {"new": new, "updated": updated, "unchanged": len(parsed.rows) - len(new) - len(updated), "missing": missing}


def parse_stored(record: RosterImport) -> Parsed:
    """Read a stored upload again (the preview and the apply step check the same bytes)."""
    with record.file.open("rb") as fh:
        data = io.BytesIO(fh.read())
    data.name = "roster.xlsx"
    data.size = len(data.getvalue())
    return read_file(data)
