"""Year-end: 民主评议党员, award rounds and honours, reserve cadres, and 限期整改."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Member, Organization

from ..enums import (
    AppraisalConclusion,
    AwardLevel,
    AwardTitle,
    Grade,
    NominationState,
    ProposalState,
    RectificationState,
)
from .periods import Rating


class DemocraticAppraisal(models.Model):
    """民主评议党员: the annual appraisal record of one member, fed by the year-end result."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="appraisals")
    year = models.PositiveSmallIntegerField(_("年度"))
    year_grade = models.CharField(_("年终总评等次"), max_length=12, choices=Grade.choices, blank=True)
    conclusion = models.CharField(_("评议结论"), max_length=12, choices=AppraisalConclusion.choices)
    notes = models.TextField(_("评议意见"), max_length=2000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("民主评议党员")
        verbose_name_plural = _("民主评议党员")
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="unique_appraisal_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.member} {self.get_conclusion_display()}"


class AwardRound(models.Model):
    """A nomination round: branches nominate in the submission window, the school reviews, the committee approves."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="award_rounds", verbose_name=_("组织评选的党组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("荣誉称号"), max_length=20, choices=AwardTitle.choices)
    level = models.CharField(_("级别"), max_length=10, choices=AwardLevel.choices, default=AwardLevel.SCHOOL)
    submit_from = models.DateField(_("推荐开始"))
    submit_until = models.DateField(_("推荐截止"))
    review_until = models.DateField(_("审核截止"))
    quota = models.PositiveSmallIntegerField(_("名额"), default=3)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("评选推荐")
        verbose_name_plural = _("评选推荐")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_level_display()}{self.get_title_display()}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:award_round", args=[self.pk])

    def clean(self) -> None:
        if self.submit_from and self.submit_until and self.review_until:
            if not (self.submit_from <= self.submit_until <= self.review_until):
                raise ValidationError({"review_until": _("日期须依次为：推荐开始 ≤ 推荐截止 ≤ 审核截止")})

    @property
    def needs_committee(self) -> bool:
        return self.level == AwardLevel.CITY


class Nomination(models.Model):
    """One nominee in a round; the nominee's details are copied at submission and never follow later edits."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="nominations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="nominations")
    nominating_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8)
    job = models.CharField(_("现任职务"), max_length=100, blank=True)
    organization_name = models.CharField(_("所在支部"), max_length=100)
    year_grade = models.CharField(_("年终总评等次"), max_length=12, blank=True)
    deeds = models.TextField(_("主要事迹"), max_length=3000)
    state = models.CharField(_("状态"), max_length=12, choices=NominationState.choices, default=NominationState.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("推荐对象")
        verbose_name_plural = _("推荐对象")
        ordering = ["round_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="unique_nomination_per_round")]

    def __str__(self) -> str:
        return f"{self.name} · {self.round}"


class MemberHonour(models.Model):
    """党员示范（先锋）岗 / 优秀共产党员 conferred on a member (created by approving a nomination)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="honours")
    title = models.CharField(_("荣誉称号"), max_length=20, choices=AwardTitle.choices)
    level = models.CharField(_("级别"), max_length=10, choices=AwardLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    conferred_by = models.CharField(_("授予单位"), max_length=100)
    nomination = models.OneToOneField(Nomination, on_delete=models.SET_NULL, null=True, blank=True, related_name="honour")

    class Meta:
        verbose_name = _("党员荣誉")
        verbose_name_plural = _("党员荣誉")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.member} {self.get_title_display()}"


class ReserveCadreProposal(models.Model):
    """后备干部: a young member with good results proposed; acceptance sets Member.is_reserve_cadre."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="reserve_proposals")
    year = models.PositiveSmallIntegerField(_("年度"))
    reason = models.CharField(_("推荐理由"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=ProposalState.choices, default=ProposalState.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("后备干部推荐")
        verbose_name_plural = _("后备干部推荐")
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="unique_reserve_proposal")]

    def __str__(self) -> str:
        return f"{self.year} {self.member}"


class Rectification(models.Model):
    """限期整改 after a 较差 result: explained at the Party members' meeting, a deadline, follow-ups, then closed
    or escalated."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="rectification")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="rectifications")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting_on = models.DateField(_("党员大会说明日期"))
    meeting_text = models.TextField(_("大会上的说明"), max_length=3000)
    deadline = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=10, choices=RectificationState.choices, default=RectificationState.OPEN)
    outcome = models.TextField(_("结论"), max_length=2000, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("限期整改")
        verbose_name_plural = _("限期整改")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.member} 限期整改（{self.deadline:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:rectification", args=[self.pk])

    def clean(self) -> None:
        if self.meeting_on and self.deadline and self.deadline < self.meeting_on:
            raise ValidationError({"deadline": _("整改期限不能早于党员大会日期")})

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state == RectificationState.OPEN and self.deadline < today


class RectificationFollowUp(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("日期"))
    text = models.TextField(_("跟进情况"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("整改跟进")
        verbose_name_plural = _("整改跟进")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.text[:20]}"
