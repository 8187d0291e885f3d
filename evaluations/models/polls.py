"""教职工民意测评: who has voted is kept apart from what was voted, and what was voted keeps no voting order.

PollCode is the participation record (a one-time code, used or not). What was voted is kept as tallies only
(PollTally): per poll, member and option of the scale, how many ballots chose it. There is no row per ballot: a row
per ballot, inserted as people vote, would carry the voting order in its id, its place in the table (SQLite rowid,
PostgreSQL ctid/xmin), and side by side with a log of when each code was used it would name each code's ballot.

Why tallies (and not ballots written later in shuffled batches): everything the poll needs is a count. The results
(average score per member), the distribution (per member per option), who was rated (a count above zero) and the
minimum-ballots rule (the number of ballots = the number of used codes: one code casts one ballot in the same
transaction) all read counts; nothing reads a single ballot. So nothing that follows time is stored: the tally rows
of a poll are created together (every member × every option, at count 0) before the first ballot counts, and each
ballot updates every tally row of the poll in one statement (count + 1 on the chosen options, + 0 on the others),
so which rows a ballot touched, and when, is the same whatever it chose. No simple-history on these tables (history
rows carry times). A signed poll (记名) keeps the name the voter signed with on the code's participation row; what they
chose goes into the same tallies.
"""

from __future__ import annotations

import secrets

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
    # only in a signed poll (记名测评): the name the voter signed with (what they chose is in the tallies, not here)
    signed_name = models.CharField(_("署名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("投票码")
        verbose_name_plural = _("投票码")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code


class PollTally(models.Model):
    """How many ballots of the poll gave `member` this option of the scale (label and score copied from the poll's
    scale, so later scale changes change nothing). Updated in place; never a row per ballot."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="tallies")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("评价"), max_length=20)
    score = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    count = models.PositiveIntegerField(_("票数"), default=0)

    class Meta:
        verbose_name = _("测评计票")
        verbose_name_plural = _("测评计票")
        ordering = ["poll", "member", "label"]
        constraints = [models.UniqueConstraint(fields=["poll", "member", "label"], name="poll_tally_unique")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.label} × {self.count}"
