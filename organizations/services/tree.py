"""Writes to the tree: adding organizations, and an organization launching the 168 mechanism (推广面)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.pages import app_offers

from .. import access
from ..enums import OrgKind, Role
from ..models import (
    Member,
    Organization,
    RoleAssignment,
)


@transaction.atomic
def organization_create(*, parent: Organization | None, **fields) -> Organization:
    """Add an organization under `parent` (or as a root). Guarantees a valid row and a consistent tree path."""
    node = Organization(**fields)
    node.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return Organization.objects.add_root(instance=node)
    created = Organization.objects.add_child(parent, instance=node)
    parent.refresh_from_db(fields=["numchild"])
    return created


@transaction.atomic
def organization_launch(*, organization: Organization, launched_on) -> Organization:
    """Record when a grassroots organization launched the “168” mechanism (推广面)."""
    if not organization.is_grassroots:
        raise ValidationError(_("只有基层党组织登记推行“168”机制的日期"))
    if launched_on and launched_on > timezone.localdate():
        raise ValidationError({"launched_on": _("日期不能晚于今天")})
    organization.launched_on = launched_on
    organization.save(update_fields=["launched_on"])
    return organization


def in_subtree(org: Organization, top: Organization) -> bool:
    """Whether `org` lies in the subtree of `top` (itself included)."""
    return org.path.startswith(top.path)


# ---- committee staff manage the tree of their subtree ---------------------------------------------------------------

# which kinds may hang under which (a branch holds members, not organizations)
CHILD_KINDS = {
    OrgKind.CITY_COMMITTEE: set(OrgKind) - {OrgKind.CITY_COMMITTEE},
    OrgKind.COUNTY_COMMITTEE: {OrgKind.SCHOOL_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH},
    OrgKind.ZONE_COMMITTEE: {OrgKind.SCHOOL_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH},
    OrgKind.UNIVERSITY_COMMITTEE: {OrgKind.SCHOOL_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH},
    OrgKind.BUREAU_COMMITTEE: {OrgKind.GENERAL_BRANCH, OrgKind.BRANCH},
    OrgKind.SCHOOL_COMMITTEE: {OrgKind.GENERAL_BRANCH, OrgKind.BRANCH},
    OrgKind.GENERAL_BRANCH: {OrgKind.BRANCH},
    OrgKind.BRANCH: set(),
}


def _parent(node: Organization) -> Organization | None:
    return Organization.objects.get_parent(node, update=True)


def _require_staff(by, org: Organization | None) -> None:
    """Only committee staff whose subtree holds `org` change the tree there (404-like: the same message either way)."""
    if org is None or not access.is_staff_of(by, org):
        raise ValidationError(_("这个组织不在您负责的范围内"))


def _check_kind_under(parent: Organization, kind: str, field: str = "kind") -> None:
    if kind not in CHILD_KINDS.get(parent.kind, set()):
        raise ValidationError({field: _("“%(parent)s”下不能设立这一类组织") % {"parent": parent.name}})


def _check_open(org: Organization, field: str) -> None:
    if org.is_closed:
        raise ValidationError({field: _("“%(name)s”已撤销，不能再接收新的工作") % {"name": org.name}})


@transaction.atomic
def organization_add(*, by, parent: Organization, **fields) -> Organization:
    """A new organization under `parent`, which must lie in `by`'s staff subtree and be open."""
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    _require_staff(by, parent)
    _check_open(parent, "parent")
    _check_kind_under(parent, fields.get("kind", ""))
    if not fields.get("code"):
        fields["code"] = None
    return organization_create(parent=parent, **fields)


EDITABLE_FIELDS = ["name", "code", "school_name", "school_type", "secretary_name", "reports_quarterly"]


@transaction.atomic
def organization_update(*, by, organization: Organization, **fields) -> Organization:
    """Rename or correct an organization of `by`'s subtree (not its kind or place in the tree)."""
    _require_staff(by, organization)
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(organization, name, value)
    if not organization.code:
        organization.code = None
    organization.full_clean(exclude=["path", "depth", "numchild"])
    organization.save()
    return organization


@transaction.atomic
def organization_move(*, by, organization: Organization, new_parent: Organization) -> Organization:
    """Hang `organization` (with its subtree) under `new_parent`. Both its present parent and the new one must lie in
    `by`'s staff subtree: nobody moves their own scope, or anything out of it."""
    node = Organization.objects.select_for_update().get(pk=organization.pk)
    _require_staff(by, _parent(node))
    _require_staff(by, new_parent)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(node.path):
        raise ValidationError({"new_parent": _("不能移到它自己或它的下级组织之下")})
    _check_open(new_parent, "new_parent")
    _check_kind_under(new_parent, node.kind, "new_parent")
    if _parent(node).pk == new_parent.pk:
        raise ValidationError({"new_parent": _("已经在这个上级组织之下")})
    Organization.objects.move(node, new_parent, "last-child")
    node = Organization.objects.get(pk=node.pk)
    node._change_reason = _("移至“%(name)s”之下") % {"name": new_parent.name}
    node.save()  # a history row with the new place
    return node


@transaction.atomic
def organization_close(*, by, organization: Organization, closed_on=None) -> Organization:
    """撤销: the organization keeps its records (and its history) but takes no new work. It must first be emptied:
    no members on its roster, no open organizations below it."""
    node = Organization.objects.select_for_update().get(pk=organization.pk)
    _require_staff(by, _parent(node))
    if node.is_closed:
        raise ValidationError(_("这个组织已经撤销"))
    if Member.objects.filter(organization=node, is_active=True).exists():
        raise ValidationError(_("还有在册党员/教师：请先转接或合并到其他组织"))
    if Organization.objects.filter(path__startswith=node.path, depth__gt=node.depth, closed_on__isnull=True).exists():
        raise ValidationError(_("还有未撤销的下级组织：请先移走、合并或撤销"))
    return _close(node, closed_on or timezone.localdate(), _("撤销"))


def _close(node: Organization, closed_on, reason: str) -> Organization:
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("日期不能晚于今天")})
    node.closed_on = closed_on
    node.full_clean(exclude=["path", "depth", "numchild"])
    node._change_reason = reason
    node.save()
    # its staff and secretary roles end with it (members' roles moved with them in a merge)
    for grant in RoleAssignment.objects.filter(organization=node).exclude(role=Role.MEMBER):
        grant._change_reason = reason
        grant.delete()
    return node


@transaction.atomic
def organization_merge(*, by, organization: Organization, into: Organization, merged_on=None) -> dict:
    """Merge `organization` into `into` (see docs/policy.md, 组织的合并与撤销): its members (on the roster or not, with
    their member roles), its organizations below and its posts (with their claims and commitments) move to `into`; it is
    then closed with merged_into set, keeping everything else it recorded (plans, reports, honours), and its staff and
    secretary roles end. Both must lie in `by`'s staff subtree. Returns counts of what moved."""
    node = Organization.objects.select_for_update().get(pk=organization.pk)
    target = Organization.objects.select_for_update().get(pk=into.pk)
    _require_staff(by, _parent(node))
    _require_staff(by, target)
    if target.path.startswith(node.path):
        raise ValidationError({"into": _("不能并入它自己或它的下级组织")})
    if node.is_closed:
        raise ValidationError(_("这个组织已经撤销"))
    _check_open(target, "into")
    if node.kind != target.kind and not (target.is_grassroots and node.is_grassroots):
        raise ValidationError({"into": _("只能并入同一层级的组织")})
    reason = _("并入“%(name)s”") % {"name": target.name}
    moved = {"members": 0, "children": 0}
    for member in Member.objects.filter(organization=node):
        member.organization = target
        member._change_reason = reason
        member.save(update_fields=["organization"])
        moved["members"] += 1
    for grant in RoleAssignment.objects.filter(organization=node, role=Role.MEMBER):
        if RoleAssignment.objects.filter(user_id=grant.user_id, organization=target, role=Role.MEMBER).exists():
            grant.delete()
        else:
            grant.organization = target
            grant._change_reason = reason
            grant.save(update_fields=["organization"])
    for child in list(Organization.objects.filter(path__startswith=node.path, depth=node.depth + 1)):
        child = Organization.objects.get(pk=child.pk)  # paths change with each move
        Organization.objects.move(child, Organization.objects.get(pk=target.pk), "last-child")
        child = Organization.objects.get(pk=child.pk)
        child._change_reason = reason
        child.save()
        moved["children"] += 1
    # the apps above move what belongs with the members (posts and their commitments: posts.apps)
    for offered in app_offers("organization_merged", node, target, by):
        moved.update(offered)
    node = Organization.objects.get(pk=node.pk)
    node.merged_into = target
    _close(node, merged_on or timezone.localdate(), reason)
    return moved
