"""Writes to members: add, correct, invite to an account."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import OrgKind, Role
from ..models import (
    Member,
    Organization,
    RoleAssignment,
)

MEMBER_FIELDS = [
    "staff_no",
    "name",
    "gender",
    "political_status",
    "job",
    "role_group",
    "office",
    "phone",
    "email",
    "joined_party_on",
    "birth_year",
    "is_reserve_cadre",
    "reserve_reason",
    "is_active",
]


def _check_member(member: Member) -> None:
    if member.organization.kind != OrgKind.BRANCH and Organization.objects.get_children_count(member.organization):
        raise ValidationError({"organization": _("党员/教师应登记在党支部（或没有下设支部的基层党组织）")})
    if member.is_reserve_cadre and not member.reserve_reason.strip():
        raise ValidationError({"reserve_reason": _("列为后备干部时请写明理由")})
    if member.staff_no:
        clash = Member.objects.filter(organization=member.organization, staff_no=member.staff_no)
        if clash.exclude(pk=member.pk).exists():
            raise ValidationError({"staff_no": _("本支部已有人使用这个工号")})


@transaction.atomic
def member_create(*, organization: Organization, **fields) -> Member:
    """Add a member, teacher or backbone to a branch. Guarantees a valid, unique-by-工号 row."""
    member = Member(organization=organization, **{k: v for k, v in fields.items() if k in MEMBER_FIELDS})
    _check_member(member)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, **fields) -> Member:
    """Change a member's record (only the fields given). Same guarantees as member_create."""
    for name, value in fields.items():
        if name in MEMBER_FIELDS:
            setattr(member, name, value)
    _check_member(member)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_invite(*, member: Member, username: str):
    """Give the member a login with no usable password; the caller shows a one-time set-password link.

    Refuses a member who already has a login and a username already taken."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if member.user_id:
        raise ValidationError(_("该成员已有登录账号"))
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("请填写登录名")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("这个登录名已被使用")})
    user = User(username=username, first_name=member.name, email=member.email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    member.user = user
    member.save(update_fields=["user"])
    RoleAssignment.objects.get_or_create(
        user=user, organization=member.organization, role=Role.MEMBER, defaults={"title": member.job[:50]}
    )
    return user
