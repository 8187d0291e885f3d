"""亮岗履职: posts set by need, claims, commitments with review and publication, duty log, duty report, notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.enums import EightRole
from organizations.models import Member, Organization

from .enums import (
    Aspect,
    Audience,
    ClaimHow,
    CommitmentState,
    Decision,
    FourStrive,
    FulfilmentStatus,
    MassGroup,
    ReportPeriod,
    RevisionState,
)


class Post(models.Model):
    """A post the organization sets “因事设岗、因需设岗” for one year."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="posts", verbose_name=_("党组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("岗位名称"), max_length=60)
    duties = models.TextField(_("岗位职责"))
    role = models.CharField(_("服务的作用方面"), max_length=32, choices=EightRole.choices, default=EightRole.PARTY_MEMBER)
    capacity = models.PositiveSmallIntegerField(_("需要人数"), default=1)
    target_items = models.ManyToManyField(
        "targets.TargetItem", blank=True, related_name="posts", verbose_name=_("服务的目标任务")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock: several secretaries may edit the post
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["organization_id", "-year", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "name"], name="unique_post_name_per_year"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("posts:post_detail", args=[self.pk])

    def people_on(self) -> int:
        """People holding the post now: claims of members still on the roster (one who left holds no place)."""
        return self.claims.filter(member__is_active=True).count()


class PostClaim(models.Model):
    """A member on a post (因人择岗): claimed by the member or assigned by the secretary."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="claims", verbose_name=_("岗位"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="post_claims", verbose_name=_("党员/教师"))
    how = models.CharField(_("方式"), max_length=16, choices=ClaimHow.choices, default=ClaimHow.CLAIMED)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("认岗")
        verbose_name_plural = _("认岗")
        ordering = ["post_id", "member__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="unique_claim_per_post")]

    def __str__(self) -> str:
        return f"{self.member} · {self.post}"


class Commitment(models.Model):
    """A concrete commitment of one person on one post (承诺亮岗), reviewed, published, then fulfilled or not."""

    claim = models.ForeignKey(PostClaim, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("岗位"))
    aspect = models.CharField(_("承诺方面"), max_length=16, choices=Aspect.choices, default=Aspect.WORK)
    content = models.TextField(_("承诺内容"))
    measurable_result = models.CharField(_("可衡量的成果"), max_length=300)
    due_on = models.DateField(_("完成时限"))
    state = models.CharField(
        _("审核状态"), max_length=16, choices=CommitmentState.choices, default=CommitmentState.DRAFT
    )
    status = models.CharField(
        _("兑现情况"), max_length=16, choices=FulfilmentStatus.choices, default=FulfilmentStatus.IN_PROGRESS
    )
    status_note = models.TextField(_("兑现情况说明"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    audience = models.CharField(_("公开范围"), max_length=16, choices=Audience.choices, blank=True)
    # a commitment that could not be kept for an objective reason: the explanation is published to the masses
    explanation = models.TextField(_("未兑现的客观原因说明"), blank=True)
    explanation_published_at = models.DateTimeField(_("说明公开时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state"]), models.Index(fields=["published_at"])]

    def __str__(self) -> str:
        return self.content[:30]

    def get_absolute_url(self) -> str:
        return reverse("posts:commitment_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def editable_by_member(self) -> bool:
        return self.state in {CommitmentState.DRAFT, CommitmentState.RETURNED}


class CommitmentVersion(models.Model):
    """Every submitted version of a commitment, kept as it was submitted."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("第几稿"))
    aspect = models.CharField(_("承诺方面"), max_length=16, choices=Aspect.choices)
    content = models.TextField(_("承诺内容"))
    measurable_result = models.CharField(_("可衡量的成果"), max_length=300)
    due_on = models.DateField(_("完成时限"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("承诺版本")
        verbose_name_plural = _("承诺版本")
        ordering = ["commitment_id", "number"]
        constraints = [models.UniqueConstraint(fields=["commitment", "number"], name="unique_commitment_version")]

    def __str__(self) -> str:
        return f"{self.commitment_id} v{self.number}"


class CommitmentReview(models.Model):
    """The secretary's decision on a submitted version: approved, or returned with a reason naming what failed."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(CommitmentVersion, on_delete=models.CASCADE, related_name="reviews", null=True)
    decision = models.CharField(_("审核结论"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("退回理由"), blank=True)
    failed_criteria = models.JSONField(_("未通过的方面"), default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("承诺审核")
        verbose_name_plural = _("承诺审核")
        ordering = ["commitment_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.get_decision_display()}"


def evidence_path(instance: DutyEvidence, filename: str) -> str:
    return f"posts/evidence/{instance.entry.commitment_id}/{filename}"


def report_path(instance: DutyReport, filename: str) -> str:
    return f"posts/reports/{instance.member_id}/{filename}"


class DutyLogEntry(models.Model):
    """A dated duty-log entry (履岗登记) against a commitment."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="log_entries")
    happened_on = models.DateField(_("日期"))
    content = models.TextField(_("履岗情况"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("履岗登记")
        verbose_name_plural = _("履岗登记")
        ordering = ["-happened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.content[:20]}"


class DutyEvidence(models.Model):
    """An evidence file of a duty-log entry; downloaded only through posts:evidence_download."""

    entry = models.ForeignKey(DutyLogEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("佐证材料"), upload_to=evidence_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class DutyReport(models.Model):
    """A duty report (述职报告) of one person for one period: text and an optional file."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="duty_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("述职期间"), max_length=8, choices=ReportPeriod.choices, default=ReportPeriod.YEAR)
    text = models.TextField(_("述职内容"))
    file = models.FileField(_("附件"), upload_to=report_path, max_length=255, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        ordering = ["-year", "period", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "period"], name="unique_duty_report_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year} {self.get_period_display()}"


class Notice(models.Model):
    """情况通报: the secretary's notice to the branch about posts and fulfilment, with read receipts."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="post_notices")
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("通报内容"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("情况通报")
        verbose_name_plural = _("情况通报")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("posts:notice_detail", args=[self.pk])


class NoticeReceipt(models.Model):
    """One member's copy of a notice; read_at is set when the member opens it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="post_notice_receipts")
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报回执")
        verbose_name_plural = _("通报回执")
        ordering = ["notice_id", "member__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["notice", "member"], name="unique_notice_receipt")]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.member}"


class ExplanationRevision(models.Model):
    """A member's change to the 未兑现 explanation after the organization published it. It waits for a reviewer (never
    the author); the public page keeps the published text until the change is approved. Every proposal is kept."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="explanation_revisions")
    text = models.TextField(_("修改后的说明"), blank=True)
    published_text = models.TextField(_("修改时已公开的说明"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=RevisionState.choices, default=RevisionState.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("说明修改")
        verbose_name_plural = _("说明修改")
        ordering = ["commitment_id", "proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment"], condition=models.Q(state="pending"), name="one_pending_explanation_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.get_state_display()}"


class AnnualAim(models.Model):
    """The member's 四争 aim for a year (one of the four), chosen when claiming posts or writing commitments."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="aims", verbose_name=_("党员/教师"))
    year = models.PositiveSmallIntegerField(_("年度"))
    aim = models.CharField(_("“四争”目标"), max_length=16, choices=FourStrive.choices)
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("“四争”目标")
        verbose_name_plural = _("“四争”目标")
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="unique_member_year_aim")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.get_aim_display()}"


class MassContact(models.Model):
    """党员联系群众: one contact of a member with students, parents, colleagues or residents, and its outcome."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="mass_contacts", verbose_name=_("党员/教师")
    )
    contacted_on = models.DateField(_("联系日期"))
    whom = models.CharField(_("联系对象"), max_length=16, choices=MassGroup.choices)
    person = models.CharField(_("对象姓名或称呼"), max_length=50, blank=True)
    subject = models.TextField(_("联系事由"), max_length=1000)
    outcome = models.TextField(_("结果"), max_length=1000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系群众记录")
        verbose_name_plural = _("联系群众记录")
        ordering = ["-contacted_on", "-pk"]
        indexes = [models.Index(fields=["member", "contacted_on"])]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_whom_display()}"
