"""Year-end writes: 民主评议党员, award nominations and honours, reserve cadres, 限期整改."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Member, Organization
from years.selectors import ensure_year_writable

from ..enums import (
    Grade,
    NominationState,
    PeriodKind,
    PeriodState,
    ProposalState,
    RectificationState,
)
from ..models import (
    AwardRound,
    MemberHonour,
    Nomination,
    Rating,
    Rectification,
    RectificationFollowUp,
    ReserveCadreProposal,
)
from ..selectors import nomination_eligibility
from .common import notify

RESERVE_MAX_AGE = 40
RESERVE_GRADES = {Grade.EXCELLENT, Grade.GOOD}


def year_grade(member: Member, year: int) -> str:
    """The member's published 年终总评 grade of the year, or ''."""
    rating = (
        Rating.objects.filter(member=member, period__year=year, period__kind=PeriodKind.YEAR, published=True)
        .only("grade")
        .first()
    )
    return rating.grade if rating else ""


@transaction.atomic
def award_round_create(*, organization: Organization, by, **fields) -> AwardRound:
    """Open a nomination round run by a school organization or a committee."""
    ensure_year_writable(fields.get("year"))
    if organization.kind == "branch":
        raise ValidationError(_("评选由学校党组织或上级党委组织，党支部负责推荐"))
    obj = AwardRound(organization=organization, created_by=by, **fields)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def nomination_submit(*, round: AwardRound, member: Member, deeds: str, by, today=None) -> Nomination:
    """A branch nominates a member within the submission window; the nominee's details are copied now. Only an
    eligible member (selectors.nomination_eligibility: no 较差 or 不合格 in the year, no unfinished 限期整改, not
    already nominated in the round) is nominated: otherwise refused with the reasons and nothing is written."""
    ensure_year_writable(round.year)

    today = today or timezone.localdate()
    if not (round.submit_from <= today <= round.submit_until):
        raise ValidationError(_("不在推荐时间内（%(a)s 至 %(b)s）") % {"a": round.submit_from, "b": round.submit_until})
    if not member.organization.path.startswith(round.organization.path):
        raise ValidationError(_("只能推荐本组织范围内的党员"))
    if not member.is_party_member:
        raise ValidationError(_("只能推荐中共党员（含预备党员）"))
    # the round's nominations are counted under its lock, so two secretaries cannot nominate the same member at once
    AwardRound.objects.select_for_update().filter(pk=round.pk).first()
    reasons = nomination_eligibility(round, [member])[member.pk]
    if reasons:
        raise ValidationError(
            {"member": _("不能推荐%(name)s：%(reasons)s") % {"name": member.name, "reasons": "；".join(reasons)}}
        )
    obj = Nomination(
        round=round,
        member=member,
        nominating_org=member.organization,
        name=member.name,
        gender=member.get_gender_display(),
        job=member.job,
        organization_name=member.organization.name,
        year_grade=Grade(year_grade(member, round.year)).label if year_grade(member, round.year) else "",
        deeds=deeds,
        submitted_by=by,
    )
    obj.full_clean()
    obj.save()
    return obj


def _confer(nomination: Nomination) -> MemberHonour:
    honour = MemberHonour(
        member=nomination.member,
        title=nomination.round.title,
        level=nomination.round.level,
        year=nomination.round.year,
        conferred_by=nomination.round.organization.name,
        nomination=nomination,
    )
    honour.full_clean()
    honour.save()
    notify(
        user=nomination.member.user,
        subject=_("荣誉：%(title)s") % {"title": nomination.round.get_title_display()},
        body=_("您被评为%(round)s。") % {"round": nomination.round},
        url=reverse("evaluations:my_results"),
        key=f"evaluations:honour:{honour.pk}",
    )
    return honour


@transaction.atomic
def nomination_review(*, nomination: Nomination, endorse: bool, note: str, by, today=None) -> Nomination:
    """The school organization reviews a nomination within the review window. For school- and county-level titles
    endorsement approves it (and confers the honour); city-level ones then wait for the committee. A refusal needs
    a reason."""
    ensure_year_writable(nomination.round.year)
    nomination = Nomination.objects.select_for_update().select_related("round__organization", "member").get(
        pk=nomination.pk
    )
    if (today or timezone.localdate()) > nomination.round.review_until:
        raise ValidationError(_("审核已于 %(d)s 截止") % {"d": nomination.round.review_until})
    if nomination.state != NominationState.SUBMITTED:
        raise ValidationError(_("只有待审核的推荐可以审核"))
    if not endorse and not note.strip():
        raise ValidationError({"note": _("不通过须填写理由")})
    nomination.decision_note = note.strip()
    if not endorse:
        nomination.state = NominationState.REJECTED
    elif nomination.round.needs_committee:
        nomination.state = NominationState.ENDORSED
    else:
        nomination.state = NominationState.APPROVED
    nomination.full_clean()
    nomination.save()
    if nomination.state == NominationState.APPROVED:
        _confer(nomination)
    return nomination


@transaction.atomic
def nomination_approve(*, nomination: Nomination, approve: bool, note: str, by) -> Nomination:
    """The committee decides a city-level nomination the school endorsed; approval creates the honour."""
    ensure_year_writable(nomination.round.year)
    nomination = Nomination.objects.select_for_update().select_related("round__organization", "member").get(
        pk=nomination.pk
    )
    if nomination.state != NominationState.ENDORSED:
        raise ValidationError(_("只有学校党组织审核通过的推荐可以批准"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不批准须填写理由")})
    nomination.state = NominationState.APPROVED if approve else NominationState.REJECTED
    nomination.decision_note = note.strip()
    nomination.full_clean()
    nomination.save()
    if approve:
        _confer(nomination)
    return nomination


def reserve_eligible(member: Member, year: int) -> bool:
    """Young (at most 40 in the year) and 优秀 or 良好 in the year-end result."""
    young = member.birth_year is not None and year - member.birth_year <= RESERVE_MAX_AGE
    return young and year_grade(member, year) in RESERVE_GRADES


@transaction.atomic
def reserve_propose(*, member: Member, year: int, reason: str, by) -> ReserveCadreProposal:
    """Propose a young member with a good year-end result as a reserve cadre (后备干部)."""
    ensure_year_writable(year)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写推荐理由")})
    if not reserve_eligible(member, year):
        raise ValidationError(
            _("后备干部人选须年龄不超过 %(age)s 岁且年终总评为优秀或良好") % {"age": RESERVE_MAX_AGE}
        )
    if ReserveCadreProposal.objects.filter(member=member, year=year).exists():
        raise ValidationError(_("该党员本年度已被推荐"))
    obj = ReserveCadreProposal(member=member, year=year, reason=reason.strip(), proposed_by=by)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def reserve_decide(*, proposal: ReserveCadreProposal, accept: bool, by) -> ReserveCadreProposal:
    """Accept (the member becomes a reserve cadre, with the proposal's reason) or decline a proposal."""
    ensure_year_writable(proposal.year)
    proposal = ReserveCadreProposal.objects.select_for_update().select_related("member").get(pk=proposal.pk)
    if proposal.state != ProposalState.PROPOSED:
        raise ValidationError(_("该推荐已处理"))
    proposal.state = ProposalState.ACCEPTED if accept else ProposalState.DECLINED
    proposal.decided_by = by
    proposal.full_clean()
    proposal.save()
    if accept:
        member_set_reserve_cadre(member=proposal.member, reason=proposal.reason)
    return proposal


@transaction.atomic
def member_set_reserve_cadre(*, member: Member, reason: str) -> Member:
    """Mark the member as a reserve cadre (后备干部) with the reason, keeping the member's history."""
    member.is_reserve_cadre = True
    member.reserve_reason = reason[:200]
    member.full_clean()
    member.save(update_fields=["is_reserve_cadre", "reserve_reason", "name_initials", "name_pinyin"])
    return member


@transaction.atomic
def rectification_open(
    *, rating: Rating, meeting_on: datetime.date, meeting_text: str, deadline: datetime.date, by
) -> Rectification:
    """Open 限期整改 for a published 较差 result: the explanation at the Party members' meeting and a deadline.

    Not held by the year archive (nor are its follow-ups and its end): a rectification runs past the year of the
    result it answers — a 年终总评 较差 is explained and rectified in January, after the city has opened the new year
    and archived the old one. The result itself stays read-only; only the rectification moves on."""
    rating = Rating.objects.select_related("period__organization", "member").get(pk=rating.pk)
    if rating.grade != Grade.POOR or rating.period.state != PeriodState.CLOSED:
        raise ValidationError(_("只有已公布的“较差”结果需要限期整改"))
    if Rectification.objects.filter(rating=rating).exists():
        raise ValidationError(_("该结果已在整改中"))
    obj = Rectification(
        rating=rating,
        member=rating.member,
        organization=rating.period.organization,
        meeting_on=meeting_on,
        meeting_text=meeting_text,
        deadline=deadline,
        opened_by=by,
    )
    obj.full_clean()
    obj.save()
    notify(
        user=rating.member.user,
        subject=_("限期整改通知"),
        body=_("请于 %(d)s 前完成整改。") % {"d": deadline.strftime("%Y年%m月%d日")},
        url=obj.get_absolute_url(),
        key=f"evaluations:rectification:{obj.pk}",
    )
    return obj


def _ensure_rectification_open(rect: Rectification) -> None:
    if rect.state != RectificationState.OPEN:
        raise ValidationError(_("该整改已结束"))


@transaction.atomic
def rectification_follow_up(*, rectification: Rectification, on: datetime.date, text: str, by) -> RectificationFollowUp:
    """Add a follow-up entry to an open rectification (also after its result's year is archived: see
    rectification_open)."""
    _ensure_rectification_open(rectification)
    obj = RectificationFollowUp(rectification=rectification, on=on, text=text, by=by)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def rectification_end(
    *, rectification: Rectification, escalate: bool, outcome: str, by, today=None
) -> Rectification:
    """Close (整改到位) or escalate (上报处理) an open rectification; the outcome must be written (also after its
    result's year is archived: see rectification_open)."""
    rect = Rectification.objects.select_for_update().get(pk=rectification.pk)
    _ensure_rectification_open(rect)
    if not outcome.strip():
        raise ValidationError({"outcome": _("请填写整改结论")})
    rect.state = RectificationState.ESCALATED if escalate else RectificationState.CLOSED
    rect.outcome = outcome.strip()
    rect.ended_on = today or timezone.localdate()
    rect.full_clean()
    rect.save()
    return rect

