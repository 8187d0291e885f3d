"""Activation codes: issued by a secretary for chosen members, each one-time, expiring, stored only as a hash."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from notifications.channels import Channel, ChannelError, enabled_channels
from notifications.outbox import direct_send
from organizations import access
from organizations.models import Member
from organizations.services import member_invite

from ..models import IssueBatch, OneTimeCode, Purpose

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper
CODE_LENGTH = 10
MAX_PER_BATCH = 300


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize(code: str) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:32]


def code_hash(user_id: int, code: str) -> str:
    return salted_hmac("accounts.one-time-code", f"{user_id}:{normalize(code)}", algorithm="sha256").hexdigest()


def pretty(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_check(*, user, purpose: str, code: str) -> OneTimeCode | None:
    """The user's usable code of this purpose that matches `code`, or None."""
    wanted = code_hash(user.pk, code)
    now = timezone.now()
    for row in OneTimeCode.objects.filter(
        user=user, purpose=purpose, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ):
        if constant_time_compare(row.code_hash, wanted):
            return row
    return None


def code_create(*, user, purpose: str, expires: datetime.timedelta, member=None, batch=None, sent_via="") -> str:
    """A fresh code for the user; every earlier unused code of the same purpose is revoked. Returns the plain code."""
    now = timezone.now()
    OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    code = new_code() if purpose == Purpose.ACTIVATION else "".join(secrets.choice("0123456789") for _ in range(6))
    row = OneTimeCode(user=user, member=member, batch=batch, purpose=purpose, code_hash=code_hash(user.pk, code),
                      expires_at=now + expires, sent_via=sent_via)  # fmt: skip
    row.full_clean(exclude=["user", "member", "batch"])
    row.save()
    return code


def _username_for(member: Member) -> str:
    User = get_user_model()
    base = (member.staff_no or "".join(lazy_pinyin(member.name)) or f"m{member.pk}").lower()
    base = "".join(ch for ch in base if ch.isalnum() or ch in "._-")[:30] or f"m{member.pk}"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


@dataclass
class Issued:
    member: Member
    username: str
    code: str  # plain, for the sheet of this request only
    sent_via: str  # "sms", "email" or "" (printed)


def _route(member: Member, send: bool) -> str:
    if not send:
        return ""
    if member.phone and Channel.SMS in enabled_channels():
        return Channel.SMS.value
    if member.email:
        return Channel.EMAIL.value
    return ""


@transaction.atomic
def logins_issue(*, by, organization, member_ids: list[int], send: bool = False) -> tuple[IssueBatch, list[Issued]]:
    """Give each chosen member a login (if they have none) and a new one-time activation code.

    Guarantees: every member must lie in `organization`'s subtree, which `by` may manage, and be on the roster;
    otherwise nothing at all is written. Earlier unused codes of these members are revoked. With `send`, each code
    goes after commit by SMS (when the deployment has SMS and the member a phone) or by email (when the member has an
    address); the others are for the printed sheet. Plain codes are returned, never stored.
    """
    if not access.can_edit(by, organization):
        raise ValidationError(_("只能为本单位及下级组织的成员发放登录账号"))
    ids = {int(i) for i in member_ids}
    if not ids:
        raise ValidationError(_("请至少选择一名成员"))
    if len(ids) > MAX_PER_BATCH:
        raise ValidationError(_("一次最多发放%(n)d个账号") % {"n": MAX_PER_BATCH})
    members = list(
        Member.objects.filter(pk__in=ids, organization__path__startswith=organization.path)
        .select_related("user", "organization")
        .order_by("organization__path", "name")
    )
    if len(members) != len(ids):
        raise ValidationError(_("所选成员中有不属于本单位的人员，未发放任何账号"))
    if any(not m.is_active for m in members):
        raise ValidationError(_("已离开名册的成员不能发放账号"))
    if any(m.user_id and m.user == by for m in members):
        raise ValidationError(_("不能给自己发放激活码"))
    batch = IssueBatch.objects.create(organization=organization, issued_by=by)
    days = datetime.timedelta(days=settings.ACTIVATION_CODE_DAYS)
    issued = []
    for member in members:
        user = member.user or member_invite(member=member, username=_username_for(member))
        via = _route(member, send)
        code = code_create(user=user, purpose=Purpose.ACTIVATION, expires=days, member=member, batch=batch,
                           sent_via=via)  # fmt: skip
        issued.append(Issued(member=member, username=user.username, code=pretty(code), sent_via=via))
    transaction.on_commit(lambda: _send_codes([i for i in issued if i.sent_via]))
    return batch, issued


def _send_codes(issued: list[Issued]) -> None:
    days = str(settings.ACTIVATION_CODE_DAYS)
    link = settings.SITE_URL.rstrip("/") + "/accounts/activate/"
    for item in issued:
        text = _("【168平台】您的登录名：%(u)s，激活码：%(c)s，%(d)s天内有效。请打开 %(link)s 设置密码。") % {
            "u": item.username, "c": item.code, "d": days, "link": link,
        }  # fmt: skip
        try:
            if item.sent_via == Channel.SMS:
                direct_send(channel=Channel.SMS, address=item.member.phone, kind="activation", text=text,
                            params=[item.code, days])  # fmt: skip
            else:
                send_mail(_("【168平台】登录账号激活码"), text, None, [item.member.email])
        except (ChannelError, OSError) as exc:  # the code is still on the printed sheet
            item.sent_via = ""
            OneTimeCode.objects.filter(member=item.member, used_at__isnull=True, revoked_at__isnull=True).update(
                sent_via=""
            )
            import logging

            logging.getLogger(__name__).warning("activation code for member %s not sent: %s", item.member.pk, exc)
