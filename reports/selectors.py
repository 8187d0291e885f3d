"""Reads for reports, always scoped through organizations.access."""

from __future__ import annotations

import datetime


def quarter_due_date(year: int, quarter: int) -> datetime.date:
    """Annex 5 is due before the 20th of the quarter's third month (五.三): 20 March, June, September, December."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, not {quarter}")
    return datetime.date(year, quarter * 3, 20)


def quarter_of(day: datetime.date) -> tuple[int, int]:
    """(year, quarter) containing the day."""
    return day.year, (day.month - 1) // 3 + 1
