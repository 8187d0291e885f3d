"""Writes of target management. Every write validates, runs in a transaction and refuses in Chinese.

The six steps are completed strictly in order (policy 四): completing a step whose predecessor is not done, or whose
own records are missing, raises ValidationError and writes nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from machinery.locking import save_versioned
from machinery.uploads import validate_upload
from organizations.enums import honour_level_rank
from organizations.models import Member, Organization
from years.selectors import ensure_year_writable

from .. import selectors
from ..enums import (
    PUBLIC_AUDIENCES,
    STEP_ORDER,
    OpinionDecision,
    OpinionSource,
    PlanTheme,
    Step,
    TargetOutcome,
)
from ..models import (
    AnnualPlan,
    DecisionMeeting,
    JointActivity,
    LongTermTarget,
    Opinion,
    OpinionEvent,
    OrgReview,
    ProgressEntry,
    Publication,
    StepCompletion,
    TargetItem,
)

PLAN_FIELDS = ["theme", "theme_custom", "featured_work", "theory_research", "school_targets", "summary"]
ITEM_FIELDS = ["category", "content", "indicator", "measures", "role", "office", "responsible", "deadline"]


def _clean_theme(plan: AnnualPlan) -> None:
    if plan.theme == PlanTheme.CUSTOM and not plan.theme_custom.strip():
        raise ValidationError({"theme_custom": _("选择自定主题时请填写主题名称")})


# ---- long-term targets -------------------------------------------------------------------------------------------


@transaction.atomic
def long_term_target_set(
    *, organization: Organization, track: str, title: str, level: str, due_year: int, by, start_year: int | None = None
) -> LongTermTarget:
    """Create or adjust the organization's long-term target for a track and title. Guarantees a level above the
    highest honour held (the same level only when that is already 中央), a due year 3–5 years after the start year,
    and records the highest level held when it was set."""
    start_year = start_year or timezone.localdate().year
    if not 3 <= due_year - start_year <= 5:
        raise ValidationError({"due_year": _("长远目标的实现年度应在起始年度之后 3 至 5 年")})
    held = selectors._highest(organization).get(title)
    if held is not None and held.level != level and honour_level_rank(level) <= honour_level_rank(held.level):
        raise ValidationError(
            {"level": _("争创级别应高于现有最高荣誉（%(held)s）") % {"held": held.get_level_display()}}
        )
    target, _created = LongTermTarget.objects.get_or_create(
        organization=organization,
        track=track,
        title=title,
        defaults={"level": level, "start_year": start_year, "due_year": due_year},
    )
    target.level, target.start_year, target.due_year = level, start_year, due_year
    target.held_level = held.level if held else ""
    target.updated_by = by
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def long_term_target_record_outcome(*, target: LongTermTarget, outcome: str, note: str, by) -> LongTermTarget:
    """Record whether the target was reached (or set it back to pending), with when and by whom."""
    if outcome == TargetOutcome.MISSED and not note.strip():
        raise ValidationError({"outcome_note": _("未实现时请说明原因")})
    target.outcome, target.outcome_note, target.updated_by = outcome, note.strip(), by
    target.outcome_recorded_at = None if outcome == TargetOutcome.PENDING else timezone.now()
    target.full_clean()
    target.save()
    return target


# ---- the plan ----------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, organization: Organization, year: int, theme: str, by, **fields) -> AnnualPlan:
    """The organization's plan for the year. Guarantees one plan per organization and year, for grassroots
    organizations only."""
    ensure_year_writable(year)
    if not selectors.can_plan(organization):
        raise ValidationError(_("只有基层党组织（学校党委、党总支、党支部）制定年度计划"))
    if AnnualPlan.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": _("%(year)s年度计划已经存在") % {"year": year}})
    plan = AnnualPlan(organization=organization, year=year, theme=theme, created_by=by, **fields)
    _clean_theme(plan)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: AnnualPlan, expected_version, by, **fields) -> AnnualPlan:
    """Change the plan's text. Refuses a stale version (someone saved in between) and writes nothing."""
    ensure_year_writable(plan.year)
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            raise ValueError(name)
        setattr(plan, name, value)
    _clean_theme(plan)
    plan.full_clean()
    return save_versioned(plan, fields=list(fields), expected_version=expected_version)


@transaction.atomic
def plan_attach_research_report(*, plan: AnnualPlan, file, by) -> AnnualPlan:
    """Attach the theory research report (pdf or office file, ≤ 20 MB, sniffed by content)."""
    ensure_year_writable(plan.year)
    validate_upload(file, kinds=("pdf", "office"))
    plan.research_report_name = file.name[:200]
    plan.research_report.save(file.name, file, save=False)
    plan.save(update_fields=["research_report", "research_report_name", "updated_at"])
    return plan


# ---- step completion ---------------------------------------------------------------------------------------------


@transaction.atomic
def step_complete(*, plan: AnnualPlan, step: str, by, note: str = "") -> StepCompletion:
    """Mark a step done, recording who and when. Refuses (nothing written) when the step it needs is not done, when
    its own records are missing, or when it is already done."""
    ensure_year_writable(plan.year)
    if step not in STEP_ORDER:
        raise ValidationError(_("没有这个步骤"))
    AnnualPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if StepCompletion.objects.filter(plan=plan, step=step).exists():
        raise ValidationError(_("第%(n)s步“%(label)s”已经完成") % {"n": STEP_ORDER.index(step) + 1, "label": Step(step).label})
    problems = selectors.step_blockers(plan, step)
    if problems:
        raise ValidationError(problems)
    completion = StepCompletion(plan=plan, step=step, completed_by=by, completed_at=timezone.now(), note=note[:200])
    completion.full_clean()
    completion.save()
    return completion


@transaction.atomic
def step_reopen(*, plan: AnnualPlan, step: str, by) -> None:
    """Undo a completion, only for the last step done (the ones after it must be open)."""
    ensure_year_writable(plan.year)
    later = STEP_ORDER[STEP_ORDER.index(step) + 1 :]
    if StepCompletion.objects.filter(plan=plan, step__in=later).exists():
        raise ValidationError(_("后面的步骤已经完成，不能重新打开这一步"))
    deleted, _rows = StepCompletion.objects.filter(plan=plan, step=step).delete()
    if not deleted:
        raise ValidationError(_("这一步尚未完成"))


# ---- step 1: opinions --------------------------------------------------------------------------------------------


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


# ---- step 2: decision --------------------------------------------------------------------------------------------


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


# ---- step 3: decomposition ---------------------------------------------------------------------------------------


def _check_deadline(plan: AnnualPlan, deadline: datetime.date | None) -> None:
    if deadline and deadline.year not in (plan.year, plan.year + 1):
        raise ValidationError({"deadline": _("完成时限应在计划年度内（最迟到次年）")})


@transaction.atomic
def item_create(*, plan: AnnualPlan, by, **fields) -> TargetItem:
    """Add an Annex 1 row: content, quantified indicator, measures, one of the eight roles, who, by when."""
    ensure_year_writable(plan.year)
    item = TargetItem(plan=plan, **fields)
    _check_deadline(plan, item.deadline)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_update(*, item: TargetItem, expected_version, by, **fields) -> TargetItem:
    """Change an Annex 1 row. Refuses a stale version and writes nothing. Published rows stay as published on the
    public page until the plan is published again."""
    ensure_year_writable(item.plan.year)
    for name, value in fields.items():
        if name not in ITEM_FIELDS:
            raise ValueError(name)
        setattr(item, name, value)
    _check_deadline(item.plan, item.deadline)
    item.full_clean()
    return save_versioned(item, fields=list(fields), expected_version=expected_version)


@transaction.atomic
def item_delete(*, item: TargetItem, by) -> None:
    """Remove a row that was never published and has no progress recorded."""
    ensure_year_writable(item.plan.year)
    if item.published_at or item.progress.exists():
        raise ValidationError(_("已公开或已有进展的目标任务不能删除"))
    item.delete()


# ---- step 4: publication -----------------------------------------------------------------------------------------


def _snapshot(plan: AnnualPlan, items: list[TargetItem]) -> dict:
    return {
        "year": plan.year,
        "theme": plan.theme_label,
        "featured_work": plan.featured_work,
        "theory_research": plan.theory_research,
        "school_targets": plan.school_targets,
        "items": [
            {
                "id": i.pk,
                "category": i.get_category_display(),
                "content": i.content,
                "indicator": i.indicator,
                "measures": i.measures,
                "role": i.get_role_display(),
                "office": i.office,
                "responsible": i.responsible,
                "deadline": i.deadline.isoformat(),
            }
            for i in items
        ],
    }


@transaction.atomic
def plan_publish(*, plan: AnnualPlan, audience: str, published_on: datetime.date, by, channel: str = "") -> Publication:
    """公开承诺: publish the plan's target items to an audience. Needs step 3 done. The publication keeps a snapshot
    of exactly what was published; the public page (audiences 群众、社会) shows that snapshot and nothing else."""
    ensure_year_writable(plan.year)
    if not selectors.is_done(plan, Step.DECOMPOSITION):
        raise ValidationError(_("请先完成第3步“任务分解”，再公开目标任务"))
    items = list(plan.items.order_by("category", "deadline", "pk"))
    if not items:
        raise ValidationError(_("没有可公开的目标任务"))
    publication = Publication(
        plan=plan,
        audience=audience,
        published_on=published_on,
        channel=channel,
        published_by=by,
        snapshot=_snapshot(plan, items),
        item_count=len(items),
    )
    publication.full_clean()
    publication.save()
    plan.items.filter(published_at__isnull=True).update(published_at=timezone.now())
    return publication


def is_public(publication: Publication) -> bool:
    return publication.audience in PUBLIC_AUDIENCES


# ---- step 5: implementation --------------------------------------------------------------------------------------


@transaction.atomic
def progress_record(*, item: TargetItem, by, recorded_on, status: str, percent: int, note: str, evidence=None):
    """Record progress on an item (its status and percent follow), with an optional evidence file (pdf, image or
    office file, ≤ 20 MB, checked by content)."""
    ensure_year_writable(item.plan.year)
    entry = ProgressEntry(item=item, recorded_on=recorded_on, status=status, percent=percent, note=note, recorded_by=by)
    if evidence:
        validate_upload(evidence)
        entry.evidence_name = evidence.name[:200]
    entry.full_clean(exclude=["evidence"])
    if evidence:
        entry.evidence.save(evidence.name, evidence, save=False)
    entry.save()
    TargetItem.objects.filter(pk=item.pk).update(status=status, percent=percent, version=F("version") + 1)
    item.refresh_from_db(fields=["status", "percent", "version"])
    return entry


@transaction.atomic
def joint_activity_create(*, plan: AnnualPlan, by, **fields) -> JointActivity:
    """Record a 联帮带 activity: which organizations and teams, when, what was done."""
    ensure_year_writable(plan.year)
    activity = JointActivity(plan=plan, created_by=by, **fields)
    activity.full_clean()
    activity.save()
    return activity


# ---- step 6: evaluation ------------------------------------------------------------------------------------------


@transaction.atomic
def review_create(*, plan: AnnualPlan, by, **fields) -> OrgReview:
    """Record a review of the organization's fulfilment (领导点评、党员互评、群众评议)."""
    ensure_year_writable(plan.year)
    review = OrgReview(plan=plan, created_by=by, **fields)
    review.full_clean()
    review.save()
    return review


# ---- a new year from the last ------------------------------------------------------------------------------------

NAME_SEPARATORS = re.compile(r"[、，,；;/\s]+")


@dataclass
class PlanStart:
    """What plan_start_from_previous made: the new plan, its rows, the rows whose person must be named again
    (each with last year's name) and the long-term targets it moved on."""

    plan: AnnualPlan
    previous: AnnualPlan
    items: list[TargetItem] = field(default_factory=list)
    to_reassign: list[tuple[TargetItem, str]] = field(default_factory=list)
    long_term: list[LongTermTarget] = field(default_factory=list)


def one_year_later(day: datetime.date) -> datetime.date:
    """The same day a year on; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _still_active(responsible: str, active_names: set[str]) -> bool:
    """Every person named (“张三、李四”) is an active member of the subtree."""
    names = [n for n in NAME_SEPARATORS.split(responsible) if n]
    return bool(names) and all(n in active_names for n in names)


def _long_term_moved_on(*, organization: Organization, year: int, by) -> list[LongTermTarget]:
    """Recompute the long-term targets from the honours now recorded (long_term_proposals): a target reached (an honour
    at or above its level is recorded) moves to the next level from `year`; the Party organization's 先进基层党组织
    target is set from the proposal when none was set. A target not yet reached stays as the secretary set it."""
    moved = []
    for row in selectors.long_term_proposals(organization):
        target = row["target"]
        if target is None:
            if row["title"] != selectors.PARTY_TITLE:
                continue
        elif not row["held"] or honour_level_rank(row["held"]) < honour_level_rank(target.level):
            continue
        elif row["proposed"] == target.level:  # 中央 reached: nothing higher to strive for
            continue
        span = min(max(target.due_year - target.start_year, 3), 5) if target else 3
        moved_target = long_term_target_set(
            organization=organization, track=row["track"], title=row["title"], level=row["proposed"],
            due_year=year + span, start_year=year, by=by,
        )  # fmt: skip
        if moved_target.outcome != TargetOutcome.PENDING:  # last level's outcome stays in the target's history
            moved_target.outcome, moved_target.outcome_note, moved_target.outcome_recorded_at = TargetOutcome.PENDING, "", None
            moved_target.save(update_fields=["outcome", "outcome_note", "outcome_recorded_at", "updated_at"])
        moved.append(moved_target)
    return moved


@transaction.atomic
def plan_start_from_previous(*, organization: Organization, year: int, by) -> PlanStart:
    """Start the organization's plan for `year` from its plan of the year before. Guarantees:
    - the theme, featured work, theory research and school targets are copied into the new plan, to be edited; the
      summary and the research report are not (they belong to last year);
    - the six steps start over: no completion, opinion, meeting, publication, progress or review is copied;
    - every Annex 1 row is copied unpublished, not started, deadline one year later (29 Feb → 28 Feb), linked to the
      row it came from; its responsible person is kept only when every person named is still an active member of the
      organization's subtree, otherwise left blank (需重新指定责任人: step 3 cannot be completed until named again);
    - the long-term targets are recomputed from the honours now recorded (_long_term_moved_on);
    - last year's plan and rows are not changed (they stay reportable).
    Refuses, writing nothing, when the year is archived, a plan for `year` exists or there is no plan the year before."""
    ensure_year_writable(year)
    if not selectors.can_plan(organization):
        raise ValidationError(_("只有基层党组织（学校党委、党总支、党支部）制定年度计划"))
    Organization.objects.select_for_update().filter(pk=organization.pk).first()  # two clicks at once: one plan
    if AnnualPlan.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(
            {"year": _("%(year)s年度计划已经存在，不能再以上一年度为基础新建") % {"year": year}}
        )
    previous = AnnualPlan.objects.filter(organization=organization, year=year - 1).first()
    if previous is None:
        raise ValidationError(_("没有%(year)s年度计划，不能以上一年度为基础新建") % {"year": year - 1})
    plan = plan_create(
        organization=organization, year=year, theme=previous.theme, by=by,
        **{name: getattr(previous, name) for name in ("theme_custom", "featured_work", "theory_research", "school_targets")},
    )  # fmt: skip
    result = PlanStart(plan=plan, previous=previous)
    active_names = set(
        Member.objects.filter(organization__path__startswith=organization.path, is_active=True).values_list("name", flat=True)
    )
    for old in previous.items.order_by("category", "deadline", "pk"):
        kept = old.responsible if _still_active(old.responsible, active_names) else ""
        item = TargetItem(
            plan=plan, copied_from=old, responsible=kept, deadline=one_year_later(old.deadline),
            **{name: getattr(old, name) for name in ITEM_FIELDS if name not in ("responsible", "deadline")},
        )  # fmt: skip
        _check_deadline(plan, item.deadline)
        item.full_clean(exclude=[] if kept else ["responsible"])
        item.save()
        result.items.append(item)
        if not kept:
            result.to_reassign.append((item, old.responsible))
    result.long_term = _long_term_moved_on(organization=organization, year=year, by=by)
    return result
