"""Writes to typical demonstration units (典型示范单位) and their publicity."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import DemoKind
from ..models import (
    DemonstrationUnit,
    Leader,
    Organization,
    Publicity,
)
from .tree import in_subtree


def _check_demonstration(d: DemonstrationUnit) -> None:
    errors: dict[str, str] = {}
    if not d.designated_by.is_committee and not d.designated_by.is_grassroots:
        errors["designated_by"] = _("确定单位必须是党组织")
    if d.organization_id == d.designated_by_id or not in_subtree(d.organization, d.designated_by):
        errors["organization"] = _("示范单位必须是确定单位所辖的党组织")
    elif not d.organization.is_grassroots:
        errors["organization"] = _("示范单位必须是基层党组织（学校党委、党总支或党支部）")
    if d.kind == DemoKind.SINGLE:
        if bool(d.step) == bool(d.role):
            errors["step"] = _("单项典型须写明突出的是“六步工作法”中的一步，或“八个方面的作用”中的一个（只选一项）")
    else:
        d.step, d.role = "", ""
    if d.leader_id and d.leader.organization_id != d.designated_by_id:
        errors["leader"] = _("培育联系领导须是确定单位的班子成员")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def demonstration_create(
    *,
    designated_by: Organization,
    organization: Organization,
    kind: str,
    year: int,
    step: str = "",
    role: str = "",
    leader: Leader | None = None,
    notes: str = "",
) -> DemonstrationUnit:
    """Designate a typical unit. Guarantees: the unit is a grassroots organization under the designating committee;
    a single-aspect unit names exactly one step or role; the leader belongs to the designating committee."""
    d = DemonstrationUnit(
        designated_by=designated_by,
        organization=organization,
        kind=kind,
        year=year,
        step=step,
        role=role,
        leader=leader,
        notes=notes,
    )
    _check_demonstration(d)
    if DemonstrationUnit.objects.filter(organization=organization, designated_by=designated_by, year=year).exists():
        raise ValidationError(_("该单位在这一年度已被确定为示范单位"))
    d.full_clean()
    d.save()
    return d


@transaction.atomic
def demonstration_update(*, demonstration: DemonstrationUnit, **fields) -> DemonstrationUnit:
    """Change a typical unit's kind, aspect, leader or notes, with the same guarantees as on creation."""
    for name, value in fields.items():
        setattr(demonstration, name, value)
    _check_demonstration(demonstration)
    demonstration.full_clean()
    demonstration.save()
    return demonstration


@transaction.atomic
def publicity_add(*, demonstration: DemonstrationUnit, published_on, channel: str, title: str) -> Publicity:
    """Record a 宣传报道 (meeting, bulletin or media) of a typical unit."""
    item = Publicity(demonstration=demonstration, published_on=published_on, channel=channel, title=title.strip())
    item.full_clean()
    item.save()
    return item
