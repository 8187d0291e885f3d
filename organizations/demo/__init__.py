"""The demo city: the real shape of Quanzhou's education system with fictional people.

Every app may offer a `demo.py` with `load(*, stdout, rng)`; `manage.py load_demo` calls them in INSTALLED_APPS
order. Everything here is idempotent: organizations are keyed by code, users by username.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from machinery.pinyin import pinyin_keys
from machinery.search import search_key

from ..enums import EightRole, Gender, OrgKind, PoliticalStatus, Role, SchoolType
from ..models import Member, Organization, RoleAssignment
from ..services import organization_create

DEMO_PASSWORD = "demo168"

COUNTIES = [
    ("LC", "鲤城区", OrgKind.COUNTY_COMMITTEE),
    ("FZ", "丰泽区", OrgKind.COUNTY_COMMITTEE),
    ("LJ", "洛江区", OrgKind.COUNTY_COMMITTEE),
    ("QG", "泉港区", OrgKind.COUNTY_COMMITTEE),
    ("SS", "石狮市", OrgKind.COUNTY_COMMITTEE),
    ("JJ", "晋江市", OrgKind.COUNTY_COMMITTEE),
    ("NA", "南安市", OrgKind.COUNTY_COMMITTEE),
    ("HA", "惠安县", OrgKind.COUNTY_COMMITTEE),
    ("AX", "安溪县", OrgKind.COUNTY_COMMITTEE),
    ("YC", "永春县", OrgKind.COUNTY_COMMITTEE),
    ("DH", "德化县", OrgKind.COUNTY_COMMITTEE),
    ("KF", "泉州开发区", OrgKind.ZONE_COMMITTEE),
    ("TS", "泉州台商投资区", OrgKind.ZONE_COMMITTEE),
]
UNIVERSITIES = [
    ("U1", "泉州师范学院"),
    ("U2", "黎明职业大学"),
    ("U3", "泉州医学高等专科学校"),
    ("U4", "泉州幼儿师范高等专科学校"),
    ("U5", "泉州经贸职业技术学院"),
]
# (suffix, school type, org kind, number of branches)
SCHOOL_PATTERNS = [
    ("第一中学", SchoolType.SECONDARY, OrgKind.SCHOOL_COMMITTEE, 4),
    ("第二中学", SchoolType.SECONDARY, OrgKind.SCHOOL_COMMITTEE, 3),
    ("实验中学", SchoolType.SECONDARY, OrgKind.GENERAL_BRANCH, 3),
    ("职业中专学校", SchoolType.VOCATIONAL, OrgKind.GENERAL_BRANCH, 2),
    ("实验小学", SchoolType.PRIMARY, OrgKind.GENERAL_BRANCH, 2),
    ("第二实验小学", SchoolType.PRIMARY, OrgKind.BRANCH, 0),
    ("中心小学", SchoolType.PRIMARY, OrgKind.BRANCH, 0),
    ("第三中学", SchoolType.SECONDARY, OrgKind.GENERAL_BRANCH, 2),
    ("实验幼儿园", SchoolType.KINDERGARTEN, OrgKind.BRANCH, 0),
    ("第四中学", SchoolType.SECONDARY, OrgKind.BRANCH, 0),
]
TOWNS = {
    "LC": ["开元", "海滨", "临江", "金龙"],
    "FZ": ["东湖", "城东", "北峰", "华大"],
    "LJ": ["万安", "河市", "马甲", "罗溪"],
    "QG": ["山腰", "前黄", "涂岭", "界山"],
    "SS": ["灵秀", "宝盖", "蚶江", "祥芝"],
    "JJ": ["安海", "磁灶", "陈埭", "池店", "英林", "金井"],
    "NA": ["梅山", "水头", "官桥", "洪濑", "诗山"],
    "HA": ["螺城", "崇武", "东岭", "黄塘"],
    "AX": ["凤城", "城厢", "蓬莱", "龙门"],
    "YC": ["桃城", "五里街", "蓬壶", "一都"],
    "DH": ["浔中", "龙浔", "三班", "盖德"],
    "KF": ["清濛", "乌石"],
    "TS": ["洛阳", "东园", "张坂"],
}
BRANCH_NAMES = ["第一党支部（语文组）", "第二党支部（数学组）", "第三党支部（综合组）", "第四党支部（行政后勤）"]
SURNAMES = "王陈林黄张李吴刘蔡郑许杨洪苏庄施曾谢傅柯叶颜卓龚萧".replace("", " ").split()
GIVEN = "志明 丽华 建国 秀英 海燕 文杰 雅琴 振华 晓东 惠玲 国强 美玲 伟 芳 敏 静 磊 丽 婷 强 俊杰 晓燕 鸿 淑贞 少华 清泉 月华 明辉 雪梅 金水".split()
JOBS = ["语文教师", "数学教师", "英语教师", "年段长", "教务处主任", "德育处主任", "班主任", "总务处干事", "团委书记", "工会主席", "副校长", "物理教师", "体育教师"]
ROLE_BY_JOB = {
    "年段长": EightRole.COUNSELLOR,
    "班主任": EightRole.COUNSELLOR,
    "教务处主任": EightRole.LEADERSHIP,
    "德育处主任": EightRole.LEADERSHIP,
    "副校长": EightRole.LEADERSHIP,
    "团委书记": EightRole.YOUTH,
    "工会主席": EightRole.UNION,
}

DEMO_LOGINS = [
    ("city", "市委教育工委工作人员", "泉州市委教育工委"),
    ("county", "晋江市委教育工委工作人员", "晋江市委教育工委"),
    ("unit", "市属高校党委工作人员（报送单位）", "泉州师范学院党委"),
    ("school", "学校党组织书记（晋江）", "晋江市安海第一中学党委"),
    ("branch", "支部书记（晋江市安海第一中学）", "第一党支部（语文组）"),
    ("member", "党员（同一支部，有岗位）", "第一党支部（语文组）"),
    ("other", "另一县的支部书记（用于确认看不到别人的数据）", "南安市梅山第一中学 第一党支部"),
]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


class Builder:
    def __init__(self, stdout, rng: random.Random):
        self.stdout = stdout
        self.rng = rng
        self.created = 0
        self.existing = {o.code: o for o in Organization.objects.exclude(code=None)}
        self.school_names: set[str] = set()

    def org(self, parent: Organization | None, code: str, name: str, kind: str, **fields) -> Organization:
        found = self.existing.get(code)
        if found is not None:
            return found
        node = organization_create(parent=parent, code=code, name=name, kind=kind, **fields)
        self.existing[code] = node
        self.created += 1
        return node


def _launched(rng: random.Random, year: int) -> datetime.date | None:
    # about four in five grassroots organizations have launched the mechanism: coverage below 100%
    if rng.random() < 0.8:
        return datetime.date(year, rng.randint(3, 10), rng.randint(1, 28))
    return None


def build_tree(builder: Builder, year: int) -> None:
    rng = builder.rng
    city = builder.org(None, "QZ", "泉州市委教育工委", OrgKind.CITY_COMMITTEE, school_type=SchoolType.OFFICE)
    for code, county, kind in COUNTIES:
        committee_name = f"{county}委教育工委" if kind == OrgKind.COUNTY_COMMITTEE else f"{county}党工委教育工委"
        committee = builder.org(city, f"QZ-{code}", committee_name, kind, school_type=SchoolType.OFFICE)
        towns = TOWNS[code]
        for i, (suffix, school_type, org_kind, n_branches) in enumerate(SCHOOL_PATTERNS * 2):
            school = f"{county}{towns[i % len(towns)]}{suffix}"
            if code == "JJ" and i == 0:
                school = "晋江市安海第一中学"
            if code == "NA" and i == 0:
                school = "南安市梅山第一中学"
            school = _unique_school(builder, school)
            kind_label = {OrgKind.SCHOOL_COMMITTEE: "党委", OrgKind.GENERAL_BRANCH: "党总支", OrgKind.BRANCH: "党支部"}[
                org_kind
            ]
            s = builder.org(
                committee,
                f"QZ-{code}-S{i + 1:02d}",
                f"{school}{kind_label}",
                org_kind,
                school_name=school,
                school_type=school_type,
                secretary_name=person_name(rng),
                launched_on=_launched(rng, year),
            )
            for b in range(n_branches):
                builder.org(
                    s,
                    f"QZ-{code}-S{i + 1:02d}-B{b + 1}",
                    BRANCH_NAMES[b] if not (code == "NA" and i == 0) else f"{school} {BRANCH_NAMES[b][:5]}",
                    OrgKind.BRANCH,
                    school_name=school,
                    school_type=school_type,
                    secretary_name=person_name(rng),
                    launched_on=_launched(rng, year),
                )
    for code, uni in UNIVERSITIES:
        u = builder.org(
            city,
            f"QZ-{code}",
            f"{uni}党委",
            OrgKind.UNIVERSITY_COMMITTEE,
            school_name=uni,
            school_type=SchoolType.UNIVERSITY,
            reports_quarterly=True,
            secretary_name=person_name(rng),
        )
        for b, college in enumerate(["文学院", "数学与计算机学院", "教育科学学院", "机关"]):
            gb = builder.org(
                u,
                f"QZ-{code}-G{b + 1}",
                f"{college}党总支",
                OrgKind.GENERAL_BRANCH,
                school_name=uni,
                school_type=SchoolType.UNIVERSITY,
                secretary_name=person_name(rng),
                launched_on=_launched(rng, year),
            )
            for k, branch in enumerate(["教工第一党支部", "教工第二党支部", "学生党支部"]):
                builder.org(
                    gb,
                    f"QZ-{code}-G{b + 1}-B{k + 1}",
                    f"{college}{branch}",
                    OrgKind.BRANCH,
                    school_name=uni,
                    school_type=SchoolType.UNIVERSITY,
                    secretary_name=person_name(rng),
                    launched_on=_launched(rng, year),
                )
    bureau = builder.org(
        city,
        "QZ-JG",
        "泉州市教育局机关党委",
        OrgKind.BUREAU_COMMITTEE,
        school_name="泉州市教育局",
        school_type=SchoolType.OFFICE,
        reports_quarterly=True,
        secretary_name=person_name(rng),
    )
    for k, branch in enumerate(["办公室党支部", "基础教育科党支部", "职业与成人教育科党支部", "直属单位联合党支部"]):
        builder.org(
            bureau,
            f"QZ-JG-B{k + 1}",
            branch,
            OrgKind.BRANCH,
            school_name="泉州市教育局",
            school_type=SchoolType.OFFICE,
            secretary_name=person_name(rng),
            launched_on=_launched(rng, year),
        )


def _unique_school(builder: Builder, school: str) -> str:
    taken = builder.school_names
    name, n = school, 2
    while name in taken:
        name, n = f"{school}（{n}）", n + 1
    taken.add(name)
    return name


def build_members(builder: Builder, per_branch: tuple[int, int] = (8, 16)) -> int:
    """Fill every branch (and every school organization with no branches) that has no members yet."""
    rng = builder.rng
    holders = Organization.objects.filter(kind=OrgKind.BRANCH).exclude(members__isnull=False)
    new: list[Member] = []
    phone = 13800000000 + Member.objects.count()
    
    for org in holders.order_by("path"):
        for _ in range(rng.randint(*per_branch)):
            name = person_name(rng)
            job = rng.choice(JOBS)
            status = rng.choices(
                [PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY, PoliticalStatus.MASSES], [8, 1, 2]
            )[0]
            phone += 1
            initials, full = pinyin_keys(name)
            new.append(
                Member(
                    organization=org,
                    staff_no=f"{len(new) + 1:06d}",
                    name=name,
                    name_initials=initials,
                    name_pinyin=full,
                    search_key=search_key(name),
                    gender=rng.choice([Gender.MALE, Gender.FEMALE]),
                    political_status=status,
                    job=job,
                    role_group=ROLE_BY_JOB.get(
                        job, EightRole.PARTY_MEMBER if status != PoliticalStatus.MASSES else EightRole.STAFF
                    ),
                    office=rng.choice(["高一年段", "高二年段", "初一年段", "教务处", "德育处", "总务处", "三年级", "五年级"]),
                    phone=str(phone),
                    joined_party_on=None
                    if status == PoliticalStatus.MASSES
                    else datetime.date(rng.randint(1985, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                    birth_year=rng.randint(1965, 2000),
                )
            )
    Member.objects.bulk_create(new, batch_size=1000)
    return len(new)


def ensure_user(username: str, full_name: str, *, with_login: bool):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
    if created or with_login:
        if with_login:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
    return user


def build_logins(*, with_login: bool) -> None:
    by_code = {o.code: o for o in Organization.objects.filter(code__in=[
        "QZ", "QZ-JJ", "QZ-U1", "QZ-JJ-S01", "QZ-JJ-S01-B1", "QZ-NA-S01-B1"
    ])}
    spec = [
        ("city", "周晓岚", "QZ", Role.CITY_STAFF, "组织科科员"),
        ("county", "许文斌", "QZ-JJ", Role.COUNTY_STAFF, "组织股股长"),
        ("unit", "林雅婷", "QZ-U1", Role.UNIT_STAFF, "组织部干事"),
        ("school", "陈建华", "QZ-JJ-S01", Role.SECRETARY, "党委书记"),
        ("principal", "郑国栋", "QZ-JJ-S01", Role.PRINCIPAL, "校长"),  # 一岗双责 on the school's 责任制 list
        ("branch", "王丽君", "QZ-JJ-S01-B1", Role.BRANCH_SECRETARY, "支部书记"),
        ("other", "黄志强", "QZ-NA-S01-B1", Role.BRANCH_SECRETARY, "支部书记"),
    ]
    for username, full_name, code, role, title in spec:
        user = ensure_user(username, full_name, with_login=with_login)
        RoleAssignment.objects.get_or_create(user=user, organization=by_code[code], role=role, defaults={"title": title})
        org = by_code[code]
        if role in (Role.SECRETARY, Role.BRANCH_SECRETARY):
            # the demo secretaries lead organizations that have launched the mechanism
            org.secretary_name = full_name
            org.launched_on = org.launched_on or datetime.date(timezone.localdate().year, 3, 15)
            org.save(update_fields=["secretary_name", "launched_on", "name_initials", "name_pinyin"])
    # the member: a Party member of the branch, with a login of their own
    branch = by_code["QZ-JJ-S01-B1"]
    user = ensure_user("member", "蔡明辉", with_login=with_login)
    member = Member.objects.filter(user=user).first()
    if member is None:
        member = Member.objects.create(
            organization=branch,
            user=user,
            staff_no="JJ0001",
            name="蔡明辉",
            gender=Gender.MALE,
            political_status=PoliticalStatus.MEMBER,
            job="高二年段长、语文教师",
            role_group=EightRole.COUNSELLOR,
            office="高二年段",
            phone="13905951688",
            joined_party_on=datetime.date(2008, 7, 1),
            birth_year=1986,
        )
    RoleAssignment.objects.get_or_create(user=user, organization=branch, role=Role.MEMBER, defaults={"title": "党员"})
    # the branch secretary is also on the branch's roster
    for username, code in [("branch", "QZ-JJ-S01-B1"), ("other", "QZ-NA-S01-B1")]:
        u = get_user_model().objects.get(username=username)
        if not Member.objects.filter(user=u).exists():
            Member.objects.create(
                organization=by_code[code],
                user=u,
                staff_no=f"SEC-{username}",
                name=u.first_name,
                gender=Gender.FEMALE if username == "branch" else Gender.MALE,
                political_status=PoliticalStatus.MEMBER,
                job="支部书记、教师",
                role_group=EightRole.PARTY_CORE,
                phone="13905950001" if username == "branch" else "13905950002",
                joined_party_on=datetime.date(2001, 6, 18),
                birth_year=1978,
            )


@transaction.atomic
def load(*, stdout, rng: random.Random, with_logins: bool = True, year: int | None = None) -> None:
    year = year or timezone.localdate().year
    builder = Builder(stdout, rng)
    build_tree(builder, year)
    added = build_members(builder)
    build_logins(with_login=with_logins)
    stdout.write(f"组织：新建 {builder.created} 个，共 {Organization.objects.count()} 个；党员/教师：新增 {added} 人")
    from . import committee

    stdout.write(committee.load(rng=rng, year=year))
