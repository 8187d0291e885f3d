"""Typical units, leaders' contact points and roster imports (policy 五.二; issue 4).

Imported at the end of organizations/models.py so Django sees these models as part of the app.

How a leader is represented: a `Leader` row per leadership member (班子成员) of a committee (county / zone committee,
市属高校党委, 机关党委, and the city committee for the leaders who cultivate typical units). A leader may have a login
(`user`) but need not; staff of the committee keep the list. Contact points link a leader to units in the committee's
subtree; the policy asks every leader of a CONTACT_POINT_KINDS committee for at least one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import DemoKind, EightRole, PublicityChannel, WorkStep


class Leader(models.Model):
    """A leadership member (班子成员) of a committee."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="leaders", verbose_name=_("所在党委")
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=60, help_text=_("如：副书记、委员"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("登录账号")
    )
    is_active = models.BooleanField(_("在任"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("班子成员")
        verbose_name_plural = _("班子成员")
        ordering = ["organization_id", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）"


class ContactPoint(models.Model):
    """A unit a leader links to and guides (联系点)."""

    leader = models.ForeignKey(
        Leader, on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("班子成员")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="contact_points",
        verbose_name=_("联系单位"),
    )
    since = models.DateField(_("确定日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")
        ordering = ["leader_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["leader", "organization"], name="unique_contact_point")]

    def __str__(self) -> str:
        return f"{self.leader.name} → {self.organization}"


class ContactVisit(models.Model):
    """A visit of the leader to the contact point: what was guided, which problems were solved."""

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="visits", verbose_name=_("联系点")
    )
    visited_on = models.DateField(_("日期"))
    guidance = models.TextField(_("指导内容"), max_length=2000)
    problems_solved = models.TextField(_("帮助解决的问题"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系点工作记录")
        verbose_name_plural = _("联系点工作记录")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.contact_point} {self.visited_on}"


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


class RosterImport(models.Model):
    """One uploaded roster file for a branch, checked before anything is written (see organizations.roster)."""

    class State(models.TextChoices):
        REJECTED = "rejected", _("有错误，未导入")
        READY = "ready", _("待确认")
        APPLIED = "applied", _("已导入")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="roster_imports", verbose_name=_("支部")
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("上传人"))
    file = models.FileField(_("文件"), upload_to="imports/roster/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    # the rows of a clean file as the check converted them (organizations.roster_kept.checked_rows), until applied
    rows = models.JSONField(_("检查后的数据行"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} · {self.original_name}"
