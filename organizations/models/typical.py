"""Typical demonstration units (典型示范单位) and their publicity (policy 五.二)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import DemoKind, EightRole, PublicityChannel, WorkStep
from .contacts import Leader


class DemonstrationUnit(models.Model):
    """A “168” typical demonstration unit (典型示范单位): comprehensive, or single-aspect naming a step or a role."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="demonstrations",
        verbose_name=_("示范单位"),
    )
    designated_by = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="designated_demonstrations",
        verbose_name=_("确定单位"),
    )
    kind = models.CharField(_("典型类型"), max_length=16, choices=DemoKind.choices)
    step = models.CharField(_("突出的工作步骤"), max_length=32, choices=WorkStep.choices, blank=True)
    role = models.CharField(_("突出的作用"), max_length=32, choices=EightRole.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("确定年度"))
    leader = models.ForeignKey(
        Leader,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cultivated",
        verbose_name=_("培育联系领导"),
    )
    notes = models.TextField(_("培育情况"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("典型示范单位")
        verbose_name_plural = _("典型示范单位")
        ordering = ["-year", "designated_by_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "designated_by", "year"], name="unique_demonstration"),
        ]

    def __str__(self) -> str:
        return f"{self.organization}（{self.aspect}）"

    @property
    def aspect(self) -> str:
        if self.kind == DemoKind.COMPREHENSIVE:
            return str(DemoKind.COMPREHENSIVE.label)
        named = self.get_step_display() if self.step else self.get_role_display()
        return f"{DemoKind.SINGLE.label}：{named}"


class Publicity(models.Model):
    """宣传报道 of a typical unit."""

    demonstration = models.ForeignKey(
        DemonstrationUnit, on_delete=models.CASCADE, related_name="publicity", verbose_name=_("典型示范单位")
    )
    published_on = models.DateField(_("日期"))
    channel = models.CharField(_("形式"), max_length=16, choices=PublicityChannel.choices)
    title = models.CharField(_("标题"), max_length=200)

    class Meta:
        verbose_name = _("宣传报道")
        verbose_name_plural = _("宣传报道")
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title
