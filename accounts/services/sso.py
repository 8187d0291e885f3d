"""Single sign-on (OpenID Connect, CAS): the identity a provider vouches for is matched to a person on the roster by
工号 (Member.staff_no) or mobile number. The provider never creates anyone and never grants a role: a member on the
roster with no login yet gets the member's own login (the member role of their branch, from the roster, exactly as
an issued activation code would give); anyone else is refused with a message saying what to do."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Member
from organizations.services import member_invite

from .codes import _username_for

NOT_ON_ROSTER = gettext_lazy(
    "统一身份认证已通过，但平台名册中没有与您的工号或手机号相符的在册人员，未能登录。"
    "请联系本支部书记在名册中登记您的工号和手机号后再试，或使用平台账号和密码登录。"
)


def _phone(value: str) -> str:
    """Digits only, without the country code of a +86 number (OpenID Connect gives E.164: +8613900000001)."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def _one(value) -> str:
    """A claim or CAS attribute may come as a list; its first value, as text."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


@transaction.atomic
def sso_login_for(*, staff_no: str | list, phone: str | list) -> AbstractBaseUser:
    """The login of the one active member whose 工号 (or else mobile number) the provider reported.

    Guarantees: a 工号 shared by several members is narrowed by the phone; no match, or more than one, refuses with
    a Chinese message (ValidationError) and writes nothing; a stopped login is refused; no user is ever made for
    anyone who is not on the roster, and no role beyond the member role their roster entry carries."""
    staff_no, phone = _one(staff_no)[:32], _phone(_one(phone))
    members = Member.objects.filter(is_active=True).select_related("user", "organization")
    found: list[Member] = []
    if staff_no:
        found = list(members.filter(staff_no=staff_no)[:10])
        if len(found) > 1 and phone:
            found = [m for m in found if _phone(m.phone or "") == phone]
    if not found and len(phone) >= 5:
        found = list(members.filter(phone=phone)[:10])
    if not found:
        raise ValidationError(NOT_ON_ROSTER)
    if len(found) > 1:
        raise ValidationError(
            _("名册中有多名在册人员与您的工号或手机号相符，无法确定是哪一位，未能登录。请联系本支部书记核对名册。")
        )
    member = found[0]
    if member.user is None:
        return member_invite(member=member, username=_username_for(member))
    if not member.user.is_active:
        raise ValidationError(_("您的平台登录已停用，未能登录。如需恢复，请联系本支部书记。"))
    return member.user
