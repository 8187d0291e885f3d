"""Steps 1 and 2: opinion-gathering events and opinions (also those left on the public page), their sorting and
decision, and the decision meeting that takes up the adopted ones."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization
from years.selectors import ensure_year_writable

from .. import selectors
from ..enums import OpinionDecision, OpinionSource
from ..models import AnnualPlan, DecisionMeeting, Opinion, OpinionEvent


@transaction.atomic
def opinion_event_create(*, plan: AnnualPlan, by, **fields) -> OpinionEvent:
    """Record an opinion-gathering event (座谈会、上门访谈、问卷…)."""
    ensure_year_writable(plan.year)
    event = OpinionEvent(plan=plan, created_by=by, **fields)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def opinion_add(*, plan: AnnualPlan, content: str, author: str = "", event: OpinionEvent | None = None) -> Opinion:
    """Record one opinion, from an event of this plan or (event None) from the public page."""
    ensure_year_writable(plan.year)
    if event is not None and event.plan_id != plan.pk:
        raise ValidationError(_("该活动不属于这份计划"))
    if not content.strip():
        raise ValidationError({"content": _("请填写意见内容")})
    opinion = Opinion(
        plan=plan,
        event=event,
        source=OpinionSource.EVENT if event else OpinionSource.PUBLIC,
        content=content.strip(),
        author=author.strip()[:50],
    )
    opinion.full_clean()
    opinion.save()
    return opinion


@transaction.atomic
def opinion_submit_public(*, organization: Organization, content: str, author: str = "") -> Opinion:
    """An opinion or objection left on the public page: lands in step 1 of the plan the public can see."""
    publication = selectors.public_publication(organization)
    if publication is None:
        raise ValidationError(_("该组织尚未公开目标，暂不接收留言"))
    return opinion_add(plan=publication.plan, content=content[:2000], author=author)


@transaction.atomic
def opinion_sort(*, opinion: Opinion, category: str, decision: str, reply: str, by) -> Opinion:
    """梳理归类: put the opinion in a category and decide on it. A decision needs a reply."""
    ensure_year_writable(opinion.plan.year)
    if decision != OpinionDecision.PENDING and not reply.strip():
        raise ValidationError({"reply": _("作出采纳与否的决定时请填写答复")})
    if decision == OpinionDecision.PENDING and opinion.meetings.exists():
        raise ValidationError(_("该意见已被议事决策会议采纳，不能改回待处理"))
    if decision == OpinionDecision.NOT_ADOPTED and opinion.meetings.exists():
        raise ValidationError(_("该意见已被议事决策会议采纳，不能改为不采纳"))
    opinion.category, opinion.decision, opinion.reply = category, decision, reply.strip()
    opinion.decided_by = by if decision != OpinionDecision.PENDING else None
    opinion.decided_at = timezone.now() if decision != OpinionDecision.PENDING else None
    opinion.full_clean()
    opinion.save()
    return opinion


@transaction.atomic
def meeting_create(*, plan: AnnualPlan, by, adopted_opinions=(), **fields) -> DecisionMeeting:
    """Record the decision meeting and link the adopted opinions it took up (only adopted opinions of this plan)."""
    ensure_year_writable(plan.year)
    opinions = list(adopted_opinions)
    wrong = [o for o in opinions if o.plan_id != plan.pk or o.decision != OpinionDecision.ADOPTED]
    if wrong:
        raise ValidationError({"adopted_opinions": _("只能关联本计划中已采纳的意见")})
    meeting = DecisionMeeting(plan=plan, created_by=by, **fields)
    meeting.full_clean()
    meeting.save()
    meeting.adopted_opinions.set(opinions)
    return meeting

