"""Demo Annex 5 reports: the year's earlier quarters submitted and accepted (one late, one returned then accepted),
and the current quarter in every state, leaving the `unit` login's own report as a draft to fill in and submit.
Idempotent: a year that already has reports is left alone."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organizations.models import Organization

from .models import QuarterlyReport, QuarterlyReportEvent
from .selectors import quarter_of, unit_due_dates
from .services import quarterly_report_open

State = QuarterlyReport.State
Action = QuarterlyReportEvent.Action
PRACTICES = [
    "召开推广“168”机制专题部署会，各党总支对照“六步工作法”制定年度目标分解表，党员亮岗承诺全部公开。",
    "以“党员奉献年”为主题，组织党员教师开展结对帮扶、公开课展示和志愿服务，亮岗党员覆盖率稳步提高。",
    "落实领导班子联系点制度，班子成员每月到联系点指导一次，帮助解决实际问题。",
]
PROBLEMS = [
    "个别学生党支部对“168”机制理解不深，承诺内容较笼统，可衡量的成果不够具体。",
    "部分支部履岗记录不及时，述职报告质量参差不齐。",
]
NEXT_STEPS = [
    "年底前实现基层党组织推广面 100%，做好年终总评和民主评议党员衔接。",
    "培育一批综合典型和单项典型，总结推广好经验好做法。",
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _finish(report: QuarterlyReport, *, state: str, submitted_on: datetime.date, rng, city, unit_user) -> list:
    report.practices = rng.choice(PRACTICES)
    report.problems = rng.choice(PROBLEMS)
    report.next_steps = rng.choice(NEXT_STEPS)
    report.filled_by = "林雅婷"
    report.contact_phone = "0595-22919" + str(rng.randint(100, 999))
    events = [(Action.SAVED, unit_user, State.DRAFT, State.DRAFT, "", submitted_on)]
    if state != State.DRAFT:
        report.submitted_at = _at(submitted_on)
        report.is_late = submitted_on > report.due_on
        events.append((Action.SUBMITTED, unit_user, State.DRAFT, State.SUBMITTED, "", submitted_on))
    if state == State.RETURNED:
        events.append(
            (
                Action.RETURNED,
                city,
                State.SUBMITTED,
                State.RETURNED,
                "推广面数据与上季度不衔接，请核实后重新报送。",
                submitted_on + datetime.timedelta(days=1),
            )
        )
    if state == State.ACCEPTED:
        events.append(
            (Action.ACCEPTED, city, State.SUBMITTED, State.ACCEPTED, "", submitted_on + datetime.timedelta(days=2))
        )
    report.state = state
    report.save()
    return [
        QuarterlyReportEvent(report=report, action=a, by=by, from_state=f, to_state=t, reason=reason)
        for a, by, f, t, reason, _day in events
    ]


@transaction.atomic
def load(*, stdout, rng: random.Random, with_logins: bool = True) -> None:
    year, current = quarter_of(timezone.localdate())
    if QuarterlyReport.objects.filter(year=year).exists():
        stdout.write("季报表：已有演示数据")
        return
    units = list(Organization.objects.filter(reports_quarterly=True).order_by("path"))
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["city", "unit"])}
    city, unit_user = users.get("city"), users.get("unit")
    events: list[QuarterlyReportEvent] = []
    made = 0
    for quarter in range(1, current + 1):
        dues = unit_due_dates(units, year, quarter)  # the year's calendar
        for i, unit in enumerate(units):
            due = dues[unit.pk]
            if quarter == current:
                # the current quarter in every state; the `unit` login's university (first) keeps a draft
                shape = [State.DRAFT, State.SUBMITTED, State.ACCEPTED, State.RETURNED, None, State.SUBMITTED][i % 6]
                if shape is None:
                    continue  # missing
                submitted_on = min(due, timezone.localdate()) - datetime.timedelta(days=1 + i)
            else:
                shape = State.ACCEPTED
                submitted_on = (
                    due + datetime.timedelta(days=3) if (quarter, i) == (2, 2) else due - datetime.timedelta(days=3 + i)
                )
            report = quarterly_report_open(organization=unit, year=year, quarter=quarter, by=unit_user)
            events += _finish(report, state=shape, submitted_on=submitted_on, rng=rng, city=city, unit_user=unit_user)
            made += 1
    QuarterlyReportEvent.objects.bulk_create(events)
    stdout.write(f"季报表：新建 {made} 份（{year}年第1至{current}季度）")
