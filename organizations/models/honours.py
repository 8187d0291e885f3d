"""Honours held by a Party organization or its school; the highest one drives the long-term target."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import HonourLevel, HonourTrack
from .tree import Organization


class HonourTitle(models.Model):
    """A title an organization or its school can be awarded. Built-in ones come from the policy; staff add more."""

    name = models.CharField(_("荣誉名称"), max_length=60, unique=True)
    track = models.CharField(_("授予对象"), max_length=16, choices=HonourTrack.choices)
    is_builtin = models.BooleanField(_("内置"), default=False, editable=False)

    class Meta:
        verbose_name = _("荣誉称号")
        verbose_name_plural = _("荣誉称号")
        ordering = ["track", "-is_builtin", "name"]

    def __str__(self) -> str:
        return self.name


class Honour(models.Model):
    """An honour held by a Party organization (track 党组织) or by its school (track 学校)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="honours", verbose_name=_("党组织")
    )
    title = models.ForeignKey(HonourTitle, on_delete=models.PROTECT, related_name="honours", verbose_name=_("荣誉称号"))
    level = models.CharField(_("级别"), max_length=16, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    conferred_by = models.CharField(_("授予单位"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["organization_id", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "title", "level", "year"], name="unique_honour"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_level_display()}{self.title}"

    @property
    def rank(self) -> int:
        return HonourLevel(self.level).rank

    @property
    def track(self) -> str:
        return self.title.track
