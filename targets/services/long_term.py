"""长远目标: the organization's long-term target per track and title (above the highest honour held, due in 3–5
years) and its recorded outcome."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.enums import honour_level_rank
from organizations.models import Organization

from .. import selectors
from ..enums import TargetOutcome
from ..models import LongTermTarget


@transaction.atomic
def long_term_target_set(
    *, organization: Organization, track: str, title: str, level: str, due_year: int, by, start_year: int | None = None
) -> LongTermTarget:
    """Create or adjust the organization's long-term target for a track and title. Guarantees a level above the
    highest honour held (the same level only when that is already 中央), a due year 3–5 years after the start year,
    and records the highest level held when it was set."""
    start_year = start_year or timezone.localdate().year
    if not 3 <= due_year - start_year <= 5:
        raise ValidationError({"due_year": _("长远目标的实现年度应在起始年度之后 3 至 5 年")})
    held = selectors._highest(organization).get(title)
    if held is not None and held.level != level and honour_level_rank(level) <= honour_level_rank(held.level):
        raise ValidationError(
            {"level": _("争创级别应高于现有最高荣誉（%(held)s）") % {"held": held.get_level_display()}}
        )
    target, _created = LongTermTarget.objects.get_or_create(
        organization=organization,
        track=track,
        title=title,
        defaults={"level": level, "start_year": start_year, "due_year": due_year},
    )
    target.level, target.start_year, target.due_year = level, start_year, due_year
    target.held_level = held.level if held else ""
    target.updated_by = by
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def long_term_target_record_outcome(*, target: LongTermTarget, outcome: str, note: str, by) -> LongTermTarget:
    """Record whether the target was reached (or set it back to pending), with when and by whom."""
    if outcome == TargetOutcome.MISSED and not note.strip():
        raise ValidationError({"outcome_note": _("未实现时请说明原因")})
    target.outcome, target.outcome_note, target.updated_by = outcome, note.strip(), by
    target.outcome_recorded_at = None if outcome == TargetOutcome.PENDING else timezone.now()
    target.full_clean()
    target.save()
    return target

