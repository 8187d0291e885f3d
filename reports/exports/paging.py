"""How many A4 pages a table makes as PDF, measured from its text the way reports/pdf/tables.html lays it out.

Each cell's text is set in its column's width (the type size of the table's PrintLayout, CJK characters a full em,
Latin and digits about half; lines break between any two characters, except numbers, dates and short values such as
names, which stay on one line), a row is as tall as its tallest cell and never splits across pages, and the header row
is repeated on every page. The figures below come from that stylesheet; the estimate was checked against WeasyPrint's
own page counts (tests/test_reports_background.py, tests/test_reports_grouped_headers.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .table import PrintLayout, Table, cell_kinds

MM_PER_PT = 25.4 / 72
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 297, 210  # A4 landscape
BODY_MARGIN_MM = 8 * 25.4 / 96  # the body's default 8 px margin on either side of the table
RULE_MM = 0.6 * MM_PER_PT  # the cells' rules (0.6 pt)
TITLE_MM = 16 * 1.2 * MM_PER_PT + 4  # 16 pt heading and its 4 mm margin


class Metrics:
    """A layout's sizes in millimetres."""

    def __init__(self, layout: PrintLayout):
        top, right, bottom, left = layout.margins_mm
        self.content_width = PAGE_WIDTH_MM - left - right
        self.table_width = self.content_width - 2 * BODY_MARGIN_MM - RULE_MM  # what the columns' percentages share
        self.content_height = PAGE_HEIGHT_MM - top - bottom - 2  # a little slack for borders
        self.em = layout.type_pt * MM_PER_PT
        self.line = layout.type_pt * layout.line_height * MM_PER_PT
        self.cell_pad = 2 * (layout.padding_mm + RULE_MM)  # padding above and below, and the rules
        self.cell_side = 2 * layout.padding_mm + RULE_MM  # padding left and right, and half of each rule
        self.meta = self.line + 2  # the 填报单位/填报日期 line
        self.preface_line = self.line + 1


def char_em(ch: str) -> float:
    """The width of one character in ems: CJK and full-width forms take a whole em, the rest about half."""
    code = ord(ch)
    if code >= 0x2E80 or 0x2000 <= code <= 0x206F:  # CJK, full-width forms, and the general punctuation 。“”…
        return 1.0
    return 0.55


def text_lines(text: str, width_mm: float, em_mm: float) -> int:
    """Lines `text` takes in a box `width_mm` wide in type `em_mm` high, breaking between any two characters."""
    per_line = max(width_mm / em_mm, 1.0)  # ems per line
    lines = 0
    for paragraph in text.split("\n"):
        used, count = 0.0, 1
        for ch in paragraph:
            w = char_em(ch)
            if used + w > per_line and used > 0:
                count, used = count + 1, 0.0
            used += w
        lines += count
    return max(lines, 1)


class PageCounter:
    """Rows fed one at a time; `pages` is how many pages the table fills so far."""

    def __init__(self, table: Table):
        self.m = m = Metrics(table.layout)
        total = sum(table.widths)
        self.inner = [m.table_width * w / total - m.cell_side for w in table.widths]
        self.columns, self.long_columns = table.columns, table.long_columns
        self.header_mm = self.heading_mm(table)
        self.person = bool(table.person_columns)
        self.run: list[float] = []  # heights of the rows of the person being read (kept on one page)
        self.run_key = None
        self.min_row_mm = m.line + m.cell_pad
        preface_mm = sum(
            m.preface_line * text_lines(f"{label}：{text}", m.content_width, m.em) for label, text in table.preface
        )
        self.pages = 1  # a table starts on a new page
        self.used = TITLE_MM + m.meta + preface_mm + (3 if table.preface else 0) + self.header_mm

    def heading_mm(self, table: Table) -> float:
        """The header's height: one line of labels, or with groups a line of group labels above the labels under
        them, beside the other columns' labels over both lines (every label whole on one line, as pdf.header_kind says)."""
        row = self.m.line + self.m.cell_pad
        return 2 * row if table.groups else row  # the group labels, then the labels under them; or one line

    def lines_mm(self, cells: list[tuple[str, str]]) -> float:
        """A row's height: its tallest cell; numbers, dates and short values stay on one line (they are printed
        `white-space: nowrap`)."""
        lines = max(
            (
                1 if kind in {"num", "whole"} else text_lines(text, w, self.m.em)
                for (text, kind), w in zip(cells, self.inner, strict=False)
            ),
            default=1,
        )
        return lines * self.m.line + self.m.cell_pad

    def row_mm(self, row: list) -> float:
        return self.lines_mm(cell_kinds(list(row), self.columns, self.long_columns))

    def add(self, row: Iterable) -> None:
        row = list(row)
        if not self.person:
            self._place([self.row_mm(row)])
            return
        if self.run and row[0] != self.run_key:  # a person's rows are kept together (tbody.person)
            self._place(self.run)
            self.run = []
        self.run_key = row[0]
        self.run.append(self.row_mm(row))

    def _place(self, heights: list[float]) -> None:
        total, height_mm = sum(heights), self.m.content_height
        if len(heights) > 1 and total <= height_mm - self.header_mm:
            heights = [total]  # moves to the next page whole
        for height in heights:
            if self.used + height > height_mm and self.used > self.header_mm + 0.01:
                self.pages += 1
                self.used = self.header_mm
            self.used += height

    def finish(self, table: Table) -> int:
        """Add the labelled paragraphs and the closing line below the table; the pages of the whole table."""
        if self.run:
            self._place(self.run)
            self.run = []
        m = self.m
        for _label, text in table.after:
            self.used += m.line * text_lines(str(text or ""), m.content_width * 0.82 - m.cell_side, m.em) + m.cell_pad
        if table.closing:
            self.used += m.line + 3
        while self.used > m.content_height:
            self.pages += 1
            self.used -= m.content_height
        return self.pages

    def at_least(self, rows: int) -> int:
        """The fewest pages `rows` more rows could take (every row one line high)."""
        room = self.m.content_height - self.header_mm
        first = max(int((self.m.content_height - self.used) // self.min_row_mm), 0)
        if rows <= first:
            return self.pages
        return self.pages + math.ceil((rows - first) / max(int(room // self.min_row_mm), 1))


def estimate_pages(table: Table, *, limit: int) -> int:
    """Pages of `table` as PDF, measured row by row, or any number above `limit` once it is sure to exceed it.

    A table whose row count alone proves it longer than `limit` (every row at least one line) is not read at all; a
    shorter one is read, and its rows are kept on the table so that the PDF is made from them without a second
    query."""
    counter = PageCounter(table)
    if table.row_count and counter.at_least(table.row_count) > limit:
        return counter.at_least(table.row_count)
    rows = list(table.rows)
    table.rows = rows
    for row in rows:
        counter.add(row)
    return counter.finish(table)
