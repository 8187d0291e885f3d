"""The work year (open, or archived and read-only) and the windows of its calendar, per organization."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization

from .enums import REPORT_WINDOWS, WindowKind, YearState


class WorkYear(models.Model):
    """A year of the 168 mechanism. Opened by the city committee; opening the next one archives it (read-only,
    still reportable)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    state = models.CharField(_("状态"), max_length=10, choices=YearState.choices, default=YearState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作年度")
        verbose_name_plural = _("工作年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度"

    @property
    def is_archived(self) -> bool:
        return self.state == YearState.ARCHIVED


class CalendarWindow(models.Model):
    """One window of one year's calendar as an organization set it. The city committee's windows apply to the whole
    tree; an organization below may narrow a window inside its parent's, never widen it. The window in force for an
    organization is the intersection of its own and all its ancestors' (years.selectors.window_for)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="calendar_windows", verbose_name=_("党组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("事项"), max_length=12, choices=WindowKind.choices)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度日历时间窗")
        verbose_name_plural = _("年度日历时间窗")
        ordering = ["year", "organization_id", "opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "kind"], name="unique_window_per_org_year_kind")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年{self.get_kind_display()} {self.opens_on}—{self.closes_on}"

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("截止日期不能早于开始日期")})
        if self.opens_on and self.year and self.opens_on.year != self.year:
            raise ValidationError({"opens_on": _("开始日期须在%(year)s年内") % {"year": self.year}})
        if self.closes_on and self.year:
            # the year-end rating may run into January; a quarterly report is due inside its year
            last_year = self.year + (1 if self.kind == WindowKind.YEAR else 0)
            if self.closes_on.year > last_year:
                raise ValidationError({"closes_on": _("截止日期超出了本年度")})
            if self.kind in REPORT_WINDOWS and self.closes_on.year != self.year:
                raise ValidationError({"closes_on": _("季报截止日期须在%(year)s年内") % {"year": self.year}})
