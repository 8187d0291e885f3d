"""Demo data of the policy's working systems: 晋江's mid-year inspections of its schools (items closed, open and
overdue, with follow-up) and its year-end review; full contact-point visits this quarter; 四争 aims and contacts with
the masses of the members on posts in 晋江. Idempotent: nothing is added once an inspection exists."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from organizations.enums import OrgKind
from organizations.models import ContactPoint, ContactVisit, Member, Organization
from organizations.selectors import quarter_bounds
from posts.enums import FourStrive, MassGroup
from posts.models import AnnualAim, MassContact, PostClaim

from .enums import CheckArea
from .models import FixItem, FollowUp, Inspection, YearReview

FINDINGS = [
    "六步工作法台账齐全，征求意见覆盖全体教职工；部分党员承诺过于笼统，可衡量成果不明确。",
    "亮岗履职开展扎实，履岗登记及时；第三季度考评民意测评参与率偏低。",
    "推广面已达 100%，公开承诺栏设置规范；个别支部述职报告未按时完成。",
]
ITEMS = [
    ("修改笼统的党员承诺，写明可衡量成果和完成时限", "组织委员"),
    ("补开第三季度民意测评，参与率达到 80% 以上", "支部书记"),
    ("督促未完成述职报告的党员在期限内补交", "党办主任"),
    ("在校园公开栏更新本年度目标任务进度", "办公室主任"),
]
DIFFICULTIES = ["党员活动场所不足", "考评细则不够具体", "青年教师理论学习时间难保证", ""]
FOLLOW = ["下季度回访检查落实情况", "两周后电话了解进展", "纳入年终讲评", ""]
SUBJECTS = {
    MassGroup.STUDENT: ["课后谈心：学习压力", "学困生一对一辅导"],
    MassGroup.PARENT: ["家访：孩子在家学习习惯", "电话沟通孩子近期表现"],
    MassGroup.COLLEAGUE: ["与青年教师交流备课", "帮助同事解决排课困难"],
    MassGroup.RESIDENT: ["社区志愿宣讲家庭教育", "走访社区听取办学意见"],
}


@transaction.atomic
def load(*, stdout, rng: random.Random, with_logins: bool = True, year: int | None = None) -> None:
    if Inspection.objects.exists():
        return
    today = timezone.localdate()
    year = year or today.year
    county = Organization.objects.filter(code="QZ-JJ").first()
    if county is None:
        return
    made = _inspections(rng, county, year, today)
    visits = _visits(rng, today)
    aims, contacts = _members(rng, county, year, today)
    stdout.write(f"巡查 {made} 次；本季联系点联系指导 {visits} 次；“四争”目标 {aims} 人；联系群众 {contacts} 条")


def _inspections(rng: random.Random, county: Organization, year: int, today: datetime.date) -> int:
    schools = list(
        Organization.objects.filter(path__startswith=county.path, kind=OrgKind.SCHOOL_COMMITTEE).order_by("path")[:3]
    )
    day = min(datetime.date(year, 6, 18), today)
    for n, school in enumerate(schools):
        inspection = Inspection.objects.create(
            committee=county, organization=school, year=year, inspected_on=day + datetime.timedelta(days=7 * n),
            inspectors="许文斌、组织股 2 人", findings=FINDINGS[n % len(FINDINGS)],
            checked=rng.sample(CheckArea.values, k=rng.randint(2, 4)),
        )  # fmt: skip
        for k in range(2):
            content, who = ITEMS[(n + k) % len(ITEMS)]
            # the first school's items: one closed, one open and due soon (its secretary's to-do); then one overdue
            due = {0: inspection.inspected_on + datetime.timedelta(days=30), 1: today + datetime.timedelta(days=12)}[k]
            if n == 1 and k == 1:
                due = today - datetime.timedelta(days=5)
            item = FixItem.objects.create(inspection=inspection, content=content, responsible=who, due_on=due)
            FollowUp.objects.create(item=item, happened_on=min(due, today) - datetime.timedelta(days=3),
                                    note="已召开支委会研究整改措施，正在落实。")  # fmt: skip
            if k == 0:
                item.closed_on = min(due, today)
                item.closing_note = "经回访核实，整改到位，同意销号。"
                item.save(update_fields=["closed_on", "closing_note"])
    YearReview.objects.get_or_create(
        organization=county, year=year - 1,
        defaults={"text": "全县推广“168”机制覆盖全部基层党组织；亮岗履职、季度考评按时完成。表彰先进基层党组织 5 个、"
                          "优秀共产党员 20 名。存在问题：个别学校承诺不够具体，来年重点抓承诺质量。"},
    )  # fmt: skip
    return len(schools)


def _visits(rng: random.Random, today: datetime.date) -> int:
    """Fill in the difficulties and follow-up of the visits on record; most 晋江 leaders visit this quarter."""
    for visit in ContactVisit.objects.filter(difficulties="").select_related(None)[:500]:
        visit.difficulties, visit.follow_up = rng.choice(DIFFICULTIES), rng.choice(FOLLOW)
        visit.save(update_fields=["difficulties", "follow_up"])
    start, _end = quarter_bounds(today)
    points = ContactPoint.objects.filter(leader__organization__code="QZ-JJ", since__lte=start).order_by("pk")
    rows = [
        ContactVisit(
            contact_point=point,
            visited_on=start + datetime.timedelta(days=rng.randint(0, (today - start).days)),
            guidance="检查亮岗履职台账，指导开展年终总评",
            difficulties=rng.choice(DIFFICULTIES),
            problems_solved="协调解决了考评细则中的分值问题",
            follow_up=rng.choice(FOLLOW),
        )  # fmt: skip
        for i, point in enumerate(points)
        if i % 3  # every third leader's point waits for a visit: the reminder and the dashboard name them
    ]
    ContactVisit.objects.bulk_create(rows)
    return len(rows)


def _members(rng: random.Random, county: Organization, year: int, today: datetime.date) -> tuple[int, int]:
    on_posts = Member.objects.filter(
        organization__path__startswith=county.path, is_active=True,
        pk__in=PostClaim.objects.filter(post__year=year).values("member_id"),
    ).order_by("pk")  # fmt: skip
    aims = [AnnualAim(member=m, year=year, aim=rng.choice(FourStrive.values)) for m in on_posts]
    AnnualAim.objects.bulk_create(aims, ignore_conflicts=True)
    contacts = []
    demo_branch = Member.objects.filter(organization__code="QZ-JJ-S01-B1", is_active=True).order_by("pk")
    for member in demo_branch:
        for _ in range(rng.randint(2, 6)):
            whom = rng.choice(MassGroup.values)
            contacts.append(MassContact(
                member=member, whom=whom, subject=rng.choice(SUBJECTS[whom]),
                contacted_on=today - datetime.timedelta(days=rng.randint(0, 120)),
                outcome=rng.choice(["问题已解决", "家长表示配合", "已跟进两次，情况好转", ""]),
            ))  # fmt: skip
    MassContact.objects.bulk_create(contacts)
    return len(aims), len(contacts)
