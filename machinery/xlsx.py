"""Every workbook 168 writes puts its cells through here: text stays text, numbers stay numbers, dates are dates.

- Text is always a string cell. Text that starts like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return: “=HYPERLINK(…)”, “+SUM(1,2)”) is also marked with Excel's quote prefix, as if typed after an apostrophe, so
  neither opening the file nor editing the cell ever evaluates it. openpyxl alone would store “=…” as a formula and
  “#N/A” as an error. Characters a worksheet cannot hold (control characters) are dropped, not a failed export.
- Numbers (int, float, Decimal) are numbers: counts shown whole, a Decimal with its places; True/False are 是/否.
- Dates are real dates shown as 2026年3月16日; date-times as 2026年3月16日 09:30 (local time).

`put` fixes one cell of an ordinary worksheet, `cell` makes a styled cell for a write-only one, `stream_rows` makes a
write-only sheet's appended plain values take these rules at the cost of a type check, and `sheets_xlsx` writes
plain lists (bold frozen header, column widths from the content) for the pages' “导出Excel” links.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_TEXT = 32_767  # the most a cell holds
WIDE = re.compile("[\u2e80-\U0010ffff]")  # characters shown twice as wide (CJK and beyond)
YES, NO = "是", "否"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def text_of(value) -> str:
    """Text a worksheet can hold: control characters other than tab, newline and carriage return are dropped."""
    text = str(value)
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:MAX_TEXT]


def plain(value):
    """The value as a cell holds it: None, a number, a date, a naive local date-time, or text."""
    if value is None or type(value) in (int, float, Decimal, datetime.date):
        return value
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return text_of(value)


def put(cell: Cell, value) -> Cell:
    """Give a cell its value by the rules above (ordinary or write-only cell)."""
    value = plain(value)
    cell.value = value
    if type(value) is str:
        cell.data_type = "s"  # never a formula ("=…") nor an error ("#N/A")
        if is_formula_like(value):
            cell.quotePrefix = True
    elif type(value) is datetime.datetime:
        cell.number_format = DATETIME_FORMAT
    elif type(value) is datetime.date:
        cell.number_format = DATE_FORMAT
    elif type(value) in (int, Decimal):
        cell.number_format = number_format(value)
    return cell


def number_format(value) -> str:
    """Counts as whole numbers ("0"); a decimal figure with as many places as it is stored with, as the PDF and the
    pages print it (推广面 75.0 is "0.0", not Excel's General "75"); other numbers as Excel shows them."""
    if type(value) is int:
        return "0"
    if isinstance(value, Decimal):
        places = -value.as_tuple().exponent
        return "0." + "0" * places if places > 0 else "0"
    return ""


def cell(ws, value, style=None) -> WriteOnlyCell:
    """A cell for a write-only sheet; `style` (a StyleArray shared by many cells) is copied before it is changed."""
    c = WriteOnlyCell(ws)
    if style is not None:
        c._style = copy(style)
    return put(c, value)


def append(ws, values: Iterable) -> None:
    """Append a row to an ordinary worksheet, its cells written by the rules above."""
    values = list(values)
    ws.append([None] * len(values) if values else [])
    row = ws.max_row
    for col, value in enumerate(values, start=1):
        if value is not None:
            put(ws.cell(row=row, column=col), value)


def stream_rows(ws, style, *, number_style=None) -> None:
    """Make plain values appended to a write-only sheet take `style` (a StyleArray) and the rules above, on one
    reused cell per kind (text, quoted text, date, date-time) instead of a new cell per value; Cell objects pass as
    they are (make them with `cell`). openpyxl 3.1 writes a write-only row cell by cell through this hook. Handing
    openpyxl a styled cell per value instead costs it an exception and a fresh cell each time: this keeps a 5,000-row
    table within twice a bare write-only loop. Numbers and dates take `number_style` when given (e.g. centred)."""
    body = WriteOnlyCell(ws)
    body._style = copy(style)
    numbers: dict[str, Cell] = {}  # one reused cell per number format
    special: dict[str, Cell] = {}

    def number_cell(value) -> Cell:
        fmt = number_format(value)
        found = numbers.get(fmt)
        if found is None:
            found = numbers[fmt] = WriteOnlyCell(ws)
            found._style = copy(number_style if number_style is not None else style)
            if fmt:
                found.number_format = fmt
        found._value = value  # an int, float or Decimal (never a bool): a number as openpyxl's setter would keep it
        found.data_type = "n"
        return found

    def kind_cell(kind: str, value) -> Cell:
        found = special.get(kind)
        if found is None:
            dated = kind in ("date", "datetime") and number_style is not None
            found = special[kind] = cell(ws, value, number_style if dated else style)
        elif kind in ("text", "quoted"):
            # checked above (a str without illegal characters, cut to MAX_TEXT): openpyxl's setter would only check
            # its type again, which for a large table costs more than writing it
            found._value = value
            found.data_type = "s"
        else:
            found.value = value
        return found

    def values_to_row(values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                c = value
            else:
                t = type(value)
                if t is str and not ILLEGAL_CHARACTERS_RE.search(value):
                    c = kind_cell("quoted" if value.startswith(FORMULA_START) else "text", value[:MAX_TEXT])
                elif t is int or t is float or t is Decimal:
                    c = number_cell(value)
                else:
                    value = plain(value)
                    if type(value) is str:
                        c = kind_cell("quoted" if is_formula_like(value) else "text", value)
                    elif type(value) is datetime.datetime:
                        c = kind_cell("datetime", value)
                    elif type(value) is datetime.date:
                        c = kind_cell("date", value)
                    else:
                        body.value = value
                        c = body
            c.column = col_idx
            c.row = row_idx
            yield c

    ws._values_to_row = values_to_row


def display_width(value) -> int:
    """Columns a value needs: Chinese characters count twice."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 18
    if isinstance(value, datetime.date):
        return 12
    text = str(value)
    return max((len(line) + len(WIDE.findall(line)) for line in text.splitlines()), default=0)


def widths_for(columns: Sequence[str], rows: Sequence[Sequence], *, sample: int = 500) -> list[int]:
    """Column widths from the header and the first `sample` rows, between 6 and 50."""
    widths = [display_width(c) for c in columns]
    for row in rows[:sample]:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], display_width(value))
    return [min(50, max(6, w + 2)) for w in widths]


@dataclass
class Sheet:
    """One list on its own sheet: the header, the rows (values of any kind above), optional column widths."""

    name: str
    columns: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] | None = None


def _write_list(wb: Workbook, sheet: Sheet) -> None:
    rows = sheet.rows if isinstance(sheet.rows, list) else list(sheet.rows)
    ws = wb.create_sheet(title=text_of(sheet.name).translate(SHEET_NAME_BAD)[:31] or "Sheet1")
    for i, width in enumerate(sheet.widths or widths_for(sheet.columns, rows), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"  # a write-only sheet writes its views with the first row: set before any row
    head = []
    for name in sheet.columns:
        c = cell(ws, name)
        c.font, c.fill, c.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
        head.append(c)
    ws.append(head)
    stream_rows(ws, WriteOnlyCell(ws)._style)
    for row in rows:
        ws.append(list(row))
    ws.close()


def sheets_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """Lists as a workbook, a sheet each: the header in bold on row 1 and frozen, each row below it."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write_list(wb, sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_xlsx(
    *, sheet_name: str, columns: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] | None = None
) -> bytes:
    """A plain list as a workbook of one sheet (see sheets_xlsx)."""
    return sheets_xlsx([Sheet(sheet_name, columns, rows, widths)])


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """The workbook as a download under `filename` (Chinese allowed), never cached."""
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response
