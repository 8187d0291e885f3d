"""One-time codes: activation codes a secretary issues (printed or sent), and password-reset codes sent by SMS.

A code is stored only as a hash (the plain code exists in the issuing request, on the printed sheet and in the
message); it is single-use and expires."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Member, Organization


class Purpose(models.TextChoices):
    ACTIVATION = "activation", _("激活码")
    SMS_RESET = "sms_reset", _("短信重置密码验证码")


class IssueBatch(models.Model):
    """The logins a secretary issued at once (the printed sheet is of one batch)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发放人")
    )
    created_at = models.DateTimeField(_("发放时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("账号发放批次")
        verbose_name_plural = _("账号发放批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.created_at:%Y-%m-%d %H:%M}"


class OneTimeCode(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes", verbose_name=_("登录账号")
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("成员")
    )
    batch = models.ForeignKey(
        IssueBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="codes", verbose_name=_("批次")
    )
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(_("校验值"), max_length=128)
    sent_via = models.CharField(_("发送方式"), max_length=16, blank=True, help_text=_("空为打印"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一次性验证码")
        verbose_name_plural = _("一次性验证码")
        indexes = [models.Index(fields=["user", "purpose"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()
