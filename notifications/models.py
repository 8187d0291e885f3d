"""The inbox (Notice) and the record that makes each reminder go out at most once (Dispatch)."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .sweep import cn_date, days_refreshed, subject_key


class Dispatch(models.Model):
    """One reminder that went out: per (unit or recipient, kind, period, offset), claimed before anything is sent.

    The unique `key` is the whole guarantee: the sweep inserts the row and writes the notices in the same
    transaction, so a second sweep (or a second worker at the same moment) finds the key taken and sends nothing.
    """

    key = models.CharField(_("唯一键"), max_length=200)
    kind = models.CharField(_("提醒类别"), max_length=60)
    period = models.CharField(_("期次"), max_length=40)
    offset = models.SmallIntegerField(_("相对截止日（天）"), help_text=_("负数为截止前，正数为截止后"))
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("接收人"),
    )
    subject = models.CharField(_("标题"), max_length=200)
    recipients = models.PositiveIntegerField(_("接收人数"), default=0)
    run = models.CharField(_("扫描批次"), max_length=32, db_index=True)
    created_at = models.DateTimeField(_("发出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒发送记录")
        verbose_name_plural = _("提醒发送记录")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["key"], name="unique_dispatch_key")]
        indexes = [models.Index(fields=["kind", "period"])]

    def __str__(self) -> str:
        return self.key

    @property
    def subject_key(self) -> str:
        return subject_key(self.kind, self.period, self.organization_id, self.recipient_id)


class Notice(models.Model):
    """A message in one user's inbox; emailed too when the user had an address when it was written."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("接收人")
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    dispatch = models.ForeignKey(
        Dispatch, null=True, blank=True, on_delete=models.CASCADE, related_name="notices", verbose_name=_("提醒")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # email: the address at the time of writing; emailed_at is set in the same transaction that hands it to the server
    email = models.EmailField(_("邮箱"), blank=True)
    emailed_at = models.DateTimeField(_("邮件发出时间"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("邮件失败次数"), default=0)
    email_error = models.CharField(_("邮件错误"), max_length=300, blank=True)
    # a failed email is tried again from this time on (backoff), until it goes out or its reminder is obsolete
    email_next_at = models.DateTimeField(_("邮件下次重试时间"), null=True, blank=True)
    email_obsolete_at = models.DateTimeField(
        _("邮件作废时间"), null=True, blank=True, help_text=_("提醒已失效（已办理或已过期），未发出的邮件不再发送")
    )
    # the deadline a reminder is about: "还有N天" is computed from it when the notice is shown or emailed
    deadline = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["emailed_at"], name="notice_email_pending", condition=models.Q(emailed_at__isnull=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "recipient"], name="unique_notice_per_dispatch_recipient"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def email_pending(self) -> bool:
        return bool(self.email) and self.emailed_at is None and self.email_obsolete_at is None

    def subject_on(self, day: datetime.date) -> str:
        """The subject as of `day`: a “还有N天截止” written when the notice was made is counted again from the deadline."""
        return days_refreshed(self.subject, self.deadline, day)

    def body_on(self, day: datetime.date) -> str:
        return days_refreshed(self.body, self.deadline, day)

    @property
    def subject_today(self) -> str:
        return self.subject_on(timezone.localdate())

    @property
    def body_today(self) -> str:
        return self.body_on(timezone.localdate())

    @property
    def deadline_text(self) -> str:
        """“截止日期：2026年3月20日”, or "" for a notice about no deadline."""
        return gettext("截止日期：%(date)s") % {"date": cn_date(self.deadline)} if self.deadline else ""

    @property
    def days_left(self) -> int | None:
        return (self.deadline - timezone.localdate()).days if self.deadline else None

    @property
    def is_overdue(self) -> bool:
        return self.deadline is not None and self.days_left < 0

    @property
    def days_left_text(self) -> str:
        """“还有 3 天” / “今天截止” / “已逾期 2 天”, counted today from the stored deadline."""
        days = self.days_left
        if days is None:
            return ""
        if days > 0:
            return gettext("还有 %(n)d 天") % {"n": days}
        if days == 0:
            return gettext("今天截止")
        return gettext("已逾期 %(n)d 天") % {"n": -days}


class ChannelPreference(models.Model):
    """How a person wants to be reached besides the inbox, and their ids on the work-messaging platforms."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference", verbose_name=_("用户")
    )
    channel = models.CharField(_("首选通知方式"), max_length=16, default="email")
    wecom_userid = models.CharField(_("企业微信账号（UserID）"), max_length=64, blank=True)
    dingtalk_userid = models.CharField(_("钉钉账号（userid）"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知方式")
        verbose_name_plural = _("通知方式")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channel}"


class ChannelDelivery(models.Model):
    """A notice to go out by SMS, 企业微信 or 钉钉: one row per (notice, channel), marked sent in the transaction that
    hands it to the provider (the same exactly-once scheme as the notice's email)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("通知"))
    channel = models.CharField(_("方式"), max_length=16)
    address = models.CharField(_("地址"), max_length=64)
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    provider_id = models.CharField(_("服务商消息编号"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("失败次数"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    next_at = models.DateTimeField(_("下次重试时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("渠道发送记录")
        verbose_name_plural = _("渠道发送记录")
        constraints = [models.UniqueConstraint(fields=["notice", "channel"], name="unique_delivery_per_channel")]
        indexes = [
            models.Index(fields=["sent_at"], name="delivery_pending", condition=models.Q(sent_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.notice_id}"
