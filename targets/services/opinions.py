"""Steps 1 and 2: opinion-gathering events and opinions (also those left on the public page), their sorting and
decision, and the decision meeting that takes up the adopted ones."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.pages import app_offers
from notifications.services import notice_send
from organizations import access
from organizations.enums import SECRETARY_ROLES
from organizations.models import Organization, RoleAssignment
from years.selectors import ensure_year_writable

from .. import selectors
from ..enums import OpinionDecision, OpinionSource
from ..models import AnnualPlan, DecisionMeeting, Opinion, OpinionEvent, TargetItem


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
        organization_id=plan.organization_id,
        event=event,
        source=OpinionSource.EVENT if event else OpinionSource.PUBLIC,
        content=content.strip(),
        author=author.strip()[:50],
    )
    opinion.full_clean()
    opinion.save()
    return opinion


def _public_subject(organization: Organization, about: str) -> tuple[Organization, str, TargetItem | None]:
    """What a public opinion is about, as the public page offered it: (the organization that answers, the wording
    the public saw, the target item). Only what this page publishes can be named; anything else is refused."""
    kind, _sep, ref = (about or "").partition(":")
    if not kind:
        return organization, "", None
    if kind == "item" and ref.isdigit():
        publication = selectors.public_publication(organization)
        published = {row.get("id") for row in (publication.snapshot.get("items", []) if publication else [])}
        item = TargetItem.objects.filter(pk=int(ref), plan=publication.plan).first() if publication else None
        if item is not None and item.pk in published:
            return organization, _("目标任务：%(content)s") % {"content": item.content}, item
    elif kind == "commitment" and ref.isdigit():
        # posts (a higher app) says whether the commitment is published on this page and whose organization answers
        found = app_offers("public_opinion_subject", organization, int(ref))
        if found:
            return found[0]["organization"], found[0]["subject"], None
    raise ValidationError(_("意见针对的内容不在本页公开的范围内"))


def public_opinion_subject(organization: Organization, about: str) -> str:
    """The wording of what `about` names on this public page, or "" when it names nothing published there."""
    try:
        return _public_subject(organization, about)[1]
    except ValidationError:
        return ""


def _secretaries(org: Organization) -> list:
    """Whoever answers for `org`: its secretaries, or (a branch with none signed up) the nearest organization above's."""
    ancestors = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    grants = list(
        RoleAssignment.objects.filter(role__in=SECRETARY_ROLES, organization__path__in=ancestors)
        .select_related("user", "organization")
        .order_by("-organization__depth", "pk")
    )
    if not grants:
        return []
    nearest = grants[0].organization_id
    return [g.user for g in grants if g.organization_id == nearest]


def notify_public_opinion(*, opinion_id: int) -> None:
    """Tell the secretaries who answer the opinion that it arrived (their inbox; email where they have one)."""
    opinion = Opinion.objects.select_related("organization").get(pk=opinion_id)
    url = reverse("targets:public_opinions", args=[opinion.organization_id])
    about = f"（{opinion.subject}）" if opinion.subject else ""
    for user in _secretaries(opinion.organization):
        notice_send(
            recipient=user,
            subject=_("群众在公开页提出意见，请答复"),
            body=_("%(org)s收到一条公开页意见%(about)s：%(content)s") % {
                "org": opinion.organization.name, "about": about, "content": opinion.content[:200]},
            url=url,
            key=f"targets.public_opinion|{opinion.pk}|u{user.pk}",
        )


@transaction.atomic
def opinion_submit_public(*, organization: Organization, content: str, author: str = "", about: str = "") -> Opinion:
    """An opinion or objection left on an organization's public page, about the page as a whole or about one
    published target item or commitment (`about`: "item:<pk>" / "commitment:<pk>"). It is linked to that item,
    answered by the organization it concerns (the member's branch for a commitment), lands in step 1 of that
    organization's published plan when it has one, and reaches its secretaries' inbox after commit."""
    if not content.strip():
        raise ValidationError({"content": _("请填写意见内容")})
    answering, subject, item = _public_subject(organization, about)
    publication = selectors.public_publication(answering)
    plan = item.plan if item is not None else (publication.plan if publication else None)
    if plan is not None:
        ensure_year_writable(plan.year)
    opinion = Opinion(
        plan=plan,
        organization=answering,
        source=OpinionSource.PUBLIC,
        content=content.strip()[:2000],
        author=author.strip()[:50],
        target_item=item,
        subject_ref=about if subject else "",
        subject=subject[:200],
    )
    opinion.full_clean()
    opinion.save()
    transaction.on_commit(partial(notify_public_opinion, opinion_id=opinion.pk))
    return opinion


@transaction.atomic
def opinion_answer(*, opinion: Opinion, by, reply: str, publish: bool = False) -> Opinion:
    """答复: the secretaries of the organization the opinion concerns (or of one above it) write the reply, and may
    publish it under the opinion on the public page. A reply can be corrected; the time of the first one stays."""
    if opinion.organization is None or not access.is_secretary_of(by, opinion.organization):
        raise PermissionDenied
    if opinion.plan_id is not None:
        ensure_year_writable(opinion.plan.year)
    if not reply.strip():
        raise ValidationError({"reply": _("请填写答复内容")})
    opinion.reply = reply.strip()
    opinion.reply_published = bool(publish)
    if opinion.replied_at is None:
        opinion.replied_at, opinion.replied_by = timezone.now(), by
    opinion.full_clean()
    opinion.save(update_fields=["reply", "reply_published", "replied_at", "replied_by"])
    return opinion


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
    if opinion.reply and opinion.replied_at is None:  # a reply written while sorting answers the opinion too
        opinion.replied_at, opinion.replied_by = timezone.now(), by
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

