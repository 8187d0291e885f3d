"""Annex 5 (市直教育系统推广提升“168”机制进展情况季报表) as a submission, and export jobs for long PDFs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization, phone_validator

# The countable figures of Annex 5, in the table's order: (field, label). Exports, forms and dashboards use this list.
FIGURES: list[tuple[str, str]] = [
    ("org_total", _("基层党组织数")),
    ("org_launched", _("已推行数")),
    ("coverage_percent", _("推广面（%）")),
    ("demo_comprehensive", _("典型示范单位（综合）")),
    ("demo_single", _("典型示范单位（单项）")),
    ("contact_points", _("领导班子联系点数")),
    ("members", _("党员数")),
    ("members_with_posts", _("亮岗党员数")),
    ("posts", _("设岗数")),
    ("commitments_published", _("公开承诺数")),
    ("commitments_fulfilled", _("已兑现承诺数")),
    ("ratings_done", _("本季评岗人次")),
    ("honours_awarded", _("授予示范岗/优秀党员数")),
    ("rectifications", _("限期整改人数")),
]
FIGURE_FIELDS = [name for name, _label in FIGURES]
NARRATIVE: list[tuple[str, str]] = [
    ("practices", _("主要做法和成效")),
    ("problems", _("存在问题")),
    ("next_steps", _("下一步打算")),
]


class Quarter(models.IntegerChoices):
    Q1 = 1, _("第一季度")
    Q2 = 2, _("第二季度")
    Q3 = 3, _("第三季度")
    Q4 = 4, _("第四季度")


class QuarterlyReport(models.Model):
    """One reporting unit's Annex 5 for one quarter. Figures are counted from the data until submitted, then frozen."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已接收")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="quarterly_reports", verbose_name=_("填报单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=Quarter.choices)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)

    org_total = models.PositiveIntegerField(_("基层党组织数"), default=0)
    org_launched = models.PositiveIntegerField(_("已推行数"), default=0)
    coverage_percent = models.DecimalField(_("推广面（%）"), max_digits=5, decimal_places=1, default=0)
    demo_comprehensive = models.PositiveIntegerField(_("典型示范单位（综合）"), default=0)
    demo_single = models.PositiveIntegerField(_("典型示范单位（单项）"), default=0)
    contact_points = models.PositiveIntegerField(_("领导班子联系点数"), default=0)
    members = models.PositiveIntegerField(_("党员数"), default=0)
    members_with_posts = models.PositiveIntegerField(_("亮岗党员数"), default=0)
    posts = models.PositiveIntegerField(_("设岗数"), default=0)
    commitments_published = models.PositiveIntegerField(_("公开承诺数"), default=0)
    commitments_fulfilled = models.PositiveIntegerField(_("已兑现承诺数"), default=0)
    ratings_done = models.PositiveIntegerField(_("本季评岗人次"), default=0)
    honours_awarded = models.PositiveIntegerField(_("授予示范岗/优秀党员数"), default=0)
    rectifications = models.PositiveIntegerField(_("限期整改人数"), default=0)
    figures_counted_at = models.DateTimeField(_("数据统计时间"), null=True, blank=True)
    figures_notes = models.JSONField(_("统计说明"), default=list, blank=True)

    practices = models.TextField(_("主要做法和成效"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下一步打算"), blank=True)
    filled_by = models.CharField(_("填报人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])

    due_on = models.DateField(_("报送截止日期"))
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期报送"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("季报表")
        verbose_name_plural = _("季报表")
        ordering = ["-year", "-quarter", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "quarter"], name="unique_quarterly_report"),
        ]
        indexes = [models.Index(fields=["year", "quarter", "state"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年{self.get_quarter_display()}"

    def get_absolute_url(self) -> str:
        return reverse("reports:quarterly_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in {self.State.DRAFT, self.State.RETURNED}

    def figure_values(self) -> list:
        return [getattr(self, name) for name in FIGURE_FIELDS]


class QuarterlyReportEvent(models.Model):
    """A recorded act on a quarterly report: who did what, when, from which state to which, and why."""

    class Action(models.TextChoices):
        OPENED = "opened", _("创建")
        REFRESHED = "refreshed", _("更新统计数据")
        SAVED = "saved", _("保存")
        SUBMITTED = "submitted", _("报送")
        RETURNED = "returned", _("退回")
        ACCEPTED = "accepted", _("接收")

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_state = models.CharField(_("原状态"), max_length=16, choices=QuarterlyReport.State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=QuarterlyReport.State.choices)
    reason = models.TextField(_("理由/说明"), blank=True)

    class Meta:
        verbose_name = _("季报表记录")
        verbose_name_plural = _("季报表记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_action_display()}"


class ExportJob(models.Model):
    """A long export made in the background (Celery); its file is downloaded through an access-checked view."""

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Phase(models.TextChoices):
        WAITING = "", _("等待开始")
        READING = "reading", _("读取数据")
        RENDERING = "rendering", _("排版生成")
        SAVING = "saving", _("保存文件")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("申请人")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("组织")
    )
    kind = models.CharField(_("报表"), max_length=32)
    params = models.JSONField(_("参数"), default=dict)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    message = models.CharField(_("说明"), max_length=200, blank=True)  # shown to the requester when it failed
    # progress, written by the worker a few times a minute (not per row); heartbeat_at is the worker's lease
    phase = models.CharField(_("阶段"), max_length=16, choices=Phase.choices, blank=True, default=Phase.WAITING)
    rows_done = models.PositiveIntegerField(_("已读行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    pages_done = models.PositiveIntegerField(_("已排页数"), default=0)
    pages_total = models.PositiveIntegerField(_("预计页数"), default=0)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def percent(self) -> int:
        """Overall progress for the bar: for a PDF, reading the rows is the first fifth and laying out the pages the
        rest."""
        if self.state == self.State.DONE:
            return 100
        read = self.rows_done / self.rows_total if self.rows_total else 0
        if self.phase == self.Phase.READING:  # an xlsx is written as its rows are read
            return int((95 if self.params.get("format") == "xlsx" else 20) * min(read, 1))
        if self.phase == self.Phase.RENDERING:
            laid = self.pages_done / self.pages_total if self.pages_total else 0
            return 20 + int(75 * min(laid, 1))
        return 97 if self.phase == self.Phase.SAVING else 0
