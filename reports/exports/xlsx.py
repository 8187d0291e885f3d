"""Tables as an Excel workbook (openpyxl write-only: rows stream out, memory stays flat for large tables).

Each table becomes one sheet: the title merged across in 黑体, the 填报单位/填报日期 line, the header row in 黑体 with
borders (repeated on every printed page and frozen on screen), the body in 宋体 with borders and wrapped text,
A4 landscape, fit to one page wide.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .table import Table, cell_text

TITLE_FONT = Font(name="黑体", size=16, bold=True)
HEAD_FONT = Font(name="黑体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=10.5)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
RIGHT = Alignment(horizontal="right", vertical="center")
HEAD_FILL = PatternFill("solid", fgColor="F2DCDB")
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
        cell = WriteOnlyCell(ws, value=value)
        cell._style = self.array(ws, **style)  # shared: written cells never change their style
        return cell


def _stream_with_style(ws, style) -> None:
    """Plain values appended to `ws` take the body style on one reused cell, as openpyxl does for unstyled values;
    Cell objects (title, header) pass as they are. Handing openpyxl a styled cell per value instead costs it an
    exception and a fresh cell each time: this keeps a 5,000-row table within twice a bare write-only loop."""
    body = WriteOnlyCell(ws)
    body._style = style

    def values_to_row(values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                body.value = value
                cell = body
            cell.column = col_idx
            cell.row = row_idx
            yield cell

    ws._values_to_row = values_to_row  # openpyxl 3.1's write-only hook, written to one cell at a time


def _value(value):
    if value is None:
        return ""
    if isinstance(value, str | int | float | Decimal) and not isinstance(value, bool):
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
    header_row = 3 + len(table.preface)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = f"A{header_row + 1}"

    row = 1
    ws.row_dimensions[1].height = 30
    ws.append([_cell(ws, table.title, font=TITLE_FONT, alignment=CENTER)])
    ws.merged_cells.add(f"A1:{last}1")
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
        ws.append([_cell(ws, f"{label}：{text}", border=BORDER)] + [_cell(ws, None, border=BORDER)] * (n - 1))
        if n > 1:
            ws.merged_cells.add(f"A{row}:{last}{row}")
        row += 1

    assert row == header_row
    ws.append([_cell(ws, name, font=HEAD_FONT, alignment=CENTER, border=BORDER, fill=HEAD_FILL) for name in table.columns])
    row += 1

    count = 0
    _stream_with_style(ws, styles.array(ws, border=BORDER))
    for values in table.rows:
        ws.append([_value(v) for v in values])
        count += 1
        row += 1

    for label, text in table.after:
        cells = [_cell(ws, label, font=HEAD_FONT, alignment=CENTER, border=BORDER)]
        cells += [_cell(ws, text, border=BORDER)] + [_cell(ws, None, border=BORDER)] * (n - 2)
        ws.row_dimensions[row].height = max(45, min(400, 15 * (len(text) // 60 + 1)))
        ws.append(cells[:n])
        if n > 2:
            ws.merged_cells.add(f"B{row}:{last}{row}")
        row += 1
    if table.closing:
        ws.append([_cell(ws, table.closing, alignment=LEFT)] + [None] * (n - 1))
        if n > 1:
            ws.merged_cells.add(f"A{row}:{last}{row}")
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
