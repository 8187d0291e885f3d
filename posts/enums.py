"""The policy's words for 亮岗履职 (policy 三, 五.三; 附件2, 附件4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.enums import EightRole


class ClaimHow(models.TextChoices):
    CLAIMED = "claimed", _("本人认领")
    ASSIGNED = "assigned", _("组织安排")


class Aspect(models.TextChoices):
    """What a commitment is about (学习、工作、自律、服务)."""

    STUDY = "study", _("学习")
    WORK = "work", _("工作")
    DISCIPLINE = "discipline", _("自律")
    SERVICE = "service", _("服务")


class CommitmentState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回修改")
    APPROVED = "approved", _("已审核通过")


class FulfilmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("履诺中")
    FULFILLED = "fulfilled", _("已兑现")
    NOT_FULFILLED = "not_fulfilled", _("未兑现")


class Audience(models.TextChoices):
    """To whom an approved commitment is published (向党员、群众和社会公开)."""

    MEMBERS = "members", _("党员")
    MASSES = "masses", _("党员和群众")
    SOCIETY = "society", _("社会公开")


class Criterion(models.TextChoices):
    """What the reviewer checks before approving a commitment; a return names which failed."""

    ADVANCED = "advanced", _("先进性")
    INITIATIVE = "initiative", _("主动性")
    FEASIBLE = "feasible", _("可行性")


class Decision(models.TextChoices):
    APPROVED = "approved", _("审核通过")
    RETURNED = "returned", _("退回修改")


class RevisionState(models.TextChoices):
    """A member's change to an explanation already published: it waits for a reviewer before the public sees it."""

    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已审核通过")
    RETURNED = "returned", _("已退回")
    SUPERSEDED = "superseded", _("已撤回或被新的修改取代")


class ReportPeriod(models.TextChoices):
    """The periods a duty report (述职报告) covers; same identifiers as the evaluation periods."""

    Q1 = "q1", _("一季度")
    H1 = "h1", _("半年")
    Q3 = "q3", _("三季度")
    YEAR = "year", _("全年")


class SubStep(models.TextChoices):
    """The six sub-steps of 亮岗履职 (附件4)."""

    SET = "set", _("按需设岗")
    CHOOSE = "choose", _("因人择岗")
    COMMIT = "commit", _("承诺亮岗")
    PERFORM = "perform", _("组织履岗")
    EVALUATE = "evaluate", _("科学评岗")
    REWARD = "reward", _("奖惩促岗")


# Typical posts ready to copy (典型岗位): (name, duties, role)
TYPICAL_POSTS = [
    ("党员示范岗", "在教育教学和各项工作中发挥先锋模范作用，做到平时看得出来、关键时刻站得出来。", EightRole.PARTY_MEMBER),
    ("师德标兵岗", "严守师德规范，关爱学生，为人师表，带动教职工提升师德修养。", EightRole.STAFF),
    ("课改先锋岗", "带头开展课堂教学改革，开设示范课、研究课，推广有效教学经验。", EightRole.EXPERT),
    ("帮扶结对岗", "与学困生、困难学生或青年教师结对帮扶，定期跟踪，见到实效。", EightRole.COUNSELLOR),
    ("安全监督岗", "负责校园安全巡查与隐患排查，督促整改，开展安全教育。", EightRole.STAFF),
    ("青年导师岗", "指导青年教师备课上课和班级管理，帮助其尽快成长。", EightRole.EXPERT),
]


class FourStrive(models.TextChoices):
    """推行“四争”: the one a member takes as the year's aim when claiming posts and writing commitments."""

    BACKBONE = "backbone", _("争做办学治校骨干")
    MODEL_TEACHER = "model_teacher", _("争当教书育人模范")
    DEDICATION = "dedication", _("争树敬业奉献标杆")
    GROWTH = "growth", _("争当成长成才表率")


class MassGroup(models.TextChoices):
    """Whom a member contacts under 党员联系群众 (促进履职尽责)."""

    STUDENT = "student", _("学生")
    PARENT = "parent", _("家长")
    COLLEAGUE = "colleague", _("同事")
    RESIDENT = "resident", _("群众")
