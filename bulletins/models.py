"""简报: a typical unit's write-up of good practice (好做法、好经验), approved by the committee that designated it and
published as one issue (第N期) of the committee's 简报, in the app and, if chosen, on the public pages.

The committee's 情况通报 to its subtree needs no table of its own: it is a posts.Notice of the committee with one
read receipt per member (posts.services.notice_issue), drafted here from the records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import DemonstrationUnit, Organization

from .enums import BriefState


class Brief(models.Model):
    demonstration = models.ForeignKey(
        DemonstrationUnit, on_delete=models.PROTECT, related_name="briefs", verbose_name=_("典型示范单位")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="briefs", verbose_name=_("报送单位")
    )
    committee = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="briefs_edited", verbose_name=_("编发单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("好做法、好经验"), max_length=8000)
    state = models.CharField(_("状态"), max_length=12, choices=BriefState.choices, default=BriefState.SUBMITTED)
    public = models.BooleanField(_("同时在公开页发布"), default=False)
    issue_no = models.PositiveSmallIntegerField(_("期号"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        ordering = ["-year", "-issue_no", "-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "issue_no"],
                condition=models.Q(issue_no__isnull=False),
                name="unique_brief_issue_no",
            ),
        ]
        indexes = [models.Index(fields=["committee", "state"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bulletins:brief_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == BriefState.PUBLISHED
