"""A new year from the last: the plan started from last year's (text and rows copied, steps started over) and the
long-term targets moved on from the honours now recorded."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.enums import honour_level_rank
from organizations.models import Member, Organization
from years.selectors import ensure_year_writable

from .. import selectors
from ..enums import TargetOutcome
from ..models import AnnualPlan, LongTermTarget, TargetItem
from .items import ITEM_FIELDS
from .long_term import long_term_target_set
from .plans import plan_create
from .rules import check_deadline

NAME_SEPARATORS = re.compile(r"[、，,；;/\s]+")


@dataclass
class PlanStart:
    """What plan_start_from_previous made: the new plan, its rows, the rows whose person must be named again
    (each with last year's name) and the long-term targets it moved on."""

    plan: AnnualPlan
    previous: AnnualPlan
    items: list[TargetItem] = field(default_factory=list)
    to_reassign: list[tuple[TargetItem, str]] = field(default_factory=list)
    long_term: list[LongTermTarget] = field(default_factory=list)


def one_year_later(day: datetime.date) -> datetime.date:
    """The same day a year on; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _still_active(responsible: str, active_names: set[str]) -> bool:
    """Every person named (“张三、李四”) is an active member of the subtree."""
    names = [n for n in NAME_SEPARATORS.split(responsible) if n]
    return bool(names) and all(n in active_names for n in names)


def _long_term_moved_on(*, organization: Organization, year: int, by) -> list[LongTermTarget]:
    """Recompute the long-term targets from the honours now recorded (long_term_proposals): a target reached (an honour
    at or above its level is recorded) moves to the next level from `year`; the Party organization's 先进基层党组织
    target is set from the proposal when none was set. A target not yet reached stays as the secretary set it."""
    moved = []
    for row in selectors.long_term_proposals(organization):
        target = row["target"]
        if target is None:
            if row["title"] != selectors.PARTY_TITLE:
                continue
        elif not row["held"] or honour_level_rank(row["held"]) < honour_level_rank(target.level):
            continue
        elif row["proposed"] == target.level:  # 中央 reached: nothing higher to strive for
            continue
        span = min(max(target.due_year - target.start_year, 3), 5) if target else 3
        moved_target = long_term_target_set(
            organization=organization, track=row["track"], title=row["title"], level=row["proposed"],
            due_year=year + span, start_year=year, by=by,
        )  # fmt: skip
        if moved_target.outcome != TargetOutcome.PENDING:  # last level's outcome stays in the target's history
            moved_target.outcome, moved_target.outcome_note, moved_target.outcome_recorded_at = TargetOutcome.PENDING, "", None
            moved_target.save(update_fields=["outcome", "outcome_note", "outcome_recorded_at", "updated_at"])
        moved.append(moved_target)
    return moved


@transaction.atomic
def plan_start_from_previous(*, organization: Organization, year: int, by) -> PlanStart:
    """Start the organization's plan for `year` from its plan of the year before. Guarantees:
    - the theme, featured work, theory research and school targets are copied into the new plan, to be edited; the
      summary and the research report are not (they belong to last year);
    - the six steps start over: no completion, opinion, meeting, publication, progress or review is copied;
    - every Annex 1 row is copied unpublished, not started, deadline one year later (29 Feb → 28 Feb), linked to the
      row it came from; its responsible person is kept only when every person named is still an active member of the
      organization's subtree, otherwise left blank (需重新指定责任人: step 3 cannot be completed until named again);
    - the long-term targets are recomputed from the honours now recorded (_long_term_moved_on);
    - last year's plan and rows are not changed (they stay reportable).
    Refuses, writing nothing, when the year is archived, a plan for `year` exists or there is no plan the year before."""
    ensure_year_writable(year)
    if not selectors.can_plan(organization):
        raise ValidationError(_("只有基层党组织（学校党委、党总支、党支部）制定年度计划"))
    Organization.objects.select_for_update().filter(pk=organization.pk).first()  # two clicks at once: one plan
    if AnnualPlan.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(
            {"year": _("%(year)s年度计划已经存在，不能再以上一年度为基础新建") % {"year": year}}
        )
    previous = AnnualPlan.objects.filter(organization=organization, year=year - 1).first()
    if previous is None:
        raise ValidationError(_("没有%(year)s年度计划，不能以上一年度为基础新建") % {"year": year - 1})
    plan = plan_create(
        organization=organization, year=year, theme=previous.theme, by=by,
        **{name: getattr(previous, name) for name in ("theme_custom", "featured_work", "theory_research", "school_targets")},
    )  # fmt: skip
    result = PlanStart(plan=plan, previous=previous)
    active_names = set(
        Member.objects.filter(organization__path__startswith=organization.path, is_active=True).values_list("name", flat=True)
    )
    for old in previous.items.order_by("position", "pk"):
        kept = old.responsible if _still_active(old.responsible, active_names) else ""
        item = TargetItem(
            plan=plan, copied_from=old, responsible=kept, deadline=one_year_later(old.deadline), position=old.position,
            **{name: getattr(old, name) for name in ITEM_FIELDS if name not in ("responsible", "deadline")},
        )  # fmt: skip
        check_deadline(plan, item.deadline)
        item.full_clean(exclude=[] if kept else ["responsible"])
        item.save()
        result.items.append(item)
        if not kept:
            result.to_reassign.append((item, old.responsible))
    result.long_term = _long_term_moved_on(organization=organization, year=year, by=by)
    return result
