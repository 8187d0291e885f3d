"""Demo data of the committees: honours, the city committee's 10 typical units, leaders and contact points.

Called from organizations.demo.load; idempotent (each part runs only when its table is still empty).
"""

from __future__ import annotations

import datetime
import random

from ..enums import GRASSROOTS_KINDS, DemoKind, EightRole, OrgKind, PublicityChannel, WorkStep
from ..models import (
    ContactPoint,
    ContactVisit,
    DemonstrationUnit,
    Honour,
    HonourTitle,
    Leader,
    Organization,
    Publicity,
)
from ..services import honour_titles_ensure

LEADER_TITLES = ["书记", "副书记", "委员"]
LEADER_NAMES = "陈志远 林晓辉 黄秀琴 王建平 张美华 李国栋 吴丽娜 刘振宇 蔡晓明 郑雅芳 许志强 杨春燕 洪文斌 苏惠娟 庄明亮".split()
# the city committee's 10 typical units: (organization code, kind, step, role)
CITY_TEN = [
    ("QZ-JJ-S01", DemoKind.COMPREHENSIVE, "", ""),
    ("QZ-LC-S01", DemoKind.COMPREHENSIVE, "", ""),
    ("QZ-U1-G1", DemoKind.COMPREHENSIVE, "", ""),
    ("QZ-FZ-S02", DemoKind.SINGLE, WorkStep.PUBLIC_COMMITMENT, ""),
    ("QZ-NA-S03", DemoKind.SINGLE, WorkStep.OPINIONS, ""),
    ("QZ-SS-S01", DemoKind.SINGLE, WorkStep.EVALUATION, ""),
    ("QZ-HA-S05", DemoKind.SINGLE, "", EightRole.COUNSELLOR),
    ("QZ-AX-S01", DemoKind.SINGLE, "", EightRole.EXPERT),
    ("QZ-YC-S04", DemoKind.SINGLE, "", EightRole.UNION),
    ("QZ-JG-B2", DemoKind.SINGLE, "", EightRole.PARTY_MEMBER),
]


def build_honours(rng: random.Random, year: int) -> int:
    if Honour.objects.exists():
        return 0
    honour_titles_ensure()
    titles = {t.name: t for t in HonourTitle.objects.all()}
    party = titles["先进基层党组织"]
    school_titles = [t for t in titles.values() if t.track == "school"]
    levels = ["county", "county", "county", "city", "city", "province", "national"]
    bodies = {"county": "县（市、区）委教育工委", "city": "中共泉州市委", "province": "中共福建省委", "national": "中共中央"}
    rows = []
    orgs = Organization.objects.filter(kind__in=[OrgKind.SCHOOL_COMMITTEE, OrgKind.GENERAL_BRANCH]).order_by("path")
    for org in orgs:
        if org.code == "QZ-JJ-S01":
            picks = [(party, "province", year - 2), (party, "city", year - 4), (titles["文明学校"], "city", year - 1)]
        elif rng.random() < 0.35:
            picks = [(rng.choice([party, *school_titles]), rng.choice(levels), rng.randint(year - 6, year - 1))]
        else:
            continue
        for title, level, y in picks:
            rows.append(Honour(organization=org, title=title, level=level, year=y, conferred_by=bodies[level]))
    Honour.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def build_leaders(rng: random.Random) -> int:
    if Leader.objects.exists():
        return 0
    rows = []
    committees = Organization.objects.filter(
        kind__in=[
            OrgKind.CITY_COMMITTEE,
            OrgKind.COUNTY_COMMITTEE,
            OrgKind.ZONE_COMMITTEE,
            OrgKind.UNIVERSITY_COMMITTEE,
            OrgKind.BUREAU_COMMITTEE,
        ]
    ).order_by("path")
    for org in committees:
        n = 4 if org.kind == OrgKind.CITY_COMMITTEE else (3 if org.kind == OrgKind.COUNTY_COMMITTEE else 2)
        for i in range(n):
            rows.append(Leader(organization=org, name=rng.choice(LEADER_NAMES), title=LEADER_TITLES[min(i, 2)]))
    Leader.objects.bulk_create(rows)
    return len(rows)


def build_contact_points(rng: random.Random, year: int) -> int:
    if ContactPoint.objects.exists():
        return 0
    grassroots = list(Organization.objects.filter(kind__in=GRASSROOTS_KINDS).values_list("pk", "path"))
    points = []
    leaders = Leader.objects.exclude(organization__kind=OrgKind.CITY_COMMITTEE).select_related("organization")
    for leader in leaders:
        if rng.random() < 0.15:  # some leaders still have no contact point: the “missing” page shows them
            continue
        under = [pk for pk, path in grassroots if path.startswith(leader.organization.path)]
        for pk in rng.sample(under, k=min(len(under), rng.randint(1, 2))):
            points.append(
                ContactPoint(leader=leader, organization_id=pk, since=datetime.date(year, rng.randint(2, 5), 1))
            )
    ContactPoint.objects.bulk_create(points, ignore_conflicts=True)
    visits = []
    for point in ContactPoint.objects.all():
        for _ in range(rng.randint(0, 3)):
            visits.append(
                ContactVisit(
                    contact_point=point,
                    visited_on=datetime.date(year, rng.randint(3, 10), rng.randint(1, 28)),
                    guidance=rng.choice(
                        ["指导制定年度目标", "督促公开承诺", "检查亮岗履职台账", "指导开展季度考评", "座谈听取教师意见"]
                    ),
                    problems_solved=rng.choice(["", "协调解决党员活动场所", "帮助完善考评细则", "协调培训经费"]),
                )
            )
    ContactVisit.objects.bulk_create(visits)
    return len(points)


def build_demonstrations(rng: random.Random, year: int) -> int:
    if DemonstrationUnit.objects.exists():
        return 0
    city = Organization.objects.get(code="QZ")
    by_code = {o.code: o for o in Organization.objects.filter(code__in=[c for c, *_ in CITY_TEN])}
    city_leaders = list(Leader.objects.filter(organization=city))
    rows = []
    for i, (code, kind, step, role) in enumerate(CITY_TEN):
        org = by_code.get(code)
        if org is None:
            continue
        rows.append(
            DemonstrationUnit(
                organization=org,
                designated_by=city,
                kind=kind,
                step=step,
                role=role,
                year=year,
                leader=city_leaders[i % len(city_leaders)] if city_leaders else None,
                notes="市委教育工委确定的“168”机制典型示范单位，重点培育。",
            )
        )
    jj = Organization.objects.get(code="QZ-JJ")
    jj_leaders = list(Leader.objects.filter(organization=jj))
    for i, code in enumerate(["QZ-JJ-S02", "QZ-JJ-S03", "QZ-JJ-S05"]):
        org = Organization.objects.filter(code=code).first()
        if org is not None:
            rows.append(
                DemonstrationUnit(
                    organization=org,
                    designated_by=jj,
                    kind=DemoKind.SINGLE if i else DemoKind.COMPREHENSIVE,
                    step=WorkStep.DECOMPOSITION if i == 1 else "",
                    role=EightRole.YOUTH if i == 2 else "",
                    year=year,
                    leader=jj_leaders[i % len(jj_leaders)] if jj_leaders else None,
                )
            )
    DemonstrationUnit.objects.bulk_create(rows)
    publicity = []
    for d in DemonstrationUnit.objects.filter(designated_by=city):
        for k in range(rng.randint(1, 2)):
            publicity.append(
                Publicity(
                    demonstration=d,
                    published_on=datetime.date(year, rng.randint(4, 10), rng.randint(1, 28)),
                    channel=rng.choice(PublicityChannel.values),
                    title=f"{d.organization.school_name or d.organization.name}推行“168”机制的做法（{k + 1}）",
                )
            )
    Publicity.objects.bulk_create(publicity)
    return len(rows)


def load(*, rng: random.Random, year: int) -> str:
    honours = build_honours(rng, year)
    leaders = build_leaders(rng)
    points = build_contact_points(rng, year)
    demos = build_demonstrations(rng, year)
    return f"荣誉 {honours} 项；班子成员 {leaders} 人；联系点 {points} 个；典型示范单位 {demos} 个"
