"""The shape every export shares: a titled table with its 填报单位/填报日期 line, an optional header block above
the table, an optional block of labelled paragraphs below it, and a closing line."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

# The signature block under every annex, filled by hand on the printed form unless a value is known.
FOOTER_LABELS = ["填报人", "审核人", "联系电话", "填报日期"]
SEAL_LABEL = "单位（盖章）"


@dataclass(frozen=True)
class PrintLayout:
    """How a table is set on its A4 landscape PDF pages: reports/pdf/tables.html takes its sizes from here (its sections
    on a named page of this name) and paging.py measures the rows with the same figures."""

    name: str
    type_pt: float  # body text and the table's header
    line_height: float
    padding_mm: float  # cell padding on every side
    margins_mm: tuple[float, float, float, float]  # page margins: top, right, bottom, left (the page number below)
    footer_pt: float = 9  # the page number


REGULAR = PrintLayout("regular", type_pt=8.5, line_height=1.35, padding_mm=0.8, margins_mm=(16, 12, 16, 12))
# For a table of many long rows (Annex 2): smaller type, tighter cells and narrower margins, every word still printed.
DENSE = PrintLayout("dense", type_pt=7.5, line_height=1.25, padding_mm=0.5, margins_mm=(10, 8, 12, 8), footer_pt=8)


def chinese_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@dataclass
class Table:
    title: str
    unit: str
    date: datetime.date
    columns: list[str]
    widths: list[int]
    rows: Iterable[list]
    sheet_name: str = "Sheet1"
    preface: list[tuple[str, str]] = field(default_factory=list)
    after: list[tuple[str, str]] = field(default_factory=list)
    closing: str = ""
    row_count: int = 0  # known in advance (for page estimates), 0 when unknown
    rows_per_page: int = 12  # rows of this table that fit on one A4 landscape PDF page (measured)
    annex: str = ""  # 附件1, 附件2, 附件5: printed top left above the title
    long_columns: frozenset[int] = frozenset()  # columns of long text, which may break anywhere in a line
    footer: dict[str, str] = field(default_factory=dict)  # known values of the signature block (FOOTER_LABELS)
    # two-level headers: (label, first column, number of columns) printed above those columns' own headers; the
    # other columns' headers take both lines
    groups: list[tuple[str, int, int]] = field(default_factory=list)
    # columns that belong to a person rather than to a row: consecutive rows with the same 序号 (the first cell) are
    # one person's, and these cells are merged down across them
    person_columns: frozenset[int] = frozenset()
    layout: PrintLayout = REGULAR  # how the PDF sets it

    def __post_init__(self) -> None:
        # every header label is printed whole on one line (pdf.header_kind): no column is narrower than its label
        self.widths = [max(w, header_width(c)) for w, c in zip(self.widths, self.columns, strict=False)] + list(
            self.widths[len(self.columns):]
        )

    @property
    def estimated_pages(self) -> int:
        return 1 + self.row_count // self.rows_per_page

    @property
    def footer_lines(self) -> list[tuple[str, str]]:
        return [(label, self.footer.get(label, "")) for label in FOOTER_LABELS]

    @property
    def date_text(self) -> str:
        return chinese_date(self.date)

    @property
    def header_levels(self) -> int:
        return 2 if self.groups else 1

    def header_cells(self) -> list[list[HeaderCell]]:
        """The header, line by line: a group's label over its columns, then their own labels; a column outside any
        group takes both lines. One line when the table has no groups."""
        starts = {first: (label, count) for label, first, count in self.groups}
        top: list[HeaderCell] = []
        bottom: list[HeaderCell] = []
        i, n = 0, len(self.columns)
        while i < n:
            if i in starts:
                label, count = starts[i]
                top.append(HeaderCell(label, i, count, 1))
                bottom += [HeaderCell(self.columns[j], j, 1, 1) for j in range(i, i + count)]
                i += count
            else:
                top.append(HeaderCell(self.columns[i], i, 1, self.header_levels))
                i += 1
        return [top, bottom] if self.groups else [top]

    def runs(self, rows: Iterable[list]) -> Iterator[list[list]]:
        """The rows in runs of one person (consecutive rows with the same 序号) when the table merges person cells,
        otherwise one row at a time."""
        if not self.person_columns:
            for row in rows:
                yield [row]
            return
        run: list[list] = []
        for row in rows:
            if run and row[0] != run[0][0]:
                yield run
                run = []
            run.append(row)
        if run:
            yield run


@dataclass(frozen=True)
class HeaderCell:
    label: str
    column: int
    colspan: int
    rowspan: int


# Columns whose short values are never broken inside a line (pdf.py prints them `white-space: nowrap`).
WHOLE = {"姓名", "性别", "政治面貌", "责任人", "状态", "联系电话"}


def header_width(label: str) -> int:
    """The width (in the units of Table.widths: a Chinese character counts two) a header label takes on one line in
    bold, with the cell's padding."""
    return sum(2 if ord(ch) >= 0x2E80 or 0x2000 <= ord(ch) <= 0x206F else 1 for ch in label) + 2


def cell_kinds(row: list, columns: list[str], long_columns: frozenset[int]) -> list[tuple[str, str]]:
    """Each cell's text and how it may break: "num" (numbers, dates and the 序号, centred on one line), "whole" (short
    values such as names, on one line), "long" (long text, free to break anywhere) or "" (broken only between Chinese
    characters)."""
    out = []
    for i, value in enumerate(row):
        if i == 0 or isinstance(value, int | float | Decimal | datetime.date) and not isinstance(value, bool):
            kind = "num"
        elif columns[i] in WHOLE:
            kind = "whole"
        else:
            kind = "long" if i in long_columns else ""
        out.append((cell_text(value), kind))
    return out


def cell_text(value) -> str:
    """What a cell shows in both formats: numbers as written, None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return chinese_date(value.date())
    if isinstance(value, datetime.date):
        return chinese_date(value)
    return str(value)
