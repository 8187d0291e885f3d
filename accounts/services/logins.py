"""First login with an activation code, password reset by SMS code, and deactivating a login."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.channels import Channel, ChannelError, enabled_channels
from notifications.outbox import direct_send
from organizations import access
from organizations.models import Member
from organizations.services import member_update

from ..models import OneTimeCode, Purpose
from .codes import code_check, code_create, normalize

logger = logging.getLogger(__name__)

WRONG_CODE = gettext_lazy("登录名或激活码不正确，或激活码已使用、已过期")


def _set_password(user, password1: str, password2: str) -> None:
    if password1 != password2:
        raise ValidationError({"password2": _("两次输入的密码不一致")})
    try:
        password_validation.validate_password(password1, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user.set_password(password1)


@transaction.atomic
def account_activate(*, username: str, code: str, password1: str, password2: str, phone: str = "", email: str = ""):
    """Use an activation code: set the password (the site's validators), bind phone and email to the member record,
    and make the login active. The code is used up; a wrong, used, revoked or expired code changes nothing."""
    user = get_user_model().objects.filter(username__iexact=(username or "").strip()[:150]).first()
    row = code_check(user=user, purpose=Purpose.ACTIVATION, code=code) if user else None
    if row is None:
        raise ValidationError({"code": WRONG_CODE})
    # lock the code row: two submissions of one code at the same moment use it once
    row = OneTimeCode.objects.select_for_update().get(pk=row.pk)
    if not row.is_usable:
        raise ValidationError({"code": WRONG_CODE})
    _set_password(user, password1, password2)
    member = Member.objects.filter(user=user).first()
    phone, email = (phone or "").strip(), (email or "").strip()
    if member is not None and (phone or email):
        try:
            member_update(member=member, **{k: v for k, v in {"phone": phone, "email": email}.items() if v})
        except ValidationError as exc:
            raise ValidationError(
                {k: v for k, v in exc.message_dict.items() if k in ("phone", "email")} or exc
            ) from exc
    if email:
        user.email = email
    user.is_active = True
    user.save()
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return user


def _user_by_phone(phone: str):
    phone = normalize(phone)
    if not phone.isdigit() or not 5 <= len(phone) <= 20:
        return None
    users = list(get_user_model().objects.filter(member__phone=phone, is_active=True)[:2])
    return users[0] if len(users) == 1 else None


def sms_reset_request(*, phone: str) -> bool:
    """Send a 6-digit reset code by SMS to the login bound to this phone. Returns whether one went out; the page
    says the same either way, so that nobody learns which numbers have logins."""
    if Channel.SMS not in enabled_channels():
        raise ValidationError(_("本平台未开通短信服务，请用邮箱找回或请书记重新发放激活码"))
    user = _user_by_phone(phone)
    if user is None:
        return False
    minutes = settings.SMS_RESET_CODE_MINUTES
    with transaction.atomic():
        code = code_create(user=user, purpose=Purpose.SMS_RESET, expires=datetime.timedelta(minutes=minutes),
                           sent_via=Channel.SMS)  # fmt: skip
    text = _("【168平台】您的重置密码验证码：%(c)s，%(m)d分钟内有效。") % {"c": code, "m": minutes}
    try:
        direct_send(channel=Channel.SMS, address=normalize(phone), kind="password_reset", text=text,
                    params=[code, str(minutes)])  # fmt: skip
    except ChannelError as exc:
        logger.warning("password reset SMS for user %s failed: %s", user.pk, exc)
        OneTimeCode.objects.filter(user=user, purpose=Purpose.SMS_RESET, used_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        raise ValidationError(_("短信发送失败，请稍后再试")) from exc
    return True


@transaction.atomic
def password_reset_by_sms(*, phone: str, code: str, password1: str, password2: str):
    """Set a new password with the code sent by SMS; single use, expiring; a wrong code changes nothing."""
    user = _user_by_phone(phone)
    row = code_check(user=user, purpose=Purpose.SMS_RESET, code=code) if user else None
    if row is None:
        raise ValidationError({"code": _("手机号或验证码不正确，或验证码已过期")})
    row = OneTimeCode.objects.select_for_update().get(pk=row.pk)
    if not row.is_usable:
        raise ValidationError({"code": _("手机号或验证码不正确，或验证码已过期")})
    _set_password(user, password1, password2)
    user.save()
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return user


def _check_manager(by, member: Member) -> None:
    if not access.can_edit(by, member.organization):
        raise ValidationError(_("只能管理本单位及下级组织成员的登录账号"))
    if not member.user_id:
        raise ValidationError(_("该成员没有登录账号"))
    if member.user_id == by.pk:
        raise ValidationError(_("不能停用自己的登录账号"))


@transaction.atomic
def login_deactivate(*, by, member: Member):
    """Stop the member's login: it can no longer sign in, and its unused codes are revoked. Records are kept."""
    _check_manager(by, member)
    user = member.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    OneTimeCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return user


@transaction.atomic
def login_reactivate(*, by, member: Member):
    """Let a stopped login sign in again (its password unchanged)."""
    _check_manager(by, member)
    if not member.is_active:
        raise ValidationError(_("已离开名册的成员不能恢复登录"))
    user = member.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
