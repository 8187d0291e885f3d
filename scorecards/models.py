"""The scorecard scheme a committee sets for its subtree, one per year (scorecards.selectors.scheme_for finds the one
in force: the organization's own or the nearest committee's above it, else the default of scorecards.indicators)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Organization


class Scheme(models.Model):
    """Which indicators count, their weights and thresholds (达标值), as a committee set them for one year. A year's
    scheme is never changed once the year is over, so that year's scores stay what they were."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="scorecard_schemes", verbose_name=_("党委")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    # 采用上级方案: the committee leaves its subtree to the scheme of the committee above
    inherit = models.BooleanField(_("采用上级党委的方案"), default=False)
    # {indicator code: {"weight": int 0–100, "threshold": number > 0}}; weight 0 leaves the indicator out
    items = models.JSONField(_("指标、权重和达标值"), default=dict)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    set_at = models.DateTimeField(_("设定时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考评计分方案")
        verbose_name_plural = _("考评计分方案")
        ordering = ["organization_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="unique_scheme_per_org_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年考评计分方案"
