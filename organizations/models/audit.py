"""Events the staff audit page lists besides record changes (those are the simple-history tables): logins, failed
logins, and exports or downloads of personal data. Kept AUDIT_RETENTION_DAYS days (organizations.services.audit)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tree import Organization


class AuditKind(models.TextChoices):
    CHANGE = "change", _("修改记录")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    EXPORT = "export", _("导出/下载")


class AuditEvent(models.Model):
    kind = models.CharField(_("类别"), max_length=16, choices=AuditKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人员"),
    )
    # the name typed at a failed login (there may be no such user)
    username = models.CharField(_("登录名"), max_length=150, blank=True)
    # whose data (an export) or whose login: the audit page of every committee above it lists the event
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )
    what = models.CharField(_("内容"), max_length=300, blank=True)
    path = models.CharField(_("网址"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.at:%Y-%m-%d %H:%M}"
