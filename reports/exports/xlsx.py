"""Tables as an Excel workbook (openpyxl write-only: rows stream out, memory stays flat for large tables).

Each table becomes one sheet laid out as the official form: 附件N in the top-left cell, the title merged across in
黑体, the 填报单位/填报日期 line, the header row in bold 黑体 with black borders and no fill (repeated on every printed
page and frozen on screen), the body in 宋体 with borders and wrapped text (numbers and dates centred), each row as
tall as its wrapped text, the signature block below, A4 landscape, fit to one page wide.
"""

from __future__ import annotations

import datetime
import io
import math
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from machinery import xlsx

from .table import SEAL_LABEL, Table, cell_text

TITLE_FONT = Font(name="黑体", size=16, bold=True)
HEAD_FONT = Font(name="黑体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=10.5)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
RIGHT = Alignment(horizontal="right", vertical="center")
ANNEX_FONT = Font(name="黑体", size=12, bold=True)
LINE_HEIGHT = 15  # points per line of 宋体 10.5 pt
MAX_HEIGHT = 409  # the tallest row Excel accepts
SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


class Styles:
    """The style arrays of one workbook, each made once. openpyxl hashes the font, alignment, border and fill each
    time one is assigned to a cell; titles, headers and the labelled rows below a table are styled cell by cell, and
    in a workbook of many sheets that hashing cost more than writing the cells."""

    def __init__(self) -> None:
        # keyed by the style objects' ids; the objects are kept so that an id is never reused by another style
        self._arrays: dict[tuple, tuple] = {}

    def array(self, ws, *, font=BODY_FONT, alignment=WRAP, border=None, fill=None) -> StyleArray:
        key = (id(font), id(alignment), id(border), id(fill))
        found = self._arrays.get(key)
        if found is None:
            cell = WriteOnlyCell(ws)
            cell.font = font
            cell.alignment = alignment
            if border is not None:
                cell.border = border
            if fill is not None:
                cell.fill = fill
            found = self._arrays[key] = (cell._style, (font, alignment, border, fill))
        return found[0]

    def cell(self, ws, value, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws)
        cell._style = self.array(ws, **style)  # shared: written cells never change their style
        value = xlsx.plain(value)
        if value is None or (type(value) is str and not xlsx.is_formula_like(value)):
            cell.value = value
            if value is not None:
                cell.data_type = "s"
            return cell
        return xlsx.cell(ws, value, cell._style)  # a style of its own (quote prefix, date or number format)


def row_lines(values: list, widths: list[int]) -> int:
    """Lines the tallest cell of a row wraps to: its display width (Chinese characters count twice) over the
    column's width, line by line of its text."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if value is None or type(value) is not str or not value:
            continue
        room = max(1, width - 1)
        if 2 * len(value) <= room:  # fits on one line even if every character is Chinese
            continue
        n = sum(max(1, math.ceil(xlsx.display_width(part) / room)) for part in value.split("\n"))
        if n > lines:
            lines = n
    return lines


def _value(value):
    """Numbers, dates and text go to the sheet as they are (machinery.xlsx writes each by its kind); anything else
    as the text both formats show."""
    if value is None:
        return ""
    if isinstance(value, str | int | float | Decimal | datetime.date) and not isinstance(value, bool):
        return value
    return cell_text(value)


def write_sheet(wb: Workbook, table: Table, styles: Styles | None = None) -> int:
    """Append one sheet for the table and close it (a write-only sheet holds an open temporary file until then);
    returns the number of body rows written."""
    styles = styles or Styles()
    _cell = styles.cell
    ws = wb.create_sheet(title=table.sheet_name.translate(SHEET_NAME_BAD)[:31] or "Sheet")
    n = len(table.columns)
    last = get_column_letter(n)
    for i, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"

    # a write-only sheet writes its views when the first row goes out: freeze and print titles come first
    header_row = 4 + len(table.preface)
    levels = table.header_levels
    ws.print_title_rows = f"{header_row}:{header_row + levels - 1}"
    ws.freeze_panes = f"A{header_row + levels}"

    row = 1
    ws.append([_cell(ws, table.annex, font=ANNEX_FONT, alignment=LEFT)])
    row += 1
    ws.row_dimensions[row].height = 30
    ws.append([_cell(ws, table.title, font=TITLE_FONT, alignment=CENTER)])
    ws.merged_cells.add(f"A{row}:{last}{row}")
    row += 1
    half = max(1, n // 2)
    line = [_cell(ws, f"填报单位：{table.unit}", alignment=LEFT)] + [None] * (half - 1)
    line += [_cell(ws, f"填报日期：{table.date_text}", alignment=RIGHT)] + [None] * (n - half - 1)
    ws.append(line[:n] if n > 1 else [line[0]])
    if n > 1:
        if half > 1:
            ws.merged_cells.add(f"A{row}:{get_column_letter(half)}{row}")
        if n - half > 1:
            ws.merged_cells.add(f"{get_column_letter(half + 1)}{row}:{last}{row}")
    row += 1
    for label, text in table.preface:
        lines = row_lines([f"{label}：{text}"], [sum(table.widths)])
        if lines > 1:
            ws.row_dimensions[row].height = min(MAX_HEIGHT, lines * LINE_HEIGHT)
        ws.append([_cell(ws, f"{label}：{text}", border=BORDER)] + [_cell(ws, None, border=BORDER)] * (n - 1))
        if n > 1:
            ws.merged_cells.add(f"A{row}:{last}{row}")
        row += 1

    assert row == header_row
    # a group's label merged across its columns above their own labels; a column outside a group merged down both
    # lines; the cells a merge covers keep their borders so that the printed grid is whole
    lines_of = [
        [_cell(ws, None, font=HEAD_FONT, alignment=CENTER, border=BORDER) for _ in range(n)] for _ in range(levels)
    ]
    for level, cells in enumerate(table.header_cells()):
        for head in cells:
            lines_of[level][head.column] = _cell(ws, head.label, font=HEAD_FONT, alignment=CENTER, border=BORDER)
            if head.colspan > 1 or head.rowspan > 1:
                first, last_col = get_column_letter(head.column + 1), get_column_letter(head.column + head.colspan)
                ws.merged_cells.add(f"{first}{row + level}:{last_col}{row + level + head.rowspan - 1}")
    for cells in lines_of:
        ws.append(cells)
        row += 1

    count = 0
    xlsx.stream_rows(
        ws, styles.array(ws, border=BORDER), number_style=styles.array(ws, alignment=CENTER, border=BORDER)
    )
    widths = list(table.widths)
    person = sorted(table.person_columns)
    letters = [get_column_letter(i + 1) for i in person]
    for run in table.runs(table.rows):
        top = row
        for k, values in enumerate(run):
            cells = [_value(v) for v in values]
            if k:  # the person's cells are the first row's, merged down; the covered cells keep their borders
                for i in person:
                    cells[i] = ""
            lines = row_lines(cells, widths)
            if lines > 1:
                ws.row_dimensions[row].height = min(MAX_HEIGHT, lines * LINE_HEIGHT)
            ws.append(cells)
            count += 1
            row += 1
        if row - top > 1:
            for letter in letters:
                ws.merged_cells.add(f"{letter}{top}:{letter}{row - 1}")

    for label, text in table.after:
        cells = [_cell(ws, label, font=HEAD_FONT, alignment=CENTER, border=BORDER)]
        cells += [_cell(ws, text, border=BORDER)] + [_cell(ws, None, border=BORDER)] * (n - 2)
        room = sum(widths[1:]) or widths[0]
        ws.row_dimensions[row].height = max(45, min(MAX_HEIGHT, LINE_HEIGHT * row_lines([text], [room])))
        ws.append(cells[:n])
        if n > 2:
            ws.merged_cells.add(f"B{row}:{last}{row}")
        row += 1
    if table.closing:
        ws.append([_cell(ws, table.closing, alignment=LEFT)] + [None] * (n - 1))
        if n > 1:
            ws.merged_cells.add(f"A{row}:{last}{row}")
        row += 1
    ws.append([])
    row += 1
    blank = "＿" * 8
    signs = "　　".join(f"{label}：{value or blank}" for label, value in table.footer_lines)
    for text, align in ((signs, LEFT), (SEAL_LABEL, RIGHT)):
        ws.row_dimensions[row].height = 24
        ws.append([_cell(ws, text, alignment=align)] + [None] * (n - 1))
        if n > 1:
            ws.merged_cells.add(f"A{row}:{last}{row}")
        row += 1
    ws.close()
    return count


def xlsx_bytes(tables: list[Table]) -> bytes:
    wb = Workbook(write_only=True)
    styles = Styles()
    for table in tables:
        write_sheet(wb, table, styles)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
