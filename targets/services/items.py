"""Step 3 任务分解: the Annex 1 rows of the plan (content, quantified indicator, measures, role, who, by when)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from machinery.locking import save_versioned
from years.selectors import ensure_year_writable

from ..models import AnnualPlan, TargetItem
from .rules import check_deadline

ITEM_FIELDS = ["category", "content", "indicator", "measures", "role", "office", "responsible", "deadline"]


def next_position(plan: AnnualPlan) -> int:
    """The place after the plan's last row (a new row goes at the end of the table)."""
    return (plan.items.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def item_create(*, plan: AnnualPlan, by, **fields) -> TargetItem:
    """Add an Annex 1 row: content, quantified indicator, measures, one of the eight roles, who, by when."""
    ensure_year_writable(plan.year)
    item = TargetItem(plan=plan, position=next_position(plan), **fields)
    check_deadline(plan, item.deadline)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_update(*, item: TargetItem, expected_version, by, **fields) -> TargetItem:
    """Change an Annex 1 row. Refuses a stale version and writes nothing. Published rows stay as published on the
    public page until the plan is published again."""
    ensure_year_writable(item.plan.year)
    for name, value in fields.items():
        if name not in ITEM_FIELDS:
            raise ValueError(name)
        setattr(item, name, value)
    check_deadline(item.plan, item.deadline)
    item.full_clean()
    return save_versioned(item, fields=list(fields), expected_version=expected_version)


@transaction.atomic
def item_delete(*, item: TargetItem, by) -> None:
    """Remove a row that was never published and has no progress recorded."""
    ensure_year_writable(item.plan.year)
    if item.published_at or item.progress.exists():
        raise ValidationError(_("已公开或已有进展的目标任务不能删除"))
    item.delete()

