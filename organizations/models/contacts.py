"""Leaders (班子成员) of committees and their contact points (联系点) with visits (policy 五.二).

A `Leader` row per leadership member of a committee (county / zone committee, 市属高校党委, 机关党委, and the city
committee for the leaders who cultivate typical units). A leader may have a login (`user`) but need not; staff of the
committee keep the list. Contact points link a leader to units in the committee's subtree; the policy asks every leader
of a CONTACT_POINT_KINDS committee for at least one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
    guidance = models.TextField(_("交流指导内容"), max_length=2000)
    difficulties = models.TextField(_("反映的困难和问题"), max_length=2000, blank=True)
    problems_solved = models.TextField(_("帮助解决的问题"), max_length=2000, blank=True)
    follow_up = models.TextField(_("后续跟进"), max_length=2000, blank=True)
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
