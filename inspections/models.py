"""年中巡查: a committee's inspection of a unit in its subtree, the items the unit must fix, their follow-up until
closed, and the committee's year-end review (讲评) text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization


class Inspection(models.Model):
    committee = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="inspections_made", verbose_name=_("巡查单位")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("被巡查单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    inspected_on = models.DateField(_("巡查日期"))
    inspectors = models.CharField(_("巡查人员"), max_length=200)
    checked = models.JSONField(_("巡查内容"), default=list)
    findings = models.TextField(_("发现的问题和好的做法"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("巡查记录")
        verbose_name_plural = _("巡查记录")
        ordering = ["-inspected_on", "-pk"]
        indexes = [models.Index(fields=["committee", "year"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.inspected_on}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])


class FixItem(models.Model):
    """一项整改事项: what the unit must put right, who answers for it and by when."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    content = models.TextField(_("整改事项"), max_length=1000)
    responsible = models.CharField(_("责任人"), max_length=50)
    due_on = models.DateField(_("整改期限"))
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closing_note = models.TextField(_("销号意见"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.content[:30]

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class FollowUp(models.Model):
    """A dated note on how an item to fix is progressing (by the unit or the committee)."""

    item = models.ForeignKey(FixItem, on_delete=models.CASCADE, related_name="follow_ups")
    happened_on = models.DateField(_("日期"))
    note = models.TextField(_("整改进展"), max_length=1000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("整改跟进")
        verbose_name_plural = _("整改跟进")
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.note[:20]}"


class YearReview(models.Model):
    """年终讲评: the committee's review of its subtree's year."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="year_reviews")
    year = models.PositiveSmallIntegerField(_("年度"))
    text = models.TextField(_("年终讲评"), max_length=8000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年终讲评")
        verbose_name_plural = _("年终讲评")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="unique_year_review")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"
