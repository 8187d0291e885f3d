"""教职工民意测评: who has voted is kept apart from what was voted.

PollCode is the participation record (a one-time code, used or not). Ballot and BallotChoice hold what was voted,
with no user, no code, no timestamp and a random key: nothing in the database links a ballot to its code or voter.
"""

from __future__ import annotations

import secrets
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Member

from .periods import EvaluationPeriod

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from paper


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def new_public_key() -> str:
    return secrets.token_urlsafe(12)


class Poll(models.Model):
    """The staff opinion poll of a period. Counted only after it closes, and only at or above the minimum."""

    period = models.OneToOneField(EvaluationPeriod, on_delete=models.CASCADE, related_name="poll")
    public_key = models.CharField(max_length=32, unique=True, default=new_public_key, editable=False)
    minimum_ballots = models.PositiveSmallIntegerField(
        _("最少有效票数"), default=10, validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    anonymous = models.BooleanField(_("无记名投票"), default=True)
    opens_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("结束投票时间"), null=True, blank=True)
    closed = models.BooleanField(_("已结束"), default=False)
    # the organization's scale, fixed when the first codes are issued: every ballot of the poll uses the same options
    scale = models.JSONField(_("测评档次"), default=list, blank=True)
    # counted once, when closed (a ballot count, not a list: a count says nothing about who voted what)
    ballot_count = models.PositiveIntegerField(_("已投票数"), default=0)

    class Meta:
        verbose_name = _("民意测评")
        verbose_name_plural = _("民意测评")

    def __str__(self) -> str:
        return f"{self.period} 民意测评"

    @property
    def reached_minimum(self) -> bool:
        return self.ballot_count >= self.minimum_ballots


class PollCode(models.Model):
    """Participation only: a one-time code and whether it was used. It points at no ballot."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("投票码"), max_length=16, unique=True, default=new_code)
    used = models.BooleanField(_("已使用"), default=False)

    class Meta:
        verbose_name = _("投票码")
        verbose_name_plural = _("投票码")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code


class Ballot(models.Model):
    """What one voter chose. Deliberately without user, code or time; its key is random."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    # only for polls that are not anonymous (记名测评): the name the voter chose to sign with
    signed_name = models.CharField(_("署名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["key"]

    def __str__(self) -> str:
        return str(self.key)


class BallotChoice(models.Model):
    """One rating on a ballot; the score is copied from the scale so later scale changes change nothing."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=20)
    score = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("测评选项")
        verbose_name_plural = _("测评选项")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.label}"
