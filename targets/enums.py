"""The policy's words for organizational target management (policy 二, 四)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.enums import WorkStep

# 六步工作法 (policy 四), in the order they must be completed. The enum lives in the ground layer so that
# organizations (typical units single out a step) and targets (the plan's workflow) share one list.
Step = WorkStep


STEP_ORDER: list[str] = [s.value for s in Step]


def step_number(step: str) -> int:
    """1 for 征求意见 … 6 for 考评奖惩."""
    return STEP_ORDER.index(str(step)) + 1


def step_needs(step: str) -> str | None:
    """The step that must be done before `step` can be completed (None for the first)."""
    i = STEP_ORDER.index(str(step))
    return STEP_ORDER[i - 1] if i else None


class PlanTheme(models.TextChoices):
    """争创主题 of the year."""

    ORGANIZATION_BUILDING = "organization_building", _("基层组织工作建设年")
    CHARACTERISTIC = "characteristic", _("党建特色建设年")
    DEDICATION = "dedication", _("党员奉献年")
    CUSTOM = "custom", _("自定主题")


class TargetOutcome(models.TextChoices):
    PENDING = "pending", _("争创中")
    ACHIEVED = "achieved", _("已实现")
    MISSED = "missed", _("未实现")


class OpinionEventKind(models.TextChoices):
    SYMPOSIUM = "symposium", _("座谈会")
    VISIT = "visit", _("上门访谈")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    SUGGESTION_BOX = "suggestion_box", _("意见箱")
    OTHER = "other", _("其他")


class OpinionSource(models.TextChoices):
    EVENT = "event", _("征求意见活动")
    PUBLIC = "public", _("公开页留言")


class OpinionCategory(models.TextChoices):
    """梳理归类."""

    PARTY_BUILDING = "party_building", _("党的建设")
    TEACHING = "teaching", _("教育教学")
    TEACHERS = "teachers", _("师资队伍")
    STUDENTS = "students", _("学生工作")
    CAMPUS = "campus", _("校园建设与安全")
    SERVICE = "service", _("后勤与服务")
    OTHER = "other", _("其他")


class OpinionDecision(models.TextChoices):
    PENDING = "pending", _("待处理")
    ADOPTED = "adopted", _("采纳")
    NOT_ADOPTED = "not_adopted", _("不采纳")


class MeetingKind(models.TextChoices):
    COMMITTEE = "committee", _("党组织委员会会议")
    MEMBERS = "members", _("党员大会")
    JOINT = "joint", _("党政联席会议")
    STAFF_CONGRESS = "staff_congress", _("教职工代表大会")
    OTHER = "other", _("其他会议")


class TargetCategory(models.TextChoices):
    PARTY = "party", _("党建")
    SCHOOL = "school", _("学校发展")


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    DELAYED = "delayed", _("滞后")


class Audience(models.TextChoices):
    MEMBERS = "members", _("党员")
    MASSES = "masses", _("群众")
    SOCIETY = "society", _("社会")


# Published to these, an item appears on the public page; to 党员 only, it stays inside the organization.
PUBLIC_AUDIENCES = {Audience.MASSES, Audience.SOCIETY}


class ReviewKind(models.TextChoices):
    LEADERSHIP = "leadership", _("领导点评")
    MEMBERS = "members", _("党员互评")
    MASSES = "masses", _("群众评议")


class ReviewRating(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")
