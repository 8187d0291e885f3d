"""The staff opinion poll: one-time codes, ballots that cannot be traced, counting only after close."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Member
from years.selectors import ensure_year_writable

from ..models import Ballot, BallotChoice, Poll, PollCode
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
    """Cast one ballot with a one-time code. The code is marked used and the ballot is stored with no code, no
    user and no time, so it can never be traced back. Every member must be rated with an option of the scale.
    Returns nothing: not even the ballot's key leaves this function."""
    ensure_year_writable(poll.period.year)
    if poll.period.is_open:
        ensure_in_window(poll.period, action=Action.VOTE)
    if not poll_is_accepting(poll):
        raise ValidationError(_("本次民意测评不在投票时间内"))
    if not poll.scale:  # codes issued before polls kept their scale: it is fixed at the first ballot
        _fix_scale(poll)
    scale = poll.scale
    rows = []
    errors = []
    for member in members:
        index = choices.get(member.pk)
        if index is None or not (0 <= int(index) < len(scale)):
            errors.append(member.name)
            continue
        option = scale[int(index)]
        rows.append((member, str(option["label"]), Decimal(str(option["score"]))))
    if errors:
        raise ValidationError(_("请为每一位评议对象选择评价：%(names)s") % {"names": "、".join(errors)})
    if not poll.anonymous and not signed_name.strip():
        raise ValidationError({"signed_name": _("本次测评为记名测评，请填写姓名")})
    if not PollCode.objects.filter(poll=poll, code=code, used=False).update(used=True):
        raise ValidationError(_("此投票码已使用"))
    ballot = Ballot(poll=poll, signed_name="" if poll.anonymous else signed_name.strip()[:50])
    ballot.full_clean()
    ballot.save(force_insert=True)
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, member=member, label=label, score=score) for member, label, score in rows]
    )


@transaction.atomic
def poll_close(*, poll: Poll) -> Poll:
    """Stop voting and count the ballots (a number only). Idempotent."""
    ensure_year_writable(poll.period.year)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not poll.closed:
        poll.closed = True
        poll.ballot_count = Ballot.objects.filter(poll=poll).count()
        poll.save(update_fields=["closed", "ballot_count"])
    return poll


def poll_results(poll: Poll) -> dict[int, Decimal] | None:
    """Average score per member, or None while the poll is open or below its minimum number of ballots."""
    if not poll.closed or not poll.reached_minimum:
        return None
    rows = (
        BallotChoice.objects.filter(ballot__poll=poll)
        .values("member_id")
        .annotate(avg=Avg("score"))
        .values_list("member_id", "avg")
    )
    return {member_id: Decimal(str(avg)).quantize(Decimal("0.01")) for member_id, avg in rows}


def poll_distribution(poll: Poll) -> dict[int, dict[str, int]] | None:
    """How many of each option every member received; same visibility rule as poll_results."""
    if not poll.closed or not poll.reached_minimum:
        return None
    from django.db.models import Count

    out: dict[int, dict[str, int]] = {}
    rows = BallotChoice.objects.filter(ballot__poll=poll).values("member_id", "label").annotate(n=Count("key"))
    for row in rows:
        out.setdefault(row["member_id"], {})[row["label"]] = row["n"]
    return out
