"""The roster's workbooks (名册导入): the .xlsx template users fill in, a member as a template row, and the uploaded
rows handed back with an error column. The rules for reading and checking are in organizations.roster."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from machinery import xlsx

from ..enums import EightRole, Gender, PoliticalStatus
from ..models import Member
from .rules import ERROR_HEADER, EXAMPLE, HEADERS, MAX_ROWS, NO, YES, Parsed, cell_text


def _append(ws, values: list) -> None:
    """Append a row whose text stays text (machinery.xlsx): a value that starts like a formula (“=HYPERLINK(…)”,
    “+SUM(1,2)”) is a string cell with the quote prefix, as Excel marks text typed after an apostrophe."""
    xlsx.append(ws, values)


def _choice_list(enum) -> str:
    return '"' + ",".join(str(label) for label in enum.labels) + '"'


def build_workbook(rows: list[list] | None = None, *, example: bool = True) -> Workbook:
    """The import template: Chinese headers, an example row (or `rows`), list validation for every enum column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    _append(ws, HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows if rows is not None else ([EXAMPLE] if example else []):
        _append(ws, row)
    lists = {
        "性别": _choice_list(Gender),
        "政治面貌": _choice_list(PoliticalStatus),
        "所属方面": _choice_list(EightRole),
        "后备干部": f'"{YES},{NO}"',
    }
    for header, formula in lists.items():
        letter = chr(ord("A") + HEADERS.index(header))
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = _("请从下拉列表中选择")
        dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)
    for i, header in enumerate(HEADERS):
        ws.column_dimensions[chr(ord("A") + i)].width = max(10, len(header) * 2 + 4)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def member_row(m: Member) -> list:
    return [
        m.staff_no,
        m.name,
        m.get_gender_display(),
        m.get_political_status_display(),
        m.job,
        m.get_role_group_display(),
        m.office,
        m.phone,
        m.email,
        m.joined_party_on.isoformat() if m.joined_party_on else "",
        str(m.birth_year or ""),
        YES if m.is_reserve_cadre else NO,
        m.reserve_reason,
    ]


def error_workbook(parsed: Parsed) -> bytes:
    """The uploaded rows handed back with an “错误说明” column; rows with errors are highlighted."""
    by_row: dict[int, list[str]] = {}
    for e in parsed.errors:
        by_row.setdefault(e.row, []).append(f"{e.column}：{e.message}")
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    _append(ws, [cell_text(h) for h in parsed.raw[0]] + [ERROR_HEADER])
    fill = PatternFill("solid", fgColor="FFE0E0")
    numbers = [n for n, _d in parsed.rows]
    for number, values in zip(numbers, parsed.raw[1:], strict=False):
        _append(ws, [cell_text(v) for v in values] + ["；".join(by_row.get(number, []))])
        if number in by_row:
            for cell in ws[ws.max_row]:
                cell.fill = fill
    return workbook_bytes(wb)
