"""Writes to committee leaders (班子成员), their contact points (联系点) and visits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import COMMITTEE_KINDS
from ..models import (
    ContactPoint,
    ContactVisit,
    Leader,
    Organization,
)
from .tree import in_subtree


@transaction.atomic
def leader_create(*, organization: Organization, name: str, title: str, user=None) -> Leader:
    """Add a leadership member to a committee. Refuses an organization that is not a committee."""
    if organization.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("只有教育工委、高校党委和机关党委登记班子成员"))
    leader = Leader(organization=organization, name=name.strip(), title=title.strip(), user=user)
    leader.full_clean()
    leader.save()
    return leader


@transaction.atomic
def leader_update(*, leader: Leader, name: str, title: str, is_active: bool) -> Leader:
    """Correct a leadership member's name or title, or record that they left office (离任): their contact points
    stay on record, but they no longer count among the leaders who still need one."""
    leader.name, leader.title, leader.is_active = name.strip(), title.strip(), is_active
    leader.full_clean()
    leader.save(update_fields=["name", "title", "is_active"])
    return leader


@transaction.atomic
def contact_point_create(*, leader: Leader, organization: Organization, since, note: str = "") -> ContactPoint:
    """Link a leader to a unit under the leader's committee. Refuses the committee itself and a duplicate link."""
    committee = leader.organization
    if organization.pk == committee.pk or not in_subtree(organization, committee):
        raise ValidationError({"organization": _("联系点须是本单位所辖的党组织")})
    if ContactPoint.objects.filter(leader=leader, organization=organization).exists():
        raise ValidationError({"organization": _("该班子成员已联系这个单位")})
    point = ContactPoint(leader=leader, organization=organization, since=since, note=note.strip())
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def contact_visit_log(
    *,
    contact_point: ContactPoint,
    visited_on,
    guidance: str,
    difficulties: str = "",
    problems_solved: str = "",
    follow_up: str = "",
    recorded_by=None,
) -> ContactVisit:
    """Log a visit to a contact point: what was discussed, the difficulties the unit raised, what was solved and
    what follows. Refuses a date in the future or before the contact point was set up."""
    if visited_on and visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("日期不能晚于今天")})
    if visited_on and visited_on < contact_point.since:
        raise ValidationError({"visited_on": _("日期不能早于确定联系点的日期")})
    visit = ContactVisit(
        contact_point=contact_point,
        visited_on=visited_on,
        guidance=guidance.strip(),
        difficulties=difficulties.strip(),
        problems_solved=problems_solved.strip(),
        follow_up=follow_up.strip(),
        recorded_by=recorded_by,
    )
    visit.full_clean()
    visit.save()
    return visit
