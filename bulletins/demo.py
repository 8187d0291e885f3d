"""Demo data of 情况通报 and 简报: 晋江's 情况通报 of the latest rating period drafted from the records (results, late
units, inspection findings) and sent to its members with read receipts, some read; a typical school's write-up
published as 简报 第1期 (also on the public page) and another waiting for the county's decision. Idempotent."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from organizations.enums import SECRETARY_ROLES, STAFF_ROLES
from organizations.models import DemonstrationUnit, Organization, RoleAssignment
from posts.models import NoticeReceipt
from posts.services import notice_issue

from .enums import BriefState
from .models import Brief
from .selectors import circular_draft, circular_facts, latest_kind

WRITE_UPS = [
    ("“党员先锋岗”进年段：把承诺写在学生身边",
     "学校在每个年段设立党员先锋岗，党员教师认领学困生帮扶、青年教师带教、家校沟通等岗位，承诺内容写明可衡量的成果。"
     "\n做法：一是岗位公示在年段走廊，接受学生和家长监督；二是每月履岗登记，支部书记逐条点评；三是季度考评结果在全校公布。"
     "\n成效：本年度学困生帮扶覆盖率 100%，家长满意度由 86% 提高到 95%。"),
    ("任务分解到处室年段：一张表管到底",
     "学校党委把年度目标逐项分解到处室、年段和班级，每项写明措施、责任人和完成时限，每月对照附件1检查进度。"
     "\n经验：责任人从党员名册中选定，截止前系统自动提醒，逾期项目在党委会上通报。"),
]


@transaction.atomic
def load(*, stdout, rng: random.Random, with_logins: bool = True, year: int | None = None) -> None:
    if Brief.objects.exists():
        return
    today = timezone.localdate()
    year = year or today.year
    county = Organization.objects.filter(code="QZ-JJ").first()
    if county is None:
        return
    staff = _user(county, STAFF_ROLES)
    designations = list(
        DemonstrationUnit.objects.filter(designated_by=county).select_related("organization").order_by("pk")[:2]
    )
    made = 0
    for n, (demo, (title, body)) in enumerate(zip(designations, WRITE_UPS, strict=False)):
        now = timezone.now()
        published = n == 0
        Brief.objects.create(
            demonstration=demo, organization=demo.organization, committee=county, year=year, title=title, body=body,
            state=BriefState.PUBLISHED if published else BriefState.SUBMITTED, public=published,
            issue_no=1 if published else None, submitted_by=_user(demo.organization, SECRETARY_ROLES),
            submitted_at=now, decided_by=staff if published else None, decided_at=now if published else None,
        )  # fmt: skip
        made += 1
    kind = latest_kind(year, today)
    draft = circular_draft(county, circular_facts(county, year, kind, today))
    notice = notice_issue(organization=county, by=staff, **draft)
    receipts = list(NoticeReceipt.objects.filter(notice=notice).order_by("pk").values_list("pk", flat=True))
    read = [pk for k, pk in enumerate(receipts) if k % 3]  # two in three have read it
    NoticeReceipt.objects.filter(pk__in=read).update(read_at=timezone.now())
    stdout.write(f"情况通报 1 份（回执 {len(receipts)} 份，已读 {len(read)}）；简报材料 {made} 篇")


def _user(org: Organization, roles):
    assignment = (
        RoleAssignment.objects.filter(organization=org, role__in=roles).select_related("user").order_by("pk").first()
    )
    return assignment.user if assignment else None
