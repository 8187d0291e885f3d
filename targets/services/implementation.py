"""Step 5 组织实施: progress recorded on a target item (with an evidence file) and 联帮带 joint activities."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from machinery.uploads import validate_upload
from years.selectors import ensure_year_writable

from ..models import AnnualPlan, JointActivity, ProgressEntry, TargetItem


@transaction.atomic
def progress_record(*, item: TargetItem, by, recorded_on, status: str, percent: int, note: str, evidence=None):
    """Record progress on an item (its status and percent follow), with an optional evidence file (pdf, image or
    office file, ≤ 20 MB, checked by content)."""
    ensure_year_writable(item.plan.year)
    entry = ProgressEntry(item=item, recorded_on=recorded_on, status=status, percent=percent, note=note, recorded_by=by)
    if evidence:
        validate_upload(evidence)
        entry.evidence_name = evidence.name[:200]
    entry.full_clean(exclude=["evidence"])
    if evidence:
        entry.evidence.save(evidence.name, evidence, save=False)
    entry.save()
    TargetItem.objects.filter(pk=item.pk).update(status=status, percent=percent, version=F("version") + 1)
    item.refresh_from_db(fields=["status", "percent", "version"])
    return entry


@transaction.atomic
def joint_activity_create(*, plan: AnnualPlan, by, **fields) -> JointActivity:
    """Record a 联帮带 activity: which organizations and teams, when, what was done."""
    ensure_year_writable(plan.year)
    activity = JointActivity(plan=plan, created_by=by, **fields)
    activity.full_clean()
    activity.save()
    return activity

