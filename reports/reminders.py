"""Reminder rules of the quarterly report (附件5), discovered by notifications' daily sweep.

Each reporting unit (reports_quarterly) without a submitted or accepted report for the quarter is reminded at
REMINDER_OFFSETS days before its due date (its calendar's; by default the 20th of the quarter's third month) and once the day after it;
a returned report counts as missing. The unit's staff (报送单位工作人员) receive it; the city committee's staff
receive a digest of who is missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse

from notifications.sweep import Reminder, cn_date, days_phrase, deadline_offset, link
from organizations.enums import OrgKind, Role
from organizations.models import Organization
from years.enums import REPORT_WINDOWS, report_window
from years.selectors import windows_table

from .models import QuarterlyReport
from .todo import reports_missing

KIND = "reports.quarterly"
DIGEST_KIND = "reports.quarterly_digest"
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
DIGEST_NAMES_SHOWN = 60


def _quarters_due(
    today: datetime.date, units: list[Organization]
) -> Iterator[tuple[int, int, datetime.date, int, list[Organization]]]:
    """(year, quarter, deadline, offset, units) for each deadline at a reminder offset today. A unit's deadline is
    its report window's close in the year's calendar (the policy's 20th unless the city set another)."""
    years = (today.year - 1, today.year, today.year + 1)
    table = windows_table(units, years, REPORT_WINDOWS)  # one query for the three years
    for year in years:
        for quarter in (1, 2, 3, 4):
            dues = {pk: w.closes_on for pk, w in table[(year, report_window(quarter))].items()}
            by_deadline: dict[datetime.date, list[Organization]] = {}
            for unit in units:
                by_deadline.setdefault(dues[unit.pk], []).append(unit)
            for deadline, group in sorted(by_deadline.items()):
                offset = deadline_offset(today, deadline)
                if offset is not None:
                    yield year, quarter, deadline, offset, group


def due(*, today: datetime.date) -> Iterator[Reminder]:
    units = list(Organization.objects.filter(reports_quarterly=True).only("pk", "name", "path").order_by("path"))
    if not units:
        return
    for year, quarter, deadline, offset, group in _quarters_due(today, units):
        yield from _quarter(today, year, quarter, deadline, offset, group)


def _quarter(today: datetime.date, year: int, quarter: int, deadline: datetime.date, offset: int, units):
    reports = reports_missing(year, quarter, units)
    missing = [u for u in units if u.pk in reports]
    if not missing:
        return
    period = f"{year}Q{quarter}"
    title = f"{year}年{QUARTER_NAMES[quarter]}季报表"
    when = days_phrase(today, deadline)
    url = link(lambda: reverse("reports:quarterly_list") + f"?year={year}&quarter={quarter}")
    for unit in missing:
        returned = getattr(reports[unit.pk], "state", None) == QuarterlyReport.State.RETURNED
        if offset > 0:
            subject = f"{title}已逾期未报送"
            body = (
                f"{unit.name}：{title}的报送截止日期是{cn_date(deadline)}，至今尚未报送"
                f"{'（已退回的报表尚未重新报送）' if returned else ''}，请尽快填报并报送。"
            )
        else:
            subject = f"{title}{when}（{deadline.month}月{deadline.day}日）"
            body = (
                f"{unit.name}：{title}应于{cn_date(deadline)}前报送，"
                + ("报表已被市委教育工委退回，请按退回意见修改后重新报送。" if returned else "目前尚未报送，请及时填报并报送。")
            )
        yield Reminder(
            kind=KIND, period=period, offset=offset, subject=subject, body=body, url=url,
            organization_id=unit.pk, roles=(Role.UNIT_STAFF,), deadline=deadline,
        )
    names = "、".join(u.name for u in missing[:DIGEST_NAMES_SHOWN])
    if len(missing) > DIGEST_NAMES_SHOWN:
        names += f"等{len(missing)}个单位"
    subject = (
        f"{title}逾期未报送：{len(missing)}个单位" if offset > 0 else f"{title}{when}，尚有{len(missing)}个单位未报送"
    )
    body = f"截止日期：{cn_date(deadline)}。尚未报送（含被退回待重报）的单位：{names}。"
    for city in Organization.objects.filter(kind=OrgKind.CITY_COMMITTEE).only("pk"):
        yield Reminder(
            kind=DIGEST_KIND, period=period, offset=offset, subject=subject, body=body, url=url,
            organization_id=city.pk, roles=(Role.CITY_STAFF,), deadline=deadline,
        )
