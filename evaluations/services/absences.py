"""Nothing missing is a zero: which parts of a period's rating each member still lacks, and marking a missing part
as 未参加 with a reason (so the grade is computed from the parts present, weights renormalized, and says so).

A part is needed when it can exist for everyone: the self-evaluation and the organization's assessment always; the
poll only when it counts (it reached its minimum number of ballots). A part that is present always wins over a mark
left on it earlier (a late self-evaluation is counted, not ignored).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Value
from django.utils.translation import gettext as _

from organizations.models import Member
from years.selectors import ensure_year_writable

from ..assessors import absence_refusal
from ..enums import Part
from ..models import Assessment, EvaluationPeriod, PartAbsence, Poll, PollCode, PollTally, SelfEvaluation
from ..participants import period_members
from .common import ensure_open

PARTS = [Part.SELF, Part.POLL, Part.ORG]


@dataclass
class MemberParts:
    """One member's parts in a period: which are present, which marked 未参加, which still missing."""

    member: Member
    present: set[str]
    marks: dict[str, PartAbsence]
    needed: list[str]
    missing: list[str] = field(init=False)
    absent: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.missing = [p for p in self.needed if p not in self.present and p not in self.marks]
        # the marks that count: on a needed part that is still not there
        self.absent = [p for p in self.needed if p not in self.present and p in self.marks]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.absent

    @property
    def has_any_part(self) -> bool:
        return any(p in self.present for p in self.needed)

    def missing_text(self) -> str:
        return "、".join(str(Part(p).label) for p in self.missing)


def poll_counts(poll: Poll | None) -> bool:
    """Whether the poll will count when the period closes: it reached its minimum number of ballots (a number, not
    a result: nothing about how anyone voted is read)."""
    if poll is None:
        return False
    ballots = poll.ballot_count if poll.closed else getattr(poll, "used_codes", None)
    if ballots is None:
        ballots = PollCode.objects.filter(poll=poll, used=True).count()
    return ballots >= poll.minimum_ballots


def period_poll(period: EvaluationPeriod) -> Poll | None:
    """The period's poll with its number of used codes (`used_codes`, which poll_counts reads): one query."""
    return (
        Poll.objects.filter(period=period).annotate(used_codes=Count("codes", filter=Q(codes__used=True))).first()
    )


def polled_members(poll: Poll | None, counted: bool) -> set[int]:
    """The members any ballot of a poll that counts rated (none when it does not count)."""
    if poll is None or not counted:
        return set()
    return set(PollTally.objects.filter(poll=poll, count__gt=0).values_list("member_id", flat=True).distinct())


def period_parts(
    period: EvaluationPeriod, *, members=None, counted_poll: bool | None = None, poll_members: set[int] | None = None
) -> list[MemberParts]:
    """Every member of the period with the parts present, marked and missing (three queries). When closing, the
    caller passes what the closed poll counted (`counted_poll`, `poll_members`); otherwise the poll's state now
    decides (or the caller passes what it read of the poll now). Poll presence is whether any ballot rated the
    member, never what it said."""
    members = list(period_members(period).select_related("organization")) if members is None else list(members)
    # who has a self-evaluation and who an assessment: one query
    present_rows = (
        SelfEvaluation.objects.filter(period=period).annotate(part=Value(Part.SELF.value)).values_list("member_id", "part")
        .union(
            Assessment.objects.filter(period=period).annotate(part=Value(Part.ORG.value)).values_list("member_id", "part"),
            all=True,
        )
    )  # fmt: skip
    selfs, assessed = set(), set()
    for member_id, part in present_rows:
        (selfs if part == Part.SELF.value else assessed).add(member_id)
    if counted_poll is None:
        poll = period_poll(period)
        counted_poll = poll_counts(poll)
        poll_members = polled_members(poll, counted_poll)
    poll_members = poll_members or set()
    needed = [p.value for p in PARTS if p != Part.POLL or counted_poll]
    marks: dict[int, dict[str, PartAbsence]] = {}
    for mark in PartAbsence.objects.filter(period=period).select_related("by"):
        marks.setdefault(mark.member_id, {})[mark.part] = mark
    out = []
    for m in members:
        present = {
            p
            for p, has in ((Part.SELF.value, m.pk in selfs), (Part.POLL.value, m.pk in poll_members),
                           (Part.ORG.value, m.pk in assessed))
            if has
        }  # fmt: skip
        out.append(MemberParts(member=m, present=present, marks=marks.get(m.pk, {}), needed=needed))
    return out


def _part_present(period: EvaluationPeriod, member: Member, part: str) -> bool:
    if part == Part.SELF:
        return SelfEvaluation.objects.filter(period=period, member=member).exists()
    if part == Part.ORG:
        return Assessment.objects.filter(period=period, member=member).exists()
    return PollTally.objects.filter(poll__period=period, member=member, count__gt=0).exists()


@transaction.atomic
def absence_mark(
    *, period: EvaluationPeriod, member: Member, part: str, reason: str, note: str = "", by
) -> PartAbsence:
    """Mark one part of a member's rating 未参加 with a reason (病假 / 外出 / 其他, 其他 needs a note), while the period
    is open and only for a member rated in it, and only for a part that is not there. Marking again changes the
    reason. The grade is then computed without the part, and carries its flag. Who marks follows who assesses
    (assessors.absence_refusal): nobody marks a part of their own rating, a secretary's parts are marked from above."""
    ensure_year_writable(period.year)
    period = EvaluationPeriod.objects.select_for_update().get(pk=period.pk)
    ensure_open(period)
    if part not in Part.values:
        raise ValidationError({"part": _("请选择考评项目")})
    if not period_members(period).filter(pk=member.pk).exists():
        raise ValidationError(_("该人员不在本考评期的参评名单中"))
    refusal = absence_refusal(period=period, member=member, user=by)
    if refusal:
        raise ValidationError(refusal)
    if _part_present(period, member, part):
        raise ValidationError(
            {"part": _("%(name)s的%(part)s已有结果，无需标记未参加") % {"name": member.name, "part": Part(part).label}}
        )
    obj = PartAbsence.objects.filter(period=period, member=member, part=part).first() or PartAbsence(
        period=period, member=member, part=part
    )
    obj.reason, obj.note, obj.by = reason, note, by
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def absence_clear(*, absence: PartAbsence, by) -> None:
    """Withdraw a 未参加 mark while the period is open: the part is missing again until it comes or is marked. Only
    whoever may mark it (nobody withdraws a mark on their own rating)."""
    ensure_year_writable(absence.period.year)
    period = EvaluationPeriod.objects.select_for_update().get(pk=absence.period_id)
    ensure_open(period)
    member = Member.objects.select_related("organization").get(pk=absence.member_id)
    refusal = absence_refusal(period=period, member=member, user=by)
    if refusal:
        raise ValidationError(refusal)
    PartAbsence.objects.filter(pk=absence.pk).delete()
