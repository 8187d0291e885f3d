"""The policy's lists that every app shares (泉委教组〔2012〕6号)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    CITY_COMMITTEE = "city_committee", _("市委教育工委")
    COUNTY_COMMITTEE = "county_committee", _("县（市、区）委教育工委")
    ZONE_COMMITTEE = "zone_committee", _("开发区/台商投资区党工委")
    UNIVERSITY_COMMITTEE = "university_committee", _("市属高校党委（总支）")
    BUREAU_COMMITTEE = "bureau_committee", _("市教育局机关党委")
    SCHOOL_COMMITTEE = "school_committee", _("学校党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")


# Committees that lead others; the rest are grassroots Party organizations (基层党组织).
COMMITTEE_KINDS = {
    OrgKind.CITY_COMMITTEE,
    OrgKind.COUNTY_COMMITTEE,
    OrgKind.ZONE_COMMITTEE,
    OrgKind.UNIVERSITY_COMMITTEE,
    OrgKind.BUREAU_COMMITTEE,
}
GRASSROOTS_KINDS = {OrgKind.SCHOOL_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH}
# 各市属高校党委（总支）、市教育局机关党委 report quarterly to the city committee (五.三, 附件5).
REPORTING_KINDS = {OrgKind.UNIVERSITY_COMMITTEE, OrgKind.BUREAU_COMMITTEE}


class SchoolType(models.TextChoices):
    UNIVERSITY = "university", _("高校")
    VOCATIONAL = "vocational", _("中职")
    SECONDARY = "secondary", _("普通中学")
    PRIMARY = "primary", _("小学")
    KINDERGARTEN = "kindergarten", _("幼儿园")
    OFFICE = "office", _("机关")


class EightRole(models.TextChoices):
    """八个方面的作用 (policy 一)."""

    PARTY_CORE = "party_core", _("党组织领导核心/政治核心")
    LEADERSHIP = "leadership", _("党政班子")
    UNION = "union", _("工会教代会")
    YOUTH = "youth", _("团委学生会少先队")
    PARTY_MEMBER = "party_member", _("党员")
    EXPERT = "expert", _("教育教学专家")
    COUNSELLOR = "counsellor", _("辅导员班主任")
    STAFF = "staff", _("教职员工")


class Role(models.TextChoices):
    """What a user is to an organization; decides what they see (organizations.access)."""

    CITY_STAFF = "city_staff", _("市委教育工委工作人员")
    COUNTY_STAFF = "county_staff", _("县级教育工委工作人员")
    UNIT_STAFF = "unit_staff", _("报送单位工作人员")
    SECRETARY = "secretary", _("党组织书记")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    # 校长一岗双责: named in the school's responsibility list; sees what a member sees (not in MANAGING_ROLES)
    PRINCIPAL = "principal", _("校长")
    MEMBER = "member", _("党员/教师")


STAFF_ROLES = {Role.CITY_STAFF, Role.COUNTY_STAFF, Role.UNIT_STAFF}
SECRETARY_ROLES = {Role.SECRETARY, Role.BRANCH_SECRETARY}
MANAGING_ROLES = STAFF_ROLES | SECRETARY_ROLES


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class PoliticalStatus(models.TextChoices):
    MEMBER = "member", _("中共党员")
    PROBATIONARY = "probationary", _("预备党员")
    MASSES = "masses", _("群众")


class HonourLevel(models.TextChoices):
    """荣誉级别. 县(市、区)委、开发区/台商投资区党工委 and 市委教育工委 honours count as the county level (policy 二)."""

    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("中央")

    @property
    def rank(self) -> int:
        return HONOUR_LEVEL_RANK[self.value]


HONOUR_LEVEL_RANK = {"county": 1, "city": 2, "province": 3, "national": 4}


def honour_level_rank(level: str) -> int:
    """County 1 < city 2 < province 3 < national 4; 0 for an unknown value."""
    return HONOUR_LEVEL_RANK.get(str(level), 0)


class HonourTrack(models.TextChoices):
    """Who holds the honour: the Party organization itself or its school (两条线)."""

    PARTY = "party", _("党组织")
    SCHOOL = "school", _("学校")


BUILTIN_HONOUR_TITLES = [
    ("先进基层党组织", HonourTrack.PARTY),
    ("文明学校", HonourTrack.SCHOOL),
    ("示范性学校", HonourTrack.SCHOOL),
    ("绿色学校", HonourTrack.SCHOOL),
    ("平安校园", HonourTrack.SCHOOL),
]


class WorkStep(models.TextChoices):
    """六步工作法 (policy 四), in order; targets.enums.Step is this enum."""

    OPINIONS = "opinions", _("征求意见")
    DECISION = "decision", _("议事决策")
    DECOMPOSITION = "decomposition", _("任务分解")
    PUBLIC_COMMITMENT = "public_commitment", _("公开承诺")
    IMPLEMENTATION = "implementation", _("组织实施")
    EVALUATION = "evaluation", _("考评奖惩")


class DemoKind(models.TextChoices):
    """典型示范单位的类型 (policy 五.二)."""

    COMPREHENSIVE = "comprehensive", _("综合典型")
    SINGLE = "single", _("单项典型")


class PublicityChannel(models.TextChoices):
    MEETING = "meeting", _("会议")
    BULLETIN = "bulletin", _("简报")
    MEDIA = "media", _("媒体")


# Committees whose leadership members (班子成员) must each have at least one contact point (联系点, policy 五.二).
CONTACT_POINT_KINDS = {
    OrgKind.COUNTY_COMMITTEE,
    OrgKind.ZONE_COMMITTEE,
    OrgKind.UNIVERSITY_COMMITTEE,
    OrgKind.BUREAU_COMMITTEE,
}
