"""Periods, the organization's weights and thresholds, and the three parts of a member's rating."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Member, Organization

from ..enums import PART_MISSING_LABELS, AbsenceReason, Grade, Part, PeriodKind, PeriodState

PHASE_LABELS = {
    "closed": _("已结束"),
    "upcoming": _("未开始"),
    "open": _("进行中"),
    "reopened": _("重新开放中"),
    "late": _("逾期未结束"),
}
SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
DEFAULT_SCALE = [
    {"label": "好", "score": 100},
    {"label": "较好", "score": 85},
    {"label": "一般", "score": 70},
    {"label": "差", "score": 50},
]


def default_scale() -> list[dict]:
    return [dict(option) for option in DEFAULT_SCALE]


class EvaluationSettings(models.Model):
    """An organization's weights (述岗自评 / 民意测评 / 综合评定, summing to 100), grade thresholds and poll scale."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="evaluation_settings", verbose_name=_("党组织")
    )
    weight_self = models.PositiveSmallIntegerField(_("述岗自评权重（%）"), default=20, validators=[MaxValueValidator(100)])
    weight_poll = models.PositiveSmallIntegerField(_("民意测评权重（%）"), default=30, validators=[MaxValueValidator(100)])
    weight_org = models.PositiveSmallIntegerField(_("综合评定权重（%）"), default=50, validators=[MaxValueValidator(100)])
    threshold_excellent = models.DecimalField(
        _("优秀分数线"), max_digits=5, decimal_places=2, default=Decimal("90"), validators=SCORE_VALIDATORS
    )
    threshold_good = models.DecimalField(
        _("良好分数线"), max_digits=5, decimal_places=2, default=Decimal("80"), validators=SCORE_VALIDATORS
    )
    threshold_fair = models.DecimalField(
        _("一般分数线"), max_digits=5, decimal_places=2, default=Decimal("60"), validators=SCORE_VALIDATORS
    )
    poll_scale = models.JSONField(_("民意测评档次"), default=default_scale)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考评设置")
        verbose_name_plural = _("考评设置")

    def __str__(self) -> str:
        return f"{self.organization} {self.weight_self}/{self.weight_poll}/{self.weight_org}"

    def clean(self) -> None:
        errors = {}
        if (self.weight_self or 0) + (self.weight_poll or 0) + (self.weight_org or 0) != 100:
            errors["weight_org"] = _("三项权重之和必须等于 100")
        if self.threshold_excellent is not None and self.threshold_good is not None and self.threshold_fair is not None:
            if not (self.threshold_excellent > self.threshold_good > self.threshold_fair):
                errors["threshold_fair"] = _("分数线须满足：优秀 > 良好 > 一般")
        scale = self.poll_scale
        ok = isinstance(scale, list) and 2 <= len(scale) <= 6
        if ok:
            for option in scale:
                if not (isinstance(option, dict) and str(option.get("label", "")).strip()):
                    ok = False
                    break
                try:
                    value = Decimal(str(option.get("score")))
                except Exception:
                    ok = False
                    break
                if not (0 <= value <= 100):
                    ok = False
        if not ok:
            errors["poll_scale"] = _("测评档次须为 2 至 6 档，每档有名称和 0–100 的分值")
        if errors:
            raise ValidationError(errors)

    def snapshot(self) -> dict:
        return {
            "weights": {"self": self.weight_self, "poll": self.weight_poll, "org": self.weight_org},
            "thresholds": {
                "excellent": str(self.threshold_excellent),
                "good": str(self.threshold_good),
                "fair": str(self.threshold_fair),
            },
            "scale": [dict(option) for option in self.poll_scale],
        }


class EvaluationPeriod(models.Model):
    """一季一评 / 半年初评 / 三季一评 / 年终总评 of one organization and year. Closed: no writes."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="evaluation_periods", verbose_name=_("党组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("考评类别"), max_length=8, choices=PeriodKind.choices)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    state = models.CharField(_("状态"), max_length=8, choices=PeriodState.choices, default=PeriodState.OPEN)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # while reopened (an explicit, recorded act), writes are accepted until this day even after the window closed
    reopened_until = models.DateField(_("重新开放至"), null=True, blank=True)

    class Meta:
        verbose_name = _("考评期")
        verbose_name_plural = _("考评期")
        ordering = ["-year", "organization_id", "opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "kind"], name="unique_period_per_org_year_kind")
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:period_detail", args=[self.pk])

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("截止日期不能早于开始日期")})
        if self.opens_on and self.year and self.opens_on.year != self.year:
            raise ValidationError({"opens_on": _("开始日期须在考评年度内")})

    @property
    def is_open(self) -> bool:
        return self.state == PeriodState.OPEN

    def phase_on(self, today: datetime.date) -> str:
        """Where the period stands on a day: 'closed' (ratings made), 'upcoming', 'open' (inside its window),
        'reopened' (past its window, reopened until a date still to come) or 'late' (逾期未结束: the window has
        closed and the secretary has not closed it into ratings yet; it accepts no writes but closing)."""
        if not self.is_open:
            return "closed"
        if today < self.opens_on:
            return "upcoming"
        if today <= self.closes_on:
            return "open"
        if self.reopened_until and today <= self.reopened_until:
            return "reopened"
        return "late"

    @property
    def phase(self) -> str:
        return self.phase_on(timezone.localdate())

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS[self.phase]


class PeriodReopening(models.Model):
    """Reopening a closed period is an explicit act, recorded with its reason."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="reopenings")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("重新开放理由"), max_length=300)
    until = models.DateField(_("开放至"), null=True)  # writes are accepted until this day (required when reopening)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考评期重新开放记录")
        verbose_name_plural = _("考评期重新开放记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.period} · {self.reason}"


class SelfEvaluation(models.Model):
    """述岗自评: the member's account of the period against each commitment, and a self-score."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="self_evaluations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="self_evaluations")
    summary = models.TextField(_("述岗总结"), max_length=4000)
    score = models.DecimalField(_("自评分"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("述岗自评")
        verbose_name_plural = _("述岗自评")
        constraints = [models.UniqueConstraint(fields=["period", "member"], name="unique_self_evaluation")]

    def __str__(self) -> str:
        return f"{self.member} · {self.period}"


class SelfEvaluationItem(models.Model):
    """The member's words on one commitment (or one line of the self-evaluation)."""

    self_evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="items")
    commitment = models.ForeignKey(
        "posts.Commitment", on_delete=models.SET_NULL, null=True, blank=True, related_name="self_evaluation_items"
    )
    # the commitment's words when evaluated (kept if the commitment changes later)
    commitment_ref = models.CharField(_("承诺"), max_length=300)
    text = models.TextField(_("完成情况"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("逐项自评")
        verbose_name_plural = _("逐项自评")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.commitment_ref


class Assessment(models.Model):
    """党组织综合评定: the organization's score and comment for one member in one period."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="assessments")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="assessments")
    score = models.DecimalField(_("综合评定得分"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    comment = models.TextField(_("评定意见"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党组织综合评定")
        verbose_name_plural = _("党组织综合评定")
        constraints = [models.UniqueConstraint(fields=["period", "member"], name="unique_assessment")]

    def __str__(self) -> str:
        return f"{self.member} · {self.period} · {self.score}"


class Rating(models.Model):
    """A member's result in a period: the parts, the weighted score and the grade, frozen in `snapshot` at close."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="ratings")
    self_score = models.DecimalField(_("述岗自评"), max_digits=5, decimal_places=2, null=True, blank=True)
    poll_score = models.DecimalField(_("民意测评"), max_digits=5, decimal_places=2, null=True, blank=True)
    org_score = models.DecimalField(_("综合评定"), max_digits=5, decimal_places=2, null=True, blank=True)
    weighted_score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("等次"), max_length=12, choices=Grade.choices)
    snapshot = models.JSONField(_("计算依据"), default=dict)
    published = models.BooleanField(_("已公布"), default=False)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考评结果")
        verbose_name_plural = _("考评结果")
        ordering = ["period_id", "member__name"]
        constraints = [models.UniqueConstraint(fields=["period", "member"], name="unique_rating")]

    def __str__(self) -> str:
        return f"{self.member} · {self.period} · {self.get_grade_display()}"

    @property
    def missing_parts(self) -> list[dict]:
        """The parts the grade was computed without, from the snapshot: [{"part", "label", "text"}] in part order
        (label 缺自评 / 缺测评 / 缺评定; text says why: 未参加 with its reason, or the poll not counted)."""
        absent = (self.snapshot or {}).get("absent") or {}
        return [
            {"part": part.value, "label": PART_MISSING_LABELS[part], "text": absent[part.value].get("text", "")}
            for part in Part
            if part.value in absent
        ]

    @property
    def missing_labels(self) -> list[str]:
        return [str(p["label"]) for p in self.missing_parts]


class PartAbsence(models.Model):
    """未参加: a member took no part in one part of a period's rating, with the reason the secretary gave. The grade
    is then computed from the other parts with their weights renormalized, and carries the flag (缺自评 …)."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="absences")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="part_absences")
    part = models.CharField(_("考评项目"), max_length=8, choices=Part.choices)
    reason = models.CharField(_("未参加原因"), max_length=8, choices=AbsenceReason.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("未参加记录")
        verbose_name_plural = _("未参加记录")
        ordering = ["period_id", "member__name", "part"]
        constraints = [models.UniqueConstraint(fields=["period", "member", "part"], name="unique_part_absence")]

    def __str__(self) -> str:
        return f"{self.member} · {self.period} · {self.get_part_display()}未参加（{self.reason_text}）"

    def clean(self) -> None:
        self.note = (self.note or "").strip()
        if self.reason == AbsenceReason.OTHER and not self.note:
            raise ValidationError({"note": _("原因为“其他”时，请填写说明")})

    @property
    def reason_text(self) -> str:
        """病假 / 外出 / 其他：<note> (a note on 病假 or 外出 is added after it too)."""
        label = str(self.get_reason_display())
        return f"{label}：{self.note}" if self.note else label
