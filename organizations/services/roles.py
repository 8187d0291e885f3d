"""Writes to roles: committee staff appoint and remove secretaries and staff in their subtree (with history)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import access
from ..enums import OrgKind, Role
from ..models import Member, Organization, RoleAssignment

# the roles one may hold at each kind of organization (a member's role comes with the login: member_invite)
ROLE_KINDS = {
    Role.CITY_STAFF: {OrgKind.CITY_COMMITTEE},
    Role.COUNTY_STAFF: {OrgKind.COUNTY_COMMITTEE, OrgKind.ZONE_COMMITTEE},
    Role.UNIT_STAFF: {OrgKind.UNIVERSITY_COMMITTEE, OrgKind.BUREAU_COMMITTEE},
    Role.SECRETARY: {
        OrgKind.SCHOOL_COMMITTEE,
        OrgKind.GENERAL_BRANCH,
        OrgKind.UNIVERSITY_COMMITTEE,
        OrgKind.BUREAU_COMMITTEE,
    },
    Role.BRANCH_SECRETARY: {OrgKind.BRANCH},
}


def assignable_roles(org: Organization) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Role.choices if org.kind in ROLE_KINDS.get(value, set())]


def _in_scope_user(by, username: str):
    """The login named `username` if its person works in `by`'s staff subtree (on a roster there, or holding a role
    there); otherwise None: nobody hands a role to someone they cannot see."""
    user = get_user_model().objects.filter(username__iexact=(username or "").strip(), is_active=True).first()
    if user is None:
        return None
    if access.is_superuser(by):
        return user
    q = access.organization_filter(by)
    on_roster = Member.objects.filter(q, user=user, is_active=True).exists()
    return user if on_roster or RoleAssignment.objects.filter(q, user=user).exists() else None


@transaction.atomic
def role_assign(*, by, organization: Organization, username: str, role: str, title: str = "") -> RoleAssignment:
    """Appoint the login `username` to `role` at `organization`. Refused (nothing written) unless the organization
    lies in `by`'s staff subtree, the role fits its kind, and the person is on a roster or holds a role there."""
    if not access.is_staff_of(by, organization):
        raise ValidationError(_("这个组织不在您负责的范围内"))
    if organization.is_closed:
        raise ValidationError(_("“%(name)s”已撤销，不能再任命") % {"name": organization.name})
    if organization.kind not in ROLE_KINDS.get(role, set()):
        raise ValidationError({"role": _("这一类组织不设这个角色")})
    user = _in_scope_user(by, username)
    if user is None:
        raise ValidationError({"username": _("在您负责的范围内没有这个登录名的人员")})
    if RoleAssignment.objects.filter(user=user, organization=organization, role=role).exists():
        raise ValidationError({"username": _("这个人已经担任这一角色")})
    grant = RoleAssignment(user=user, organization=organization, role=role, title=title)
    grant.full_clean()
    grant.save()
    access.forget(user)
    return grant


@transaction.atomic
def role_revoke(*, by, assignment: RoleAssignment) -> None:
    """End a staff or secretary role in `by`'s staff subtree (the history keeps who held it until when). Nobody
    removes their own role, nor a member's role (that ends with leaving: member_leave)."""
    assignment = RoleAssignment.objects.select_related("organization").select_for_update().get(pk=assignment.pk)
    if not access.is_staff_of(by, assignment.organization):
        raise ValidationError(_("这个组织不在您负责的范围内"))
    if assignment.user_id == by.pk:
        raise ValidationError(_("不能撤销自己的角色"))
    if assignment.role == Role.MEMBER:
        raise ValidationError(_("党员/教师的角色随离任或转出结束"))
    assignment.delete()
