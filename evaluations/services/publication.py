"""Publishing a closed period's results within a scope (三.六 “在一定范围内公布”)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations import access

from ..enums import PeriodState
from ..models import EvaluationPeriod, PeriodPublication


@transaction.atomic
def results_publish_scope_set(
    *, period: EvaluationPeriod, scope: str, show_scores: bool = False, by
) -> PeriodPublication:
    """Set how far a closed period's results reach: 本组织党员, 全校 or 社会公开; grades always, 综合得分 only when
    chosen. Only a secretary of the period's organization (or one above it) decides, only once the period is
    closed; otherwise nothing is written. Phone numbers and poll details are never part of what is published."""
    period = EvaluationPeriod.objects.select_for_update().select_related("organization").get(pk=period.pk)
    if not access.is_secretary_of(by, period.organization):
        raise ValidationError(_("只有本组织书记可以确定考评结果的公布范围"))
    if period.state != PeriodState.CLOSED:
        raise ValidationError(_("考评期结束后才能确定考评结果的公布范围"))
    publication = PeriodPublication.objects.filter(period=period).first() or PeriodPublication(period=period)
    publication.scope, publication.show_scores, publication.set_by = scope, bool(show_scores), by
    publication.full_clean()
    publication.save()
    return publication
