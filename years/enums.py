"""The policy's calendar words: 一季一评、半年初评、三季一评、年终总评 (五.三) and the Annex 5 quarterly deadlines."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """The four rating periods of a year (五.三 “一季一评、半年初评、年终总评”)."""

    Q1 = "q1", _("一季一评")
    H1 = "h1", _("半年初评")
    Q3 = "q3", _("三季一评")
    YEAR = "year", _("年终总评")


class WindowKind(models.TextChoices):
    """A window of the year's calendar: the four rating windows and the four quarterly report deadlines."""

    Q1 = "q1", _("一季一评")
    H1 = "h1", _("半年初评")
    Q3 = "q3", _("三季一评")
    YEAR = "year", _("年终总评")
    REPORT_Q1 = "report_q1", _("第一季度季报")
    REPORT_Q2 = "report_q2", _("第二季度季报")
    REPORT_Q3 = "report_q3", _("第三季度季报")
    REPORT_Q4 = "report_q4", _("第四季度季报")


RATING_WINDOWS = [WindowKind.Q1, WindowKind.H1, WindowKind.Q3, WindowKind.YEAR]
REPORT_WINDOWS = [WindowKind.REPORT_Q1, WindowKind.REPORT_Q2, WindowKind.REPORT_Q3, WindowKind.REPORT_Q4]


def report_window(quarter: int) -> WindowKind:
    return REPORT_WINDOWS[int(quarter) - 1]


class YearState(models.TextChoices):
    OPEN = "open", _("进行中")
    ARCHIVED = "archived", _("已归档（只读）")


# The last month of the quarter each window belongs to.
_END_MONTH = {
    WindowKind.Q1: 3, WindowKind.H1: 6, WindowKind.Q3: 9, WindowKind.YEAR: 12,
    WindowKind.REPORT_Q1: 3, WindowKind.REPORT_Q2: 6, WindowKind.REPORT_Q3: 9, WindowKind.REPORT_Q4: 12,
}  # fmt: skip

# 各市属高校党委（总支）、市教育局机关党委请于每季度第三个月20日前将……季报表（见附件5）报送市委教育工委。
REPORT_DUE_DAY = 20


def default_dates(year: int, kind: str) -> tuple[datetime.date, datetime.date]:
    """The policy's defaults. A rating window is the last month of its quarter (Q1: 1–31 March, …, year-end:
    1–31 December). A report window runs from the first day of the quarter to the 20th of its third month."""
    kind = WindowKind(kind)
    month = _END_MONTH[kind]
    if kind in REPORT_WINDOWS:
        return datetime.date(year, month - 2, 1), datetime.date(year, month, REPORT_DUE_DAY)
    opens = datetime.date(year, month, 1)
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return opens, nxt - datetime.timedelta(days=1)


def shift_year(day: datetime.date, years: int = 1) -> datetime.date:
    """The same day in another year; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
