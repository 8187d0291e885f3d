"""The shape every export shares: a titled table with its 填报单位/填报日期 line, an optional header block above
the table, an optional block of labelled paragraphs below it, and a closing line."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field


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

    @property
    def estimated_pages(self) -> int:
        return 1 + self.row_count // self.rows_per_page

    @property
    def date_text(self) -> str:
        return chinese_date(self.date)


def cell_text(value) -> str:
    """What a cell shows in both formats: numbers as written, None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return chinese_date(value.date())
    if isinstance(value, datetime.date):
        return chinese_date(value)
    return str(value)
