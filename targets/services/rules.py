"""A rule several target writes share: an Annex 1 row falls due within its plan's year (or the next)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import AnnualPlan


def check_deadline(plan: AnnualPlan, deadline: datetime.date | None) -> None:
    if deadline and deadline.year not in (plan.year, plan.year + 1):
        raise ValidationError({"deadline": _("完成时限应在计划年度内（最迟到次年）")})
