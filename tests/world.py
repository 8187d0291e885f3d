"""A small city with two sibling subtrees, used by every test that asks “who may see what”.

    泉州市委教育工委 (city)
    ├── 甲县委教育工委 (county_a)            ── 甲校 (school_a, 党委) ── 甲校第一支部 (branch_a)
    ├── 乙县委教育工委 (county_b, sibling)   ── 乙校 (school_b, 党委) ── 乙校第一支部 (branch_b)
    └── 丙高校党委 (unit, reports quarterly) ── 丙高校教工支部 (unit_branch)

Users (attribute names = role names used by the access matrix):
    city_staff, county_a_staff, unit_staff, school_a_secretary, branch_a_secretary, member_a,
    county_b_staff, school_b_secretary, branch_b_secretary, member_b
Everything in subtree B carries the marker “乙” so a page that leaks it can be caught by text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from organizations.enums import EightRole, Gender, OrgKind, PoliticalStatus, Role, SchoolType
from organizations.models import Member, Organization, RoleAssignment
from organizations.services import organization_create

PASSWORD = "pw-168-test"
B_MARKERS = ["乙校", "乙县", "乙成员", "13900000002"]


@dataclass
class World:
    city: Organization
    county_a: Organization
    school_a: Organization
    branch_a: Organization
    county_b: Organization
    school_b: Organization
    branch_b: Organization
    unit: Organization
    unit_branch: Organization
    users: dict = field(default_factory=dict)
    member_a: Member | None = None
    member_b: Member | None = None
    extra: dict = field(default_factory=dict)

    def user(self, role_name: str):
        return self.users[role_name]


def make_user(username: str, full_name: str = ""):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=full_name or username)
    return user


def make_member(org: Organization, name: str, *, phone: str, user=None, **fields) -> Member:
    defaults = dict(
        gender=Gender.FEMALE,
        political_status=PoliticalStatus.MEMBER,
        job="语文教师",
        role_group=EightRole.PARTY_MEMBER,
        joined_party_on=datetime.date(2010, 7, 1),
        birth_year=1990,
    )
    defaults.update(fields)
    return Member.objects.create(organization=org, name=name, phone=phone, user=user, **defaults)


def build_world() -> World:
    city = organization_create(parent=None, name="泉州市委教育工委", kind=OrgKind.CITY_COMMITTEE, code="T")
    county_a = organization_create(parent=city, name="甲县委教育工委", kind=OrgKind.COUNTY_COMMITTEE, code="T-A")
    school_a = organization_create(parent=county_a, 
        name="甲校党委", kind=OrgKind.SCHOOL_COMMITTEE, code="T-A-S", school_name="甲校", school_type=SchoolType.SECONDARY
    )
    branch_a = organization_create(parent=school_a, name="甲校第一支部", kind=OrgKind.BRANCH, code="T-A-S-B", school_name="甲校")
    county_b = organization_create(parent=city, name="乙县委教育工委", kind=OrgKind.COUNTY_COMMITTEE, code="T-B")
    school_b = organization_create(parent=county_b, 
        name="乙校党委", kind=OrgKind.SCHOOL_COMMITTEE, code="T-B-S", school_name="乙校", school_type=SchoolType.PRIMARY
    )
    branch_b = organization_create(parent=school_b, name="乙校第一支部", kind=OrgKind.BRANCH, code="T-B-S-B", school_name="乙校")
    unit = organization_create(parent=city, 
        name="丙高校党委", kind=OrgKind.UNIVERSITY_COMMITTEE, code="T-U", reports_quarterly=True, school_name="丙高校"
    )
    unit_branch = organization_create(parent=unit, name="丙高校教工支部", kind=OrgKind.BRANCH, code="T-U-B", school_name="丙高校")
    w = World(city, county_a, school_a, branch_a, county_b, school_b, branch_b, unit, unit_branch)
    spec = [
        ("city_staff", city, Role.CITY_STAFF),
        ("county_a_staff", county_a, Role.COUNTY_STAFF),
        ("unit_staff", unit, Role.UNIT_STAFF),
        ("school_a_secretary", school_a, Role.SECRETARY),
        ("branch_a_secretary", branch_a, Role.BRANCH_SECRETARY),
        ("county_b_staff", county_b, Role.COUNTY_STAFF),
        ("school_b_secretary", school_b, Role.SECRETARY),
        ("branch_b_secretary", branch_b, Role.BRANCH_SECRETARY),
    ]
    for name, org, role in spec:
        user = make_user(name)
        RoleAssignment.objects.create(user=user, organization=org, role=role)
        w.users[name] = user
    for name, branch, phone, label in [
        ("member_a", branch_a, "13900000001", "甲成员"),
        ("member_b", branch_b, "13900000002", "乙成员"),
    ]:
        user = make_user(name, label)
        RoleAssignment.objects.create(user=user, organization=branch, role=Role.MEMBER)
        w.users[name] = user
        setattr(w, name, make_member(branch, label, phone=phone, user=user))
    return w
