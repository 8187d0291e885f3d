"""How far a closed period's results are published (三.六 “在一定范围内公布”)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import PublicationScope
from .periods import EvaluationPeriod


class PeriodPublication(models.Model):
    """The scope the organization chose for a closed period's results, and whether scores are shown beside the
    grades. Without one, results stay with the member and the secretaries."""

    period = models.OneToOneField(
        EvaluationPeriod, on_delete=models.CASCADE, related_name="publication", verbose_name=_("考评期")
    )
    scope = models.CharField(_("公布范围"), max_length=16, choices=PublicationScope.choices)
    show_scores = models.BooleanField(_("同时公布综合得分"), default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("设定时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考评结果公布范围")
        verbose_name_plural = _("考评结果公布范围")

    def __str__(self) -> str:
        return f"{self.period} · {self.get_scope_display()}"
