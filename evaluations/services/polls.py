"""The staff opinion poll: one-time codes, ballots kept as tallies only (no row per ballot, nothing in voting order),
counting only after close."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Member
from organizations.signals import rows_changed
from years.selectors import ensure_year_writable

from ..models import Poll, PollCode, PollTally
from ..participants import settings_for
from .common import ensure_open
from .windows import Action, ensure_in_window, window_refusal

MAX_CODES = 500


@transaction.atomic
def poll_update(*, poll: Poll, minimum_ballots: int, anonymous: bool, opens_at=None, closes_at=None) -> Poll:
    """Change the poll's minimum, window and anonymity. Once the poll has started (poll_started) what decides
    whether its result counts — the minimum number of ballots, anonymity, the opening time — is fixed: a change is
    refused and nothing is written (the scale is fixed with it, see poll_scale). Only the closing time may move."""
    ensure_year_writable(poll.period.year)
    poll = Poll.objects.select_for_update().select_related("period__organization").get(pk=poll.pk)
    ensure_open(poll.period, Action.POLL)
    if poll.closed:
        raise ValidationError(_("民意测评已结束，不能再修改"))
    if poll_started(poll):
        locked = {
            "minimum_ballots": (minimum_ballots, poll.minimum_ballots, _("民意测评已开始，最少有效票数不能再修改")),
            "anonymous": (anonymous, poll.anonymous, _("民意测评已开始，不能再更改是否无记名")),
            "opens_at": (opens_at, poll.opens_at, _("民意测评已开始，开始投票时间不能再修改")),
        }
        errors = {name: message for name, (new, old, message) in locked.items() if new != old}
        if errors:
            raise ValidationError(errors)
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("结束投票时间须晚于开始时间")})
    poll.minimum_ballots, poll.anonymous, poll.opens_at, poll.closes_at = minimum_ballots, anonymous, opens_at, closes_at
    poll.full_clean()
    poll.save()
    return poll


@transaction.atomic
def poll_codes_generate(*, poll: Poll, count: int) -> list[PollCode]:
    """Issue `count` new one-time codes (1–500 at a time) for an open poll. Codes are unique across all polls."""
    ensure_year_writable(poll.period.year)
    ensure_open(poll.period, Action.POLL)
    if poll.closed:
        raise ValidationError(_("民意测评已结束，不能再生成投票码"))
    if not 1 <= int(count) <= MAX_CODES:
        raise ValidationError({"count": _("每次可生成 1 至 %(n)s 个投票码") % {"n": MAX_CODES}})
    made: list[PollCode] = []
    while len(made) < count:
        try:
            with transaction.atomic():
                made.extend(PollCode.objects.bulk_create([PollCode(poll=poll) for _ in range(count - len(made))]))
        except IntegrityError:  # a random code collided; draw again
            continue
    _fix_scale(poll)
    rows_changed.send(sender=PollCode)  # bulk_create sends no post_save (the secretary's work list counts codes)
    return made


def poll_started(poll: Poll, now=None) -> bool:
    """The poll has started once its voting codes are handed out or its opening time has come (a ballot needs a
    code, so a ballot means it has started). From then on its minimum, anonymity, opening time and scale are fixed:
    a result must count or not by the rules the voters were given."""
    now = now or timezone.now()
    if poll.opens_at is not None and poll.opens_at <= now:
        return True
    return PollCode.objects.filter(poll=poll).exists()


def poll_scale(poll: Poll) -> list[dict]:
    """The options voters choose from: fixed on the poll when its first codes were issued; until then the
    organization's current scale (evaluation settings)."""
    if poll.scale:
        return poll.scale

    return settings_for(poll.period.organization).poll_scale


def _fix_scale(poll: Poll) -> None:
    """Copy the organization's scale onto the poll, once: later changes of the settings do not reach it."""
    fresh = Poll.objects.select_for_update().select_related("period__organization").get(pk=poll.pk)
    if not fresh.scale:
        fresh.scale = [dict(option) for option in poll_scale(fresh)]
        fresh.save(update_fields=["scale"])
    poll.scale = fresh.scale


def poll_is_accepting(poll: Poll, now=None) -> bool:
    now = now or timezone.now()
    if poll.closed or not poll.period.is_open:
        return False
    if poll.opens_at and now < poll.opens_at:
        return False
    if poll.closes_at and now >= poll.closes_at:
        return False
    # outside the period's window (years' calendar) nobody votes
    return window_refusal(poll.period, action=Action.VOTE, today=timezone.localdate(now)) is None


@transaction.atomic
def ballot_cast(
    *, poll: Poll, code: str, choices: dict[int, int], members: list[Member], signed_name: str = ""
) -> None:
    """Cast one ballot with a one-time code. The code is marked used and the choices are added to the poll's tallies:
    no row per ballot, no code, no user, no time, so the voting order is nowhere and a ballot can never be traced back.
    Every member must be rated with an option of the scale. Returns nothing."""
    ensure_year_writable(poll.period.year)
    if poll.period.is_open:
        ensure_in_window(poll.period, action=Action.VOTE)
    if not poll_is_accepting(poll):
        raise ValidationError(_("本次民意测评不在投票时间内"))
    code = (code or "").strip().upper()
    if not PollCode.objects.filter(poll=poll, code=code).exists():
        raise ValidationError({"code": _("投票码无效，请核对投票单上的投票码")})
    if not poll.scale:  # codes issued before polls kept their scale: it is fixed at the first ballot
        _fix_scale(poll)
    scale = poll.scale
    picks = {}
    errors = []
    for member in members:
        index = choices.get(member.pk)
        if index is None or not (0 <= int(index) < len(scale)):
            errors.append(member.name)
            continue
        picks[member.pk] = str(scale[int(index)]["label"])
    if errors:
        raise ValidationError(_("请为每一位评议对象选择评价：%(names)s") % {"names": "、".join(errors)})
    if not poll.anonymous and not signed_name.strip():
        raise ValidationError({"signed_name": _("本次测评为记名测评，请填写姓名")})
    signed = {} if poll.anonymous else {"signed_name": signed_name.strip()[:50]}
    if not PollCode.objects.filter(poll=poll, code=code, used=False).update(used=True, **signed):
        raise ValidationError(_("此投票码已使用"))
    poll_tally_add(poll=poll, members=members, picks=picks)


def poll_tally_add(*, poll: Poll, members: list[Member], picks: dict[int, str]) -> None:
    """Add one ballot (member pk → chosen label) to the poll's tallies. The rows for every member × option exist
    (created at count 0, in member and scale order, whatever was chosen); one UPDATE then touches every tally row of
    the poll (+1 where chosen, +0 elsewhere), so which rows changed, and in what order, says nothing about the ballot."""
    scale = poll.scale or poll_scale(poll)
    wanted = {(m.pk, str(o["label"])): Decimal(str(o["score"])) for m in members for o in scale}
    have = set(PollTally.objects.filter(poll=poll).values_list("member_id", "label"))
    missing = [
        PollTally(poll=poll, member_id=member_id, label=label, score=score)
        for (member_id, label), score in wanted.items()
        if (member_id, label) not in have
    ]
    PollTally.objects.bulk_create(missing, ignore_conflicts=True)  # a concurrent first ballot may create them too
    if not picks:
        return
    chosen = Q()
    for member_id, label in picks.items():
        chosen |= Q(member_id=member_id, label=label)
    PollTally.objects.filter(poll=poll).update(
        count=F("count") + Case(When(chosen, then=Value(1)), default=Value(0))
    )


def poll_votes(poll: Poll | None) -> int:
    """How many ballots the poll holds now: one per used code (a code is marked used in the same transaction that
    adds its ballot to the tallies)."""
    if poll is None:
        return 0
    return PollCode.objects.filter(poll=poll, used=True).count()


@transaction.atomic
def poll_close(*, poll: Poll) -> Poll:
    """Stop voting and count the ballots (a number only). Idempotent."""
    ensure_year_writable(poll.period.year)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not poll.closed:
        poll.closed = True
        poll.ballot_count = poll_votes(poll)
        poll.save(update_fields=["closed", "ballot_count"])
    return poll


def poll_results(poll: Poll) -> dict[int, Decimal] | None:
    """Average score per member, or None while the poll is open or below its minimum number of ballots."""
    if not poll.closed or not poll.reached_minimum:
        return None
    sums: dict[int, list[Decimal]] = {}
    for member_id, score, count in PollTally.objects.filter(poll=poll, count__gt=0).values_list(
        "member_id", "score", "count"
    ):
        total = sums.setdefault(member_id, [Decimal(0), Decimal(0)])
        total[0] += score * count
        total[1] += count
    return {member_id: (s / n).quantize(Decimal("0.01")) for member_id, (s, n) in sums.items()}


def poll_distribution(poll: Poll) -> dict[int, dict[str, int]] | None:
    """How many of each option every member received; same visibility rule as poll_results."""
    if not poll.closed or not poll.reached_minimum:
        return None
    out: dict[int, dict[str, int]] = {}
    rows = PollTally.objects.filter(poll=poll, count__gt=0).values_list("member_id", "label", "count")
    for member_id, label, count in rows:
        out.setdefault(member_id, {})[label] = count
    return out
