"""A member leaves the roster (离任) or moves (组织关系转接): the record stays, with its history; the login ends or
follows. The rule for open commitments is in docs/policy.md (组织关系转接); posts.apps carries it out."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.pages import app_offers

from .. import access
from ..enums import OrgKind, Role
from ..models import LeaveKind, Member, MemberTransfer, Organization, RoleAssignment


def _check_by(by, member: Member) -> None:
    if not access.can_edit(by, member.organization) or member.user_id == getattr(by, "pk", None):
        raise ValidationError(_("您不能为这个人办理离任或转接"))
    if not member.is_active:
        raise ValidationError(_("这个人已不在册"))


def _check_date(value, field: str) -> None:
    if value is None:
        raise ValidationError({field: _("请填写日期")})
    if value > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天")})


def _off_roster(member: Member, *, kind: str, on, left_to: str, reason: str) -> None:
    member.is_active = False
    member.leave_kind = kind
    member.left_on = on
    member.left_to = left_to
    member._change_reason = reason
    member.full_clean()
    member.save()
    if member.user_id:
        user = member.user
        user.is_active = False  # the login ends; the record and its history stay
        user.save(update_fields=["is_active"])
        for grant in RoleAssignment.objects.filter(user_id=member.user_id):
            grant._change_reason = reason
            grant.delete()


@transaction.atomic
def member_leave(*, by, member: Member, left_on, note: str = "") -> Member:
    """离任: off the roster from `left_on`, login deactivated, roles ended; every record the member made stays."""
    member = Member.objects.select_for_update(of=("self",)).select_related("organization", "user").get(pk=member.pk)
    _check_by(by, member)
    _check_date(left_on, "left_on")
    _off_roster(member, kind=LeaveKind.LEFT, on=left_on, left_to="", reason=note or _("离任"))
    return member


def _check_destination(by, member: Member, to: Organization) -> None:
    if not access.can_edit(by, to):
        raise ValidationError(
            {"to_organization": _("转入的组织不在您负责的范围内；跨县（市、区）转接请由市委教育工委办理")}
        )
    if to.pk == member.organization_id:
        raise ValidationError({"to_organization": _("已在这个组织")})
    if to.is_closed:
        raise ValidationError({"to_organization": _("“%(name)s”已撤销") % {"name": to.name}})
    if to.kind != OrgKind.BRANCH and (not to.is_grassroots or to.numchild):
        raise ValidationError({"to_organization": _("请选择党支部（或没有下设支部的基层党组织）")})
    if member.staff_no and Member.objects.filter(organization=to, staff_no=member.staff_no).exists():
        raise ValidationError({"to_organization": _("转入的支部已有人使用这个工号")})


@transaction.atomic
def member_transfer(
    *,
    by,
    member: Member,
    transferred_on,
    to_organization: Organization | None = None,
    to_outside: str = "",
    note: str = "",
) -> MemberTransfer:
    """组织关系转接. Within the city (`to_organization`, in `by`'s subtree): the member's record moves with its
    history, the member role follows, roles at organizations the member leaves end, and open commitments move by the
    rule of docs/policy.md. Out of the city (`to_outside`, the receiving unit's name): the member is marked 转出 and
    the login ends, as for 离任."""
    member = Member.objects.select_for_update(of=("self",)).select_related("organization", "user").get(pk=member.pk)
    _check_by(by, member)
    _check_date(transferred_on, "transferred_on")
    to_outside = (to_outside or "").strip()
    if (to_organization is None) == (not to_outside):
        raise ValidationError({"to_organization": _("请选择转入的支部，或填写转往的市外单位（二选一）")})
    old = member.organization
    transfer = MemberTransfer(
        member=member,
        from_organization=old,
        to_organization=to_organization,
        to_outside=to_outside,
        transferred_on=transferred_on,
        note=note,
        by=by,
    )
    if to_organization is None:
        transfer.full_clean()
        reason = _("组织关系转出至%(to)s") % {"to": to_outside}
        _off_roster(member, kind=LeaveKind.TRANSFERRED_OUT, on=transferred_on, left_to=to_outside, reason=reason)
        moved = app_offers("member_transferred", member, old, None, by)
    else:
        to = Organization.objects.get(pk=to_organization.pk)
        _check_destination(by, member, to)
        transfer.full_clean()
        reason = _("组织关系转接：%(old)s → %(new)s") % {"old": old.name, "new": to.name}
        member.organization = to
        member._change_reason = reason
        member.full_clean()
        member.save()
        if member.user_id:
            for grant in RoleAssignment.objects.filter(user_id=member.user_id).select_related("organization"):
                grant._change_reason = reason
                if (
                    grant.role == Role.MEMBER
                    and RoleAssignment.objects.filter(
                        user_id=member.user_id, organization=to, role=Role.MEMBER
                    ).exists()
                ):
                    grant.delete()
                elif grant.role == Role.MEMBER:
                    grant.organization = to
                    grant.save(update_fields=["organization"])
                elif not to.path.startswith(grant.organization.path):
                    grant.delete()  # a secretary's role at the branch left does not travel
            access.forget(member.user)
        moved = app_offers("member_transferred", member, old, to, by)
    transfer.commitments_moved = sum(moved)
    transfer.save()
    return transfer
