"""The inbox (Notice) and the record that makes each reminder go out at most once (Dispatch)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization


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
