"""The policy's words for 考评 (三.五 科学评岗, 三.六 奖惩促岗, 五.三)."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# The rating periods are the windows of the year's calendar (years): one source for the kinds and their dates.
from years.enums import PeriodKind, default_dates

PERIOD_ORDER = [PeriodKind.Q1, PeriodKind.H1, PeriodKind.Q3, PeriodKind.YEAR]


def calendar_dates(year: int, kind: str) -> tuple[datetime.date, datetime.date]:
    """The policy's default dates of a rating window (the last month of its quarter: Q1 1–31 March, H1 1–30 June,
    Q3 1–30 September, year-end 1–31 December). The dates in force for an organization are the calendar's:
    years.selectors.window_for(organization, year, kind)."""
    return default_dates(year, PeriodKind(kind))


class PeriodState(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")


GRADE_ORDER = [Grade.EXCELLENT, Grade.GOOD, Grade.FAIR, Grade.POOR]


class Part(models.TextChoices):
    """The three parts of a member's rating (三.5 科学评岗)."""

    SELF = "self", _("述岗自评")
    POLL = "poll", _("民意测评")
    ORG = "org", _("综合评定")


# the flag a grade carries when it was computed without the part (Nothing missing is a zero)
PART_MISSING_LABELS = {Part.SELF: _("缺自评"), Part.POLL: _("缺测评"), Part.ORG: _("缺评定")}


class AbsenceReason(models.TextChoices):
    """Why a member took no part in one part of a period's rating (未参加)."""

    SICK = "sick", _("病假")
    AWAY = "away", _("外出")
    OTHER = "other", _("其他")



class AppraisalConclusion(models.TextChoices):
    """民主评议党员 conclusions."""

    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


GRADE_TO_CONCLUSION = {
    Grade.EXCELLENT: AppraisalConclusion.EXCELLENT,
    Grade.GOOD: AppraisalConclusion.QUALIFIED,
    Grade.FAIR: AppraisalConclusion.BASIC,
    Grade.POOR: AppraisalConclusion.UNQUALIFIED,
}


class AwardTitle(models.TextChoices):
    PIONEER_POST = "pioneer_post", _("党员示范（先锋）岗")
    EXCELLENT_MEMBER = "excellent_member", _("优秀共产党员")


class AwardLevel(models.TextChoices):
    SCHOOL = "school", _("校级")
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")


class NominationState(models.TextChoices):
    SUBMITTED = "submitted", _("已推荐")
    ENDORSED = "endorsed", _("学校党组织已审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未通过")


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("已推荐")
    ACCEPTED = "accepted", _("已列入")
    DECLINED = "declined", _("未列入")


class RectificationState(models.TextChoices):
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已完成整改")
    ESCALATED = "escalated", _("已上报处理")


class PublicationScope(models.TextChoices):
    """个人季度、年度考评结果“在一定范围内公布” (三.六): how far a closed period's results reach."""

    ORGANIZATION = "organization", _("本组织党员")
    SCHOOL = "school", _("全校")
    PUBLIC = "public", _("社会公开")
