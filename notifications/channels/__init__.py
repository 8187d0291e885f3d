"""Notification channels: how a notice reaches a person besides the inbox.

Email is the default channel (delivery.py). A deployment turns on further channels with environment variables
(docs/operations.md): SMS through Tencent Cloud SMS (sms.py), 企业微信 and 钉钉 application messages (wecom.py,
dingtalk.py). Each person picks a preferred channel on their profile page; a notice then goes by that channel alone
(when the deployment has it and the person can be reached by it), else by email. Each (notice, channel) is sent once:
see services.channel_deliver.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Backend, ChannelError, Message


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")


def enabled_channels() -> list[str]:
    """The channels this deployment offers: email always, the others when their settings are complete."""
    names = [Channel.EMAIL.value]
    if getattr(settings, "SMS_SECRET_ID", "") and getattr(settings, "SMS_SDK_APP_ID", ""):
        names.append(Channel.SMS.value)
    if getattr(settings, "WECOM_CORP_ID", "") and getattr(settings, "WECOM_AGENT_ID", ""):
        names.append(Channel.WECOM.value)
    if getattr(settings, "DINGTALK_APP_KEY", "") and getattr(settings, "DINGTALK_AGENT_ID", ""):
        names.append(Channel.DINGTALK.value)
    return names


def backend(name: str) -> Backend:
    """The backend of a non-email channel, configured from settings."""
    if name == Channel.SMS:
        from .sms import TencentSms

        return TencentSms.from_settings()
    if name == Channel.WECOM:
        from .wecom import WeCom

        return WeCom.from_settings()
    if name == Channel.DINGTALK:
        from .dingtalk import DingTalk

        return DingTalk.from_settings()
    raise ValueError(name)


__all__ = ["Backend", "Channel", "ChannelError", "Message", "backend", "enabled_channels"]
