"""The six steps (policy 四) are completed strictly in order: completing a step whose predecessor is not done, or whose
own records are missing, raises ValidationError and writes nothing; only the last step done can be reopened."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from years.selectors import ensure_year_writable

from .. import selectors
from ..enums import STEP_ORDER, Step
from ..models import AnnualPlan, StepCompletion


@transaction.atomic
def step_complete(*, plan: AnnualPlan, step: str, by, note: str = "") -> StepCompletion:
    """Mark a step done, recording who and when. Refuses (nothing written) when the step it needs is not done, when
    its own records are missing, or when it is already done."""
    ensure_year_writable(plan.year)
    if step not in STEP_ORDER:
        raise ValidationError(_("没有这个步骤"))
    AnnualPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if StepCompletion.objects.filter(plan=plan, step=step).exists():
        raise ValidationError(_("第%(n)s步“%(label)s”已经完成") % {"n": STEP_ORDER.index(step) + 1, "label": Step(step).label})
    problems = selectors.step_blockers(plan, step)
    if problems:
        raise ValidationError(problems)
    completion = StepCompletion(plan=plan, step=step, completed_by=by, completed_at=timezone.now(), note=note[:200])
    completion.full_clean()
    completion.save()
    return completion


@transaction.atomic
def step_reopen(*, plan: AnnualPlan, step: str, by) -> None:
    """Undo a completion, only for the last step done (the ones after it must be open)."""
    ensure_year_writable(plan.year)
    later = STEP_ORDER[STEP_ORDER.index(step) + 1 :]
    if StepCompletion.objects.filter(plan=plan, step__in=later).exists():
        raise ValidationError(_("后面的步骤已经完成，不能重新打开这一步"))
    deleted, _rows = StepCompletion.objects.filter(plan=plan, step=step).delete()
    if not deleted:
        raise ValidationError(_("这一步尚未完成"))

