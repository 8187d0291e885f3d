"""Step 3 任务分解 as one table: every Annex 1 row of a plan added, changed, reordered or removed in one save, and
last year's rows copied in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from machinery.locking import STALE_CODE, STALE_MESSAGE, save_versioned
from organizations.models import Member
from years.selectors import ensure_year_writable

from ..models import AnnualPlan, TargetItem
from .items import ITEM_FIELDS, next_position
from .new_year import _still_active, one_year_later
from .rules import check_deadline


@dataclass
class GridRow:
    """One row as submitted: `item_id` None for a new row; `version` the version the user started from."""

    item_id: int | None = None
    version: Any = None
    delete: bool = False
    fields: dict = field(default_factory=dict)


class GridErrors(ValidationError):
    """The refusal of a grid save: `rows` maps the index of each row at fault to its ValidationError."""

    def __init__(self, rows: dict[int, ValidationError]):
        self.rows = rows
        super().__init__(_("有 %(n)s 行需要修改，表格未保存") % {"n": len(rows)})


@dataclass
class GridResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0


def _changed(item: TargetItem, values: dict, position: int) -> bool:
    return item.position != position or any(getattr(item, name) != value for name, value in values.items())


@transaction.atomic
def items_save_grid(*, plan: AnnualPlan, rows: list[GridRow], by) -> GridResult:
    """Save the plan's Annex 1 table as submitted, in one transaction. Guarantees:
    - rows are numbered 1, 2, 3 … in the order submitted (rows to delete left out); rows not submitted keep theirs;
    - every row is checked first (fields, deadline in the plan's year, its version as stored now, a row to delete is
      neither published nor has progress): when any row is at fault GridErrors names each one and nothing is written;
    - a row id that is not a row of this plan (another plan, another organization) refuses the whole save, nothing
      written (404 semantics for the caller: the row is not there);
    - a row left as it was (same values and place) is not written again, so its version does not move."""
    ensure_year_writable(plan.year)
    ids = [r.item_id for r in rows if r.item_id is not None]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("同一目标任务在表格中出现了两次"))
    # locked for the check and the write (on PostgreSQL; SQLite's write transaction already holds the database)
    items = {i.pk: i for i in TargetItem.objects.select_for_update().filter(plan=plan, pk__in=ids)}
    if len(items) != len(ids):
        raise TargetItem.DoesNotExist(_("目标任务不存在"))
    blocked = set(plan.items.filter(pk__in=ids).exclude(progress=None).values_list("pk", flat=True))
    errors: dict[int, ValidationError] = {}
    plans: list[tuple[GridRow, TargetItem, int]] = []
    position = 0
    for index, row in enumerate(rows):
        item = items.get(row.item_id) if row.item_id is not None else None
        try:
            if item is not None and str(item.version) != str(row.version):
                raise ValidationError(STALE_MESSAGE, code=STALE_CODE)
            if row.delete:
                if item is not None and (item.published_at or item.pk in blocked):
                    raise ValidationError(_("已公开或已有进展的目标任务不能删除"))
                plans.append((row, item, 0))
                continue
            unknown = set(row.fields) - set(ITEM_FIELDS)
            if unknown:
                raise ValueError(sorted(unknown))
            position += 1
            candidate = item or TargetItem(plan=plan)
            if item is not None:
                candidate = TargetItem(**{f.attname: getattr(item, f.attname) for f in TargetItem._meta.concrete_fields})
            for name, value in row.fields.items():
                setattr(candidate, name, value)
            check_deadline(plan, candidate.deadline)
            candidate.position = position
            candidate.full_clean(exclude=["plan", "copied_from"], validate_unique=False)
            plans.append((row, item, position))
        except ValidationError as exc:
            errors[index] = exc
    if errors:
        raise GridErrors(errors)
    result = GridResult()
    for row, item, place in plans:
        if row.delete:
            if item is not None:
                item.delete()
                result.deleted += 1
            continue
        if item is None:
            TargetItem(plan=plan, position=place, **row.fields).save()
            result.created += 1
        elif _changed(item, row.fields, place):
            for name, value in row.fields.items():
                setattr(item, name, value)
            item.position = place
            save_versioned(item, fields=[*row.fields, "position"], expected_version=row.version)
            result.updated += 1
    return result


def previous_plan(plan: AnnualPlan) -> AnnualPlan | None:
    """The same organization's plan of the year before, or None."""
    return AnnualPlan.objects.filter(organization_id=plan.organization_id, year=plan.year - 1).first()


@transaction.atomic
def items_copy_from_previous(*, plan: AnnualPlan, by) -> list[TargetItem]:
    """Append the rows of the organization's plan of the year before to this plan, after its own rows: unpublished,
    not started, deadline a year later, linked to the row copied; the responsible person kept only when every person
    named is still an active member of the subtree (else left to be named again). A row already copied into this
    plan is not copied twice. Refuses, writing nothing, when there is no plan the year before or nothing is left to
    copy."""
    ensure_year_writable(plan.year)
    AnnualPlan.objects.select_for_update().filter(pk=plan.pk).first()  # two clicks at once: one copy
    previous = previous_plan(plan)
    if previous is None:
        raise ValidationError(_("没有%(year)s年度计划，无法沿用") % {"year": plan.year - 1})
    done = set(plan.items.exclude(copied_from=None).values_list("copied_from_id", flat=True))
    olds = [old for old in previous.items.order_by("position", "pk") if old.pk not in done]
    if not olds:
        raise ValidationError(_("%(year)s年度的目标任务都已沿用到本计划") % {"year": previous.year})
    active = set(
        Member.objects.filter(organization__path__startswith=plan.organization.path, is_active=True)
        .values_list("name", flat=True)
    )
    place = next_position(plan)
    copies = []
    for old in olds:
        kept = old.responsible if _still_active(old.responsible, active) else ""
        deadline = one_year_later(old.deadline)
        check_deadline(plan, deadline)
        item = TargetItem(
            plan=plan, copied_from=old, responsible=kept, deadline=deadline, position=place,
            **{name: getattr(old, name) for name in ITEM_FIELDS if name not in ("responsible", "deadline")},
        )  # fmt: skip
        item.full_clean(exclude=[] if kept else ["responsible"])
        item.save()
        copies.append(item)
        place += 1
    return copies
