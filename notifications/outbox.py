"""Notices by SMS, 企业微信 and 钉钉: whom to reach by which channel, and sending each (notice, channel) once.

Routing happens when a notice is written: a person whose preferred channel the deployment offers and who can be
reached by it (a phone number on their member record, a 企业微信/钉钉 user id on their profile) gets a ChannelDelivery
row instead of an email; everyone else gets the email as before. Sending marks the row with a conditional UPDATE
inside a short transaction that commits once the provider accepted the message (the scheme of delivery.py), so two
workers never both send it and a process that dies before the commit leaves it pending for the next pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from organizations.models import Member

from .channels import Channel, ChannelError, Message, backend, enabled_channels
from .delivery import retry_delay
from .models import ChannelDelivery, ChannelPreference

logger = logging.getLogger(__name__)


def routes(user_ids) -> dict[int, tuple[str, str]]:
    """(channel, address) for each user who is to be reached by a channel other than email; two queries."""
    offered = set(enabled_channels()) - {Channel.EMAIL.value}
    if not offered or not user_ids:
        return {}
    prefs = {p.user_id: p for p in ChannelPreference.objects.filter(user_id__in=user_ids, channel__in=offered)}
    if not prefs:
        return {}
    phones = dict(Member.objects.filter(user_id__in=prefs).exclude(phone="").values_list("user_id", "phone"))
    result = {}
    for user_id, pref in prefs.items():
        address = {
            Channel.SMS: phones.get(user_id, ""),
            Channel.WECOM: pref.wecom_userid,
            Channel.DINGTALK: pref.dingtalk_userid,
        }.get(pref.channel, "")
        if address:
            result[user_id] = (pref.channel, address)
    return result


def pending():
    return ChannelDelivery.objects.filter(sent_at__isnull=True).filter(
        Q(next_at__isnull=True) | Q(next_at__lte=timezone.now())
    )


@dataclass
class Sent:
    sent: int = 0
    failed: list[int] = field(default_factory=list)


def text_of(notice) -> str:
    today = timezone.localdate()
    parts = [notice.subject_on(today), notice.body_on(today), notice.deadline_text]
    return "\n".join(p for p in parts if p)


def channel_deliver(*, notice_ids=None, ids=None) -> Sent:
    """Send every pending channel message (optionally only these notices' or these rows); each exactly once."""
    qs = pending().select_related("notice")
    if notice_ids is not None:
        qs = qs.filter(notice_id__in=notice_ids)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    result = Sent()
    backends = {}
    for row in qs.order_by("pk"):
        try:
            with transaction.atomic(savepoint=False):
                if not pending().filter(pk=row.pk).update(sent_at=timezone.now()):
                    continue
                notice = row.notice
                message = Message(address=row.address, kind="reminder", text=text_of(notice),
                                  params=[notice.subject_on(timezone.localdate())])  # fmt: skip
                try:
                    if row.channel not in backends:
                        backends[row.channel] = backend(row.channel)
                    provider_id = backends[row.channel].send(message)
                except (ChannelError, ValueError) as exc:
                    logger.warning("%s for notice %s failed: %s", row.channel, notice.pk, exc)
                    ChannelDelivery.objects.filter(pk=row.pk).update(
                        sent_at=None, attempts=F("attempts") + 1, error=str(exc)[:300],
                        next_at=timezone.now() + retry_delay(row.attempts + 1),
                    )  # fmt: skip
                    result.failed.append(row.pk)
                    continue
                ChannelDelivery.objects.filter(pk=row.pk).update(provider_id=provider_id[:100])
        except DatabaseError as exc:
            logger.warning("%s for notice %s not sent: %s", row.channel, row.notice_id, exc)
            result.failed.append(row.pk)
            continue
        result.sent += 1
    return result


def direct_send(*, channel: str, address: str, kind: str, text: str, params: list[str]) -> str:
    """A message that is no notice (an activation or reset code): sent now, never stored; raises ChannelError."""
    return backend(channel).send(Message(address=address, kind=kind, text=text, params=params))


@transaction.atomic
def channel_preference_set(*, user, channel: str, wecom_userid: str = "", dingtalk_userid: str = ""):
    """Record how the user wants reminders: one of the channels the deployment offers, with the address it needs."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if channel not in enabled_channels():
        raise ValidationError({"channel": _("本平台未开通这种通知方式")})
    if channel == Channel.SMS and not Member.objects.filter(user=user).exclude(phone="").exists():
        raise ValidationError({"channel": _("请先在本人信息中填写手机号")})
    if channel == Channel.WECOM and not wecom_userid.strip():
        raise ValidationError({"wecom_userid": _("请填写企业微信账号")})
    if channel == Channel.DINGTALK and not dingtalk_userid.strip():
        raise ValidationError({"dingtalk_userid": _("请填写钉钉账号")})
    pref, _created = ChannelPreference.objects.get_or_create(user=user)
    pref.channel = channel
    pref.wecom_userid = wecom_userid.strip()
    pref.dingtalk_userid = dingtalk_userid.strip()
    pref.full_clean(exclude=["user"])
    pref.save()
    return pref
