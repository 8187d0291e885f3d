"""A province-sized organization tree and its members, written in bulk.

Shape: one committee at the root; county committees under it, each with schools (a 党委 or 党总支 with branches, or a
single 党支部); reporting units (市属高校党委 and the bureau's 机关党委) under the root, each with branches. Paths are
computed here (treebeard MP: steplen 4, alphabet 0-9A-Z), so the whole tree is one COPY.
"""

from __future__ import annotations

import datetime
import functools
import random
from dataclasses import dataclass, field

from machinery.pinyin import pinyin_keys
from machinery.search import search_key
from organizations.enums import EightRole, Gender, OrgKind, PoliticalStatus, SchoolType
from organizations.models import Member, Organization

from .fill import insert, make

COUNTY_NAMES = (
    "鲤城 丰泽 洛江 泉港 石狮 晋江 南安 惠安 安溪 永春 德化 鼓楼 台江 仓山 马尾 晋安 长乐 闽侯 连江 罗源 闽清 永泰 平潭 "
    "思明 海沧 湖里 集美 同安 翔安 城厢 涵江 荔城 秀屿 仙游 三元 沙县 明溪 清流 宁化 大田 尤溪 将乐 泰宁 建宁 永安 "
    "芗城 龙文 龙海 云霄 漳浦 诏安 东山 南靖 平和 华安 长泰 延平 建阳 顺昌 浦城 光泽 松溪 政和 邵武 武夷山 建瓯 "
    "新罗 永定 长汀 上杭 武平 连城 漳平 蕉城 霞浦 古田 屏南 寿宁 周宁 柘荣 福安 福鼎"
).split()
TOWNS = "城关 城东 城西 实验 东湖 江南 海滨 山腰 洪濑 官桥 安海 磁灶 陈埭 龙门 蓬壶 崇武 梅山 水头 金井 英林".split()
# (suffix, school type, kind, branches)
SCHOOLS = [
    ("第一中学", SchoolType.SECONDARY, OrgKind.SCHOOL_COMMITTEE, 4),
    ("第二中学", SchoolType.SECONDARY, OrgKind.SCHOOL_COMMITTEE, 3),
    ("实验中学", SchoolType.SECONDARY, OrgKind.GENERAL_BRANCH, 3),
    ("职业中专学校", SchoolType.VOCATIONAL, OrgKind.GENERAL_BRANCH, 2),
    ("实验小学", SchoolType.PRIMARY, OrgKind.GENERAL_BRANCH, 2),
    ("中心小学", SchoolType.PRIMARY, OrgKind.BRANCH, 0),
    ("第二实验小学", SchoolType.PRIMARY, OrgKind.BRANCH, 0),
    ("第三中学", SchoolType.SECONDARY, OrgKind.GENERAL_BRANCH, 2),
    ("实验幼儿园", SchoolType.KINDERGARTEN, OrgKind.BRANCH, 0),
]
BRANCHES = ["第一党支部（语文组）", "第二党支部（数学组）", "第三党支部（综合组）", "第四党支部（行政后勤）"]
SURNAMES = list("王陈林黄张李吴刘蔡郑许杨洪苏庄施曾谢傅柯叶颜卓龚萧")
GIVEN = "志明 丽华 建国 秀英 海燕 文杰 雅琴 振华 晓东 惠玲 国强 美玲 伟 芳 敏 静 磊 丽 婷 强 俊杰 晓燕 鸿 淑贞 少华 清泉 月华 明辉 雪梅 金水".split()
JOBS = [("语文教师", EightRole.PARTY_MEMBER), ("数学教师", EightRole.PARTY_MEMBER), ("班主任", EightRole.COUNSELLOR),
        ("年段长", EightRole.COUNSELLOR), ("教务处主任", EightRole.LEADERSHIP), ("副校长", EightRole.LEADERSHIP),
        ("团委书记", EightRole.YOUTH), ("工会主席", EightRole.UNION), ("英语教师", EightRole.EXPERT),
        ("总务处干事", EightRole.STAFF)]
GRASSROOTS = {OrgKind.SCHOOL_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH}


@functools.cache
def keys(name: str) -> tuple[str, str]:
    initials, full = pinyin_keys(name)
    return initials[:50], full[:200]


def step(n: int) -> str:
    """The n-th child's path segment (1-based), as treebeard writes it."""
    alphabet, steplen = Organization.alphabet, Organization.steplen
    base = len(alphabet)
    out = ""
    while n:
        n, r = divmod(n, base)
        out = alphabet[r] + out
    return out.rjust(steplen, alphabet[0])


@dataclass
class Tree:
    root: Organization
    counties: list[Organization] = field(default_factory=list)
    units: list[Organization] = field(default_factory=list)
    schools: list[Organization] = field(default_factory=list)
    branches: list[Organization] = field(default_factory=list)  # every organization of kind branch
    all: list[Organization] = field(default_factory=list)
    # filled by the other apps' builders, for the ones after them
    plans: dict = field(default_factory=dict)  # organization pk → plan
    items_by_org: dict = field(default_factory=dict)  # organization pk → [target item pk]
    claimants: set | None = None  # member pks holding a post

    @property
    def grassroots(self) -> list[Organization]:
        return [o for o in self.all if o.kind in GRASSROOTS]


class TreeBuilder:
    def __init__(self, *, rng: random.Random, year: int):
        self.rng = rng
        self.year = year
        last = Organization.objects.get_last_root_node()
        self.root_number = (Organization._str2int(last.path[: Organization.steplen]) if last else 0) + 1
        self.prefix = f"G{self.root_number}-"
        self.nodes: list[Organization] = []
        self.children: dict[str, int] = {}

    def add(self, parent: Organization | None, name: str, kind: str, **fields) -> Organization:
        if parent is None:
            path, depth = step(self.root_number), 1
        else:
            self.children[parent.path] = self.children.get(parent.path, 0) + 1
            parent.numchild += 1
            path, depth = parent.path + step(self.children[parent.path]), parent.depth + 1
        initials, full = pinyin_keys(name)
        launched = None
        if kind in GRASSROOTS and self.rng.random() < 0.8:
            launched = datetime.date(self.year, self.rng.randint(1, 10), self.rng.randint(1, 28))
        node = make(
            Organization,
            path=path,
            depth=depth,
            numchild=0,
            name=name,
            code=f"{self.prefix}{len(self.nodes) + 1:06d}",
            kind=kind,
            name_initials=initials,
            name_pinyin=full,
            search_key=search_key(name),
            launched_on=launched,
            secretary_name=self.rng.choice(SURNAMES) + self.rng.choice(GIVEN),
            **fields,
        )
        self.nodes.append(node)
        return node


def build_tree(*, orgs: int, units: int | None, rng: random.Random, year: int) -> Tree:
    """Exactly `orgs` organizations (at least 6: the root, a county, a reporting unit with two branches, a school)."""
    orgs = max(orgs, 6)
    b = TreeBuilder(rng=rng, year=year)
    root = b.add(None, "福建省委教育工委", OrgKind.CITY_COMMITTEE, school_type=SchoolType.OFFICE)
    tree = Tree(root=root)
    n_counties = max(1, min(len(COUNTY_NAMES) * 4, orgs // 220))
    n_units = units if units is not None else max(1, orgs // 10)
    n_units = max(1, min(n_units, (orgs - 1 - n_counties) // 3))
    remaining = orgs - 1
    for i in range(n_counties):
        name = COUNTY_NAMES[i % len(COUNTY_NAMES)] + ("" if i < len(COUNTY_NAMES) else str(i // len(COUNTY_NAMES) + 1))
        tree.counties.append(b.add(root, f"{name}区委教育工委", OrgKind.COUNTY_COMMITTEE, school_type=SchoolType.OFFICE))
        remaining -= 1
    for i in range(n_units):
        is_bureau = i == n_units - 1 and n_units > 1
        school = "教育局" if is_bureau else f"第{i + 1}高校"
        kind = OrgKind.BUREAU_COMMITTEE if is_bureau else OrgKind.UNIVERSITY_COMMITTEE
        school_type = SchoolType.OFFICE if is_bureau else SchoolType.UNIVERSITY
        unit = b.add(root, f"{school}{'机关' if is_bureau else ''}党委", kind, school_name=school,
                     school_type=school_type, reports_quarterly=True)
        tree.units.append(unit)
        remaining -= 1
        for k in range(2):
            tree.branches.append(b.add(unit, f"{school}教工第{k + 1}党支部", OrgKind.BRANCH, school_name=school,
                                       school_type=school_type))
            remaining -= 1
    i = 0
    while remaining > 0:
        county = tree.counties[i % len(tree.counties)]
        suffix, school_type, kind, n_branches = SCHOOLS[(i // len(tree.counties)) % len(SCHOOLS)]
        n_branches = min(n_branches, remaining - 1)
        if n_branches == 0:
            kind = OrgKind.BRANCH
        town = TOWNS[(i // (len(tree.counties) * len(SCHOOLS))) % len(TOWNS)]
        serial = i // (len(tree.counties) * len(SCHOOLS) * len(TOWNS))
        school = f"{county.name[:-6]}{town}{suffix}{'' if serial == 0 else f'（{serial + 1}）'}"
        label = {OrgKind.SCHOOL_COMMITTEE: "党委", OrgKind.GENERAL_BRANCH: "党总支", OrgKind.BRANCH: "党支部"}[kind]
        s = b.add(county, f"{school}{label}", kind, school_name=school, school_type=school_type)
        tree.schools.append(s)
        remaining -= 1
        if kind == OrgKind.BRANCH:
            tree.branches.append(s)
        for k in range(n_branches):
            tree.branches.append(b.add(s, BRANCHES[k], OrgKind.BRANCH, school_name=school, school_type=school_type))
            remaining -= 1
        i += 1
    tree.all = b.nodes
    insert(Organization, b.nodes)
    return tree


def build_members(*, tree: Tree, members: int, rng: random.Random) -> list[Member]:
    """Exactly `members` members, spread over the branches (some branches bigger than others)."""
    if not tree.branches or members <= 0:
        return []
    weights = [rng.uniform(0.5, 1.5) for _ in tree.branches]
    total = sum(weights)
    counts = [int(members * w / total) for w in weights]
    for k in range(members - sum(counts)):
        counts[k % len(counts)] += 1
    names = [s + g for s in SURNAMES for g in GIVEN]
    statuses = [PoliticalStatus.MEMBER] * 8 + [PoliticalStatus.PROBATIONARY] + [PoliticalStatus.MASSES] * 2
    rows: list[Member] = []
    serial = 0
    for branch, n in zip(tree.branches, counts, strict=True):
        for _ in range(n):
            serial += 1
            name = rng.choice(names)
            initials, full = keys(name)
            job, role = rng.choice(JOBS)
            status = rng.choice(statuses)
            rows.append(
                make(
                    Member,
                    organization_id=branch.pk,
                    staff_no=f"S{serial:07d}",
                    name=name,
                    name_initials=initials,
                    name_pinyin=full,
                    search_key=search_key(name),
                    gender=Gender.MALE if serial % 2 else Gender.FEMALE,
                    political_status=status,
                    job=job,
                    role_group=role if status != PoliticalStatus.MASSES else EightRole.STAFF,
                    phone=f"139{serial:08d}",
                    joined_party_on=None if status == PoliticalStatus.MASSES else datetime.date(
                        rng.randint(1985, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                    birth_year=rng.randint(1965, 2000),
                    is_active=True,
                )
            )
    insert(Member, rows)
    return rows
