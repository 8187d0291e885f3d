"""Writes to periods, settings, self-evaluations and assessments, and closing a period into ratings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Member, Organization
from years.selectors import cn_date, ensure_year_writable

from ..assessors import assessment_refusal
from ..enums import Grade, PeriodState
from ..models import (
    Assessment,
    EvaluationPeriod,
    EvaluationSettings,
    PeriodReopening,
    Poll,
    Rating,
    SelfEvaluation,
    SelfEvaluationItem,
)
from ..participants import period_members, settings_for
from .absences import period_parts
from .common import STALE, ensure_open, notify
from .polls import poll_close, poll_results
from .scoring import grade_for, weighted_score
from .windows import Action, period_window


@transaction.atomic
def settings_save(*, organization: Organization, **fields) -> EvaluationSettings:
    """Store the organization's own weights, thresholds and scale. Weights sum to 100; thresholds descend.
    Closed results keep their snapshot and never change."""
    obj = EvaluationSettings.objects.filter(organization=organization).first() or EvaluationSettings(
        organization=organization
    )
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def period_create(*, organization: Organization, year: int, kind: str) -> EvaluationPeriod:
    """The period of one organization, with its poll and the dates of the window in force for it (years). Internal:
    periods are opened by ``periods_sweep`` when their window opens, nobody opens them by hand (demo data and tests
    use this one-organization path). One period of each kind per organization and year, grassroots only."""
    ensure_year_writable(year)
    if not organization.is_grassroots:
        raise ValidationError(_("考评期由基层党组织（学校党委、党总支、党支部）开展"))
    if EvaluationPeriod.objects.filter(organization=organization, year=year, kind=kind).exists():
        raise ValidationError(_("本年度该考评期已经存在"))
    period = EvaluationPeriod(organization=organization, year=year, kind=kind)
    window = period_window(period)
    period.opens_on, period.closes_on = window.opens_on, window.closes_on
    period.full_clean()
    period.save()
    Poll.objects.create(period=period)
    return period


@transaction.atomic
def self_evaluation_save(
    *, period: EvaluationPeriod, member: Member, summary: str, score: Decimal, items: list[tuple[object, str]] = ()
) -> SelfEvaluation:
    """The member's 述岗自评 for an open period: a summary, a self-score (0–100) and a line per commitment
    (posts.Commitment of the member; its words are copied so the evaluation keeps them)."""
    ensure_year_writable(period.year)
    for commitment, _text in items:
        if commitment.claim.member_id != member.pk:
            raise ValidationError(_("只能对本人的承诺进行自评"))
    ensure_open(period, Action.SELF_EVALUATION)
    if not period_members(period).filter(pk=member.pk).exists():
        raise ValidationError(_("您不在本考评期的参评名单中"))
    obj = SelfEvaluation.objects.filter(period=period, member=member).first() or SelfEvaluation(
        period=period, member=member
    )
    obj.summary, obj.score = summary, score
    obj.full_clean()
    obj.save()
    obj.items.all().delete()
    rows = [
        SelfEvaluationItem(
            self_evaluation=obj,
            commitment=c,
            commitment_ref=f"{c.get_aspect_display()}：{c.content}"[:300],
            text=text,
        )
        for c, text in items
    ]
    for row in rows:
        row.full_clean(exclude=["self_evaluation"])
    SelfEvaluationItem.objects.bulk_create(rows)
    return obj


@transaction.atomic
def assessment_save(
    *, period: EvaluationPeriod, member: Member, score: Decimal, comment: str, by, version: int | None = None
) -> Assessment:
    """党组织综合评定 for one member in an open period. A stale version (someone saved in between; 0 = the caller saw
    none) is refused and nothing is written; version=None skips the check. Nobody assesses themselves, and a
    secretary is assessed by the organization above the one she leads (services.assessors), whoever asks."""

    ensure_year_writable(period.year)
    ensure_open(period, Action.ASSESSMENT)
    if not period_members(period).filter(pk=member.pk).exists():
        raise ValidationError(_("该党员不在本考评期的参评名单中"))
    refusal = assessment_refusal(period=period, member=member, user=by)
    if refusal:
        raise ValidationError(refusal)
    obj = Assessment.objects.select_for_update().filter(period=period, member=member).first()
    if obj is None:
        obj = Assessment(period=period, member=member, by=by)
    elif version is not None and int(version) != obj.version:
        raise ValidationError(_(STALE))
    else:
        obj.version += 1
        obj.by = by
    obj.score, obj.comment = score, comment
    obj.full_clean()
    obj.save()
    return obj


def _absent_entry(part: str, mark, poll_note: str) -> dict:
    """Why a part is absent from a member's grade, as kept in the snapshot."""
    if mark is not None:
        return {
            "reason": mark.reason,
            "note": mark.note,
            "text": _("未参加（%(reason)s）") % {"reason": mark.reason_text},
            "by": mark.by_id,
            "at": mark.at.isoformat() if mark.at else None,
        }
    return {"reason": "poll_not_counted", "note": "", "text": poll_note}


def _rating_values(member, settings_snapshot, self_scores, poll_scores, poll_note, assessments, marks) -> dict:
    """The member's rating from the parts present: an absent part is left out and the other weights renormalize
    (never a zero). The snapshot says which parts were absent and why."""
    assessment = assessments.get(member.pk)
    parts = {
        "self": self_scores.get(member.pk),
        "poll": poll_scores.get(member.pk),
        "org": assessment.score if assessment else None,
    }
    score = weighted_score(parts, settings_snapshot["weights"])
    grade = grade_for(score, settings_snapshot["thresholds"])
    absent = {
        part: _absent_entry(part, marks.get(part), poll_note) for part, value in parts.items() if value is None
    }
    labels = {"self": _("述岗自评"), "poll": _("民意测评"), "org": _("党组织综合评定")}
    notes = [f"{labels[part]}：{entry['text']}，按其余各项权重折算" for part, entry in absent.items()]
    snapshot = {
        **settings_snapshot,
        "parts": {k: (str(v) if v is not None else None) for k, v in parts.items()},
        "weighted_score": str(score),
        "grade": grade.value,
        "notes": notes,
        "org_comment": assessment.comment if assessment else "",
    }
    if absent:
        snapshot["absent"] = absent
    return {
        "self_score": parts["self"],
        "poll_score": parts["poll"],
        "org_score": parts["org"],
        "weighted_score": score,
        "grade": grade,
        "snapshot": snapshot,
    }


@transaction.atomic
def period_close(*, period: EvaluationPeriod, by) -> list[Rating]:
    """Close the period: close its poll, compute every member's rating from the parts present with the weights and
    thresholds in force now, freeze them in a snapshot, publish, and notify the members.

    Nothing missing is a zero: refused (and nothing written) while any member lacks a needed part — the
    self-evaluation, the organization's assessment, or the poll when it counts — that is not marked 未参加 with a
    reason, and refused for a member left with no part that carries weight. A poll below its minimum is absent for
    everyone. Afterwards the period accepts no writes."""
    ensure_year_writable(period.year)

    period = EvaluationPeriod.objects.select_for_update().select_related("organization").get(pk=period.pk)
    ensure_open(period, Action.CLOSE)
    members = list(period_members(period))
    if not members:
        raise ValidationError(_("本考评期没有参评党员"))
    poll = Poll.objects.filter(period=period).first()
    poll_scores: dict = {}
    poll_note = _("未组织民意测评，不计入")
    counted = False
    if poll is not None:
        # closing the poll is undone with everything else if the close is refused below
        poll = poll_close(poll=poll)
        results = poll_results(poll)
        if results is None:
            poll_note = _("民意测评有效票 %(n)s 张，未达最少 %(min)s 张，不计入") % {
                "n": poll.ballot_count, "min": poll.minimum_ballots
            }
        else:
            poll_scores, counted = results, True
    states = period_parts(period, members=members, counted_poll=counted, poll_members=set(poll_scores))
    missing = [f"{s.member.name}（{s.missing_text()}）" for s in states if s.missing]
    if missing:
        raise ValidationError(
            _("以下人员尚有考评项目未完成，也未标记为未参加：%(names)s。请等待补齐，或在结束考评页逐项标记未参加及原因。")
            % {"names": "、".join(missing[:20]) + (f"等 {len(missing)} 人" if len(missing) > 20 else "")}
        )
    settings_snapshot = settings_for(period.organization).snapshot()
    if poll is not None and poll.scale:
        # the ballots were cast on the scale the poll was fixed with, whatever the settings say now
        settings_snapshot["scale"] = [dict(option) for option in poll.scale]
    weights = settings_snapshot["weights"]
    empty = [s.member.name for s in states if not any(int(weights[p]) for p in s.present if p in s.needed)]
    if empty:
        raise ValidationError(
            _("以下人员没有任何计分的考评项目，无法评定等次：%(names)s") % {"names": "、".join(empty[:20])}
        )
    assessments = {a.member_id: a for a in Assessment.objects.filter(period=period)}
    self_scores = dict(SelfEvaluation.objects.filter(period=period).values_list("member_id", "score"))
    marks = {s.member.pk: s.marks for s in states}
    now = timezone.now()
    existing = {r.member_id: r for r in Rating.objects.filter(period=period)}
    ratings = []
    for member in members:
        values = _rating_values(
            member, settings_snapshot, self_scores, poll_scores, poll_note, assessments, marks[member.pk]
        )
        rating = existing.get(member.pk) or Rating(period=period, member=member)
        if rating.pk:
            rating.version += 1
        for name, value in values.items():
            setattr(rating, name, value)
        rating.published, rating.published_at = True, now
        rating.full_clean(exclude=["period", "member"])
        rating.save()
        ratings.append(rating)
    period.state, period.closed_at, period.closed_by = PeriodState.CLOSED, now, by
    period.save(update_fields=["state", "closed_at", "closed_by"])
    url = reverse("evaluations:my_results")
    for member in members:
        notify(
            user=member.user,
            subject=_("%(period)s结果已公布") % {"period": str(period)},
            body=_("%(org)s %(period)s已结束，您的考评结果已公布。") % {"org": period.organization.name, "period": period},
            url=url,
            key=f"evaluations:published:{period.pk}:{member.pk}:{period.closed_at:%Y%m%d%H%M%S}",
        )
    return ratings


REOPEN_MAX_DAYS = 30


@transaction.atomic
def period_reopen(
    *, period: EvaluationPeriod, by, reason: str, until: datetime.date | None = None, today: datetime.date | None = None
) -> EvaluationPeriod:
    """Reopen a closed period: an explicit act recorded with who, why and until when (a day from today to
    REOPEN_MAX_DAYS ahead). Until that day the period accepts writes even after its window closed. Results are
    withdrawn until it closes again (closing recomputes them with the settings then in force)."""
    ensure_year_writable(period.year)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写重新开放的理由")})
    today = today or timezone.localdate()
    if until is None:
        raise ValidationError({"until": _("请填写重新开放到哪一天")})
    if until < today:
        raise ValidationError({"until": _("开放截止日期不能早于今天")})
    latest = today + datetime.timedelta(days=REOPEN_MAX_DAYS)
    if until > latest:
        raise ValidationError(
            {"until": _("重新开放最长 %(n)s 天（至%(last)s）") % {"n": REOPEN_MAX_DAYS, "last": cn_date(latest)}}
        )
    period = EvaluationPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_open:
        raise ValidationError(_("该考评期尚未结束"))
    if period.kind != "year" and EvaluationPeriod.objects.filter(
        organization_id=period.organization_id, year=period.year, kind="year", state=PeriodState.CLOSED
    ).exists():
        raise ValidationError(_("年终总评已结束，本年度的其他考评期不能再重新开放"))
    record = PeriodReopening(period=period, by=by, reason=reason, until=until)
    record.full_clean()
    record.save()
    period.state, period.closed_at, period.reopened_until = PeriodState.OPEN, None, until
    period.save(update_fields=["state", "closed_at", "reopened_until"])
    for rating in Rating.objects.filter(period=period, published=True):
        rating.published = False
        rating.version += 1
        rating.save(update_fields=["published", "version"])
    return period


def grade_counts(ratings) -> dict[str, int]:
    counts = {g.value: 0 for g in Grade}
    for grade in ratings:
        counts[grade] = counts.get(grade, 0) + 1
    return counts
