"""组织目标管理: long-term targets, the annual plan and the records of its six steps (policy 二, 四)."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.enums import EightRole, HonourLevel, HonourTrack
from organizations.models import Member, Organization

from .enums import (
    Audience,
    ItemStatus,
    MeetingKind,
    OpinionCategory,
    OpinionDecision,
    OpinionEventKind,
    OpinionSource,
    PlanTheme,
    ReviewKind,
    ReviewRating,
    Step,
    TargetCategory,
    TargetOutcome,
)

USER = settings.AUTH_USER_MODEL


def upload_path(instance, filename: str) -> str:
    """targets/<kind>/<uuid>.<ext>: the stored name reveals nothing; the original name is kept in the row."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"targets/{type(instance).__name__.lower()}/{uuid.uuid4().hex}{ext}"


class LongTermTarget(models.Model):
    """长远目标 (3–5 years): one per organization, track and title (先进基层党组织; 文明学校 …)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="long_term_targets", verbose_name=_("党组织")
    )
    track = models.CharField(_("争创对象"), max_length=16, choices=HonourTrack.choices)
    title = models.CharField(_("争创称号"), max_length=60)
    level = models.CharField(_("争创级别"), max_length=16, choices=HonourLevel.choices)
    held_level = models.CharField(_("现有最高级别"), max_length=16, choices=HonourLevel.choices, blank=True)
    start_year = models.PositiveSmallIntegerField(_("起始年度"))
    due_year = models.PositiveSmallIntegerField(_("目标年度"))
    outcome = models.CharField(_("结果"), max_length=16, choices=TargetOutcome.choices, default=TargetOutcome.PENDING)
    outcome_note = models.CharField(_("结果说明"), max_length=200, blank=True)
    outcome_recorded_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("长远目标")
        verbose_name_plural = _("长远目标")
        ordering = ["organization_id", "track", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "track", "title"], name="unique_long_term_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}{self.title}（{self.due_year}年）"


class AnnualPlan(models.Model):
    """年度计划: one per organization and year; the six steps are its workflow."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="annual_plans", verbose_name=_("党组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2012), MaxValueValidator(2100)])
    theme = models.CharField(_("争创主题"), max_length=32, choices=PlanTheme.choices)
    theme_custom = models.CharField(_("自定主题名称"), max_length=60, blank=True)
    featured_work = models.TextField(_("一项特色工作"), blank=True)
    theory_research = models.TextField(_("一次理论调研"), blank=True)
    research_report = models.FileField(_("调研报告"), upload_to=upload_path, blank=True)
    research_report_name = models.CharField(max_length=200, blank=True, editable=False)
    school_targets = models.TextField(_("学校年度发展目标"), blank=True)
    summary = models.TextField(_("年度总结"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["organization_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="unique_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年度计划"

    def get_absolute_url(self) -> str:
        return reverse("targets:plan_detail", args=[self.pk])

    @property
    def theme_label(self) -> str:
        if self.theme == PlanTheme.CUSTOM and self.theme_custom:
            return self.theme_custom
        return self.get_theme_display()

    @cached_property
    def items_to_reassign(self) -> list[TargetItem]:
        """Rows started from last year's plan whose responsible person is no longer an active member: 需重新指定责任人."""
        return list(self.items.filter(responsible="").select_related("copied_from").order_by("category", "deadline", "pk"))


class StepCompletion(models.Model):
    """A step of the plan marked done: who and when."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="completions")
    step = models.CharField(_("步骤"), max_length=24, choices=Step.choices)
    completed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    completed_at = models.DateTimeField(_("完成时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("步骤完成记录")
        verbose_name_plural = _("步骤完成记录")
        ordering = ["plan_id", "completed_at"]
        constraints = [models.UniqueConstraint(fields=["plan", "step"], name="unique_step_completion")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_step_display()}"


class OpinionEvent(models.Model):
    """Step 1: an opinion-gathering event (座谈会、上门访谈、问卷…)."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="opinion_events")
    kind = models.CharField(_("形式"), max_length=24, choices=OpinionEventKind.choices)
    held_on = models.DateField(_("日期"))
    participants = models.CharField(_("参加对象"), max_length=200)
    participant_count = models.PositiveIntegerField(_("参加人数"), default=0)
    notes = models.TextField(_("情况记录"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("征求意见活动")
        verbose_name_plural = _("征求意见活动")
        ordering = ["plan_id", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class Opinion(models.Model):
    """Step 1: one opinion or objection, sorted into a category (梳理归类) and adopted or not with a reply."""

    # A public opinion about a branch that has published no plan of its own belongs to no plan: it is answered from
    # the organization's list of public opinions (url targets:public_opinions) all the same.
    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="opinions")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="opinions",
        verbose_name=_("负责答复的组织"),
    )
    event = models.ForeignKey(OpinionEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="opinions")
    source = models.CharField(_("来源"), max_length=16, choices=OpinionSource.choices, default=OpinionSource.EVENT)
    content = models.TextField(_("意见内容"), max_length=2000)
    author = models.CharField(_("提出人"), max_length=50, blank=True)
    category = models.CharField(_("归类"), max_length=24, choices=OpinionCategory.choices, blank=True)
    decision = models.CharField(
        _("处理结果"), max_length=16, choices=OpinionDecision.choices, default=OpinionDecision.PENDING
    )
    reply = models.TextField(_("答复"), blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # what a public opinion is about: a published target item, or (kept as "commitment:<pk>", posts being the higher
    # app) a member's published commitment; subject is the wording the public saw
    target_item = models.ForeignKey(
        "TargetItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="opinions",
        verbose_name=_("目标任务"),
    )
    subject_ref = models.CharField(_("针对"), max_length=40, blank=True)
    subject = models.CharField(_("针对内容"), max_length=200, blank=True)
    replied_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_published = models.BooleanField(_("在公开页公布答复"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["plan_id", "created_at", "pk"]

    def __str__(self) -> str:
        return self.content[:30]


class DecisionMeeting(models.Model):
    """Step 2: 议事决策 — the meeting that decided, linked to the opinions it adopted."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=24, choices=MeetingKind.choices)
    held_on = models.DateField(_("日期"))
    attendees = models.CharField(_("参会人员"), max_length=300)
    attendee_count = models.PositiveIntegerField(_("参会人数"), default=0)
    resolution = models.TextField(_("决议内容"))
    adopted_opinions = models.ManyToManyField(Opinion, blank=True, related_name="meetings", verbose_name=_("采纳的意见"))
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议事决策会议")
        verbose_name_plural = _("议事决策会议")
        ordering = ["plan_id", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class TargetItem(models.Model):
    """Step 3: one row of Annex 1 (年度工作目标分解表)."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(_("类别"), max_length=16, choices=TargetCategory.choices)
    content = models.CharField(_("目标内容"), max_length=300)
    indicator = models.CharField(_("量化指标"), max_length=300)
    measures = models.TextField(_("工作措施"), blank=True)
    role = models.CharField(_("责任方面"), max_length=32, choices=EightRole.choices)
    office = models.CharField(_("处室/年段/班级"), max_length=100, blank=True)
    responsible = models.CharField(_("责任人"), max_length=50)
    # the member the 责任人 names, when the name is one active member's of the plan's organization (or below it):
    # deadline reminders then reach that person too. Free text naming someone else links nobody.
    responsible_member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="target_items",
        verbose_name=_("责任人（本组织成员）"),
    )
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(_("进度状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("完成百分比"), default=0, validators=[MaxValueValidator(100)])
    # the row's place in the plan's Annex 1 table, as the secretary arranged it (1, 2, 3 …)
    position = models.PositiveIntegerField(_("序号"), default=0, editable=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)
    # the previous year's row this one was started from (plan_start_from_previous); posts follow it to the copy
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="copies",
        verbose_name=_("沿用自上一年度"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标分解项")
        verbose_name_plural = _("目标分解项")
        ordering = ["plan_id", "position", "pk"]
        indexes = [models.Index(fields=["plan", "role"])]

    def __str__(self) -> str:
        return self.content

    def save(self, *args, **kwargs):
        """Every write of the 责任人 (form, Annex 1 table, copies of last year's rows) links the member it names."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "responsible" in update_fields:
            self.responsible_member = responsible_member_named(self.plan, self.responsible)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "responsible_member"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("targets:item_detail", args=[self.pk])


def responsible_member_named(plan: AnnualPlan, name: str) -> Member | None:
    """The one active member of the plan's organization (or an organization below it) with exactly this name; None
    when nobody or more than one person has it (free text for someone outside the roster)."""
    name = (name or "").strip()
    if not name:
        return None
    found = list(
        Member.objects.filter(
            name=name, is_active=True, organization__path__startswith=plan.organization.path
        ).only("pk", "user_id")[:2]
    )
    return found[0] if len(found) == 1 else None


class Publication(models.Model):
    """Step 4: the plan's targets published to an audience on a date; `snapshot` is exactly what was shown."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="publications")
    audience = models.CharField(_("公开范围"), max_length=16, choices=Audience.choices)
    published_on = models.DateField(_("公开日期"))
    channel = models.CharField(_("公开方式"), max_length=100, blank=True)
    snapshot = models.JSONField(default=dict, editable=False)
    item_count = models.PositiveIntegerField(default=0, editable=False)
    published_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公开承诺")
        verbose_name_plural = _("公开承诺")
        ordering = ["plan_id", "-published_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} → {self.get_audience_display()}"


class ProgressEntry(models.Model):
    """Step 5: progress on one target item, with an optional evidence file."""

    item = models.ForeignKey(TargetItem, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField(_("日期"))
    status = models.CharField(_("进度状态"), max_length=16, choices=ItemStatus.choices)
    percent = models.PositiveSmallIntegerField(_("完成百分比"), validators=[MaxValueValidator(100)])
    note = models.TextField(_("进展情况"))
    evidence = models.FileField(_("佐证材料"), upload_to=upload_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True, editable=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("实施进展")
        verbose_name_plural = _("实施进展")
        ordering = ["item_id", "-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.item} {self.recorded_on} {self.percent}%"


class JointActivity(models.Model):
    """Step 5: 联帮带 — an activity run together with other organizations and teams."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="joint_activities")
    held_on = models.DateField(_("日期"))
    partners = models.CharField(_("参与组织和队伍"), max_length=300)
    content = models.TextField(_("活动内容"))
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联帮带活动")
        verbose_name_plural = _("联帮带活动")
        ordering = ["plan_id", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.partners}"


class OrgReview(models.Model):
    """Step 6: a review of the organization's fulfilment — 领导点评、党员互评、群众评议."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("评议方式"), max_length=16, choices=ReviewKind.choices)
    reviewer = models.CharField(_("评议人/评议范围"), max_length=100)
    reviewed_on = models.DateField(_("日期"))
    rating = models.CharField(_("评价"), max_length=16, choices=ReviewRating.choices)
    comments = models.TextField(_("评议意见"))
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("组织考评")
        verbose_name_plural = _("组织考评")
        ordering = ["plan_id", "reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reviewed_on}"
