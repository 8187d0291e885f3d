"""Reads of target management, always scoped through organizations.access (the public page: published data only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import access
from organizations.enums import GRASSROOTS_KINDS, HONOUR_LEVEL_RANK, HonourLevel, HonourTrack
from organizations.models import Organization
from years.selectors import work_year

from .enums import PUBLIC_AUDIENCES, STEP_ORDER, OpinionDecision, OpinionSource, Step, step_needs, step_number
from .models import (
    AnnualPlan,
    DecisionMeeting,
    JointActivity,
    LongTermTarget,
    Opinion,
    OrgReview,
    ProgressEntry,
    Publication,
    StepCompletion,
    TargetItem,
)

PARTY_TITLE = "先进基层党组织"
SCHOOL_TITLES = ["文明学校", "示范性学校", "绿色学校", "平安校园"]
LEVELS_BY_RANK = {rank: level for level, rank in HONOUR_LEVEL_RANK.items()}


# ---- access ------------------------------------------------------------------------------------------------------


def plan_for_user(user, pk, *, to_edit: bool = False) -> AnnualPlan:
    """The plan if the user sees its organization (else 404); 403 to change one they only see."""
    qs = AnnualPlan.objects.select_related("organization")
    return access.get_for_user(qs, user, pk, to_edit=to_edit)


def object_for_user(model, user, pk, *, field: str = "plan__organization", to_edit: bool = False):
    """Any record hanging under a plan (field is the path to its organization)."""
    return access.get_for_user(model.objects.select_related(field), user, pk, field=field, to_edit=to_edit)


def plans_of(org: Organization) -> QuerySet[AnnualPlan]:
    """The organization's plans, newest first, with how many steps are done (the caller has checked access)."""
    return (
        AnnualPlan.objects.filter(organization=org)
        .annotate(done_steps=count_of(StepCompletion), item_count=count_of(TargetItem))
        .order_by("-year")
    )


def plan_overview(user, *, year: int | None = None) -> QuerySet[AnnualPlan]:
    """Plans of every organization the user sees, for the overview list: in the tree's order, each organization's
    newest year first (read along the organization index, a page costs the same in a county and a province)."""
    qs = access.scope(AnnualPlan.objects.all(), user).select_related("organization")
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(done_steps=count_of(StepCompletion)).order_by("organization__path", "-year")


def can_plan(org: Organization) -> bool:
    """Grassroots Party organizations make annual plans (policy 二)."""
    return org.kind in GRASSROOTS_KINDS


# ---- the six steps -----------------------------------------------------------------------------------------------


@dataclass
class StepState:
    step: str
    number: int
    label: str
    state: str  # done / current / todo
    completion: StepCompletion | None
    url: str
    records: int

    @property
    def state_label(self) -> str:
        return {"done": _("已完成"), "current": _("进行中"), "todo": _("未开始")}[self.state]


def count_of(model, field: str = "plan"):
    """A scalar subquery counting `model` rows whose `field` is the outer plan (no join fan-out)."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def record_counts(plan: AnnualPlan) -> dict[str, int]:
    """How many records each step holds, in one query (keyed by step): a scalar count per table over its plan
    column, written as SQL (the ORM took longer to build the seven subqueries than the database to run them)."""
    qn = connection.ops.quote_name

    def column(model, name: str) -> str:
        return qn(model._meta.get_field(name).column)

    def rows_of(model, where: str = "") -> str:
        """COUNT(*) of the model's rows meeting `where` (one %s, the plan), by default its plan column."""
        return f"(SELECT COUNT(*) FROM {qn(model._meta.db_table)} WHERE {where or column(model, 'plan') + ' = %s'})"

    items_of_plan = (
        f"{column(ProgressEntry, 'item')} IN (SELECT {qn(TargetItem._meta.pk.column)} FROM "
        f"{qn(TargetItem._meta.db_table)} WHERE {column(TargetItem, 'plan')} = %s)"
    )
    counted = {
        Step.OPINIONS: [rows_of(Opinion)],
        Step.DECISION: [rows_of(DecisionMeeting)],
        Step.DECOMPOSITION: [rows_of(TargetItem)],
        Step.PUBLIC_COMMITMENT: [rows_of(Publication)],
        Step.IMPLEMENTATION: [rows_of(JointActivity), rows_of(ProgressEntry, items_of_plan)],
        Step.EVALUATION: [rows_of(OrgReview)],
    }
    columns = [sql for parts in counted.values() for sql in parts]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", [plan.pk] * len(columns))
        values = iter(cursor.fetchone())
    return {step.value: sum(next(values) for _sql in parts) for step, parts in counted.items()}


def step_states(plan: AnnualPlan, *, counts: bool = True) -> list[StepState]:
    """Each step's live state: done (with who/when), current (the first not done) or todo; with `counts`, how many
    records each holds (else 0: the step pages do not show them)."""
    done = {c.step: c for c in plan.completions.select_related("completed_by")}
    counts = record_counts(plan) if counts else {}
    states: list[StepState] = []
    current_given = False
    for step in STEP_ORDER:
        if step in done:
            state = "done"
        elif not current_given:
            state, current_given = "current", True
        else:
            state = "todo"
        states.append(
            StepState(
                step=step,
                number=step_number(step),
                label=str(Step(step).label),
                state=state,
                completion=done.get(step),
                url=reverse("targets:step", args=[plan.pk, step]),
                records=counts.get(step, 0),
            )
        )
    return states


def is_done(plan: AnnualPlan, step: str) -> bool:
    return StepCompletion.objects.filter(plan=plan, step=step).exists()


def step_blockers(plan: AnnualPlan, step: str, *, done: set[str] | None = None) -> list[str]:
    """Why `step` cannot be completed yet (empty: it can). The order comes first, then the step's own records.
    `done`: the steps already completed, when the caller has read them (else asked here)."""
    needed = step_needs(step)
    if needed and not (needed in done if done is not None else is_done(plan, needed)):
        return [
            _("请先完成第%(n)s步“%(label)s”，再完成第%(m)s步“%(this)s”")
            % {"n": step_number(needed), "label": Step(needed).label, "m": step_number(step), "this": Step(step).label}
        ]
    problems: list[str] = []
    if step == Step.OPINIONS:
        if not plan.opinion_events.exists():
            problems.append(_("请至少登记一次征求意见活动"))
        if not plan.opinions.exists():
            problems.append(_("请至少登记一条意见建议"))
        unsorted = plan.opinions.filter(Q(category="") | Q(decision=OpinionDecision.PENDING)).count()
        if unsorted:
            problems.append(_("还有 %(n)s 条意见未归类或未作出采纳与否的答复") % {"n": unsorted})
    elif step == Step.DECISION:
        if not plan.meetings.exists():
            problems.append(_("请登记议事决策会议"))
    elif step == Step.DECOMPOSITION:
        if not plan.items.exists():
            problems.append(_("请至少分解一项目标任务"))
        unassigned = plan.items.filter(responsible="").count()
        if unassigned:
            problems.append(_("还有 %(n)s 项目标任务需重新指定责任人") % {"n": unassigned})
    elif step == Step.PUBLIC_COMMITMENT:
        if not plan.publications.exists():
            problems.append(_("请先公开目标任务"))
    elif step == Step.IMPLEMENTATION:
        if not TargetItem.objects.filter(plan=plan, progress__isnull=False).exists():
            problems.append(_("请至少登记一条目标任务的实施进展"))
    elif step == Step.EVALUATION:
        if not plan.reviews.exists():
            problems.append(_("请至少登记一次组织考评（领导点评、党员互评或群众评议）"))
    return problems


def adopted_opinions(plan: AnnualPlan) -> QuerySet[Opinion]:
    return plan.opinions.filter(decision=OpinionDecision.ADOPTED)


# ---- long-term targets -------------------------------------------------------------------------------------------


def next_level(held: str | None) -> str:
    """One level above the highest held (none → county; national stays national)."""
    if not held:
        return HonourLevel.COUNTY.value
    rank = HONOUR_LEVEL_RANK.get(str(held), 0)
    return LEVELS_BY_RANK.get(min(rank + 1, max(LEVELS_BY_RANK)), HonourLevel.COUNTY.value)


def _highest(org: Organization) -> dict:
    try:
        from organizations.selectors import highest_honours
    except ImportError:  # an older ground layer without honours
        return {}
    return highest_honours(org)


def long_term_proposals(org: Organization) -> list[dict]:
    """The system's proposal per track and title: one level above the highest recorded honour, with what is set."""
    highest = _highest(org)
    set_targets = {(t.track, t.title): t for t in LongTermTarget.objects.filter(organization=org)}
    rows = []
    for track, title in [(HonourTrack.PARTY, PARTY_TITLE)] + [(HonourTrack.SCHOOL, t) for t in SCHOOL_TITLES]:
        honour = highest.get(title)
        held = honour.level if honour else ""
        rows.append(
            {
                "track": track.value,
                "track_label": track.label,
                "title": title,
                "held": held,
                "held_label": HonourLevel(held).label if held else _("暂无"),
                "held_year": honour.year if honour else None,
                "proposed": next_level(held),
                "proposed_label": HonourLevel(next_level(held)).label,
                "target": set_targets.pop((track.value, title), None),
            }
        )
    # titles a secretary set beyond the built-in ones
    for (track, title), target in sorted(set_targets.items()):
        rows.append(
            {
                "track": track,
                "track_label": HonourTrack(track).label,
                "title": title,
                "held": "",
                "held_label": _("暂无"),
                "held_year": None,
                "proposed": target.level,
                "proposed_label": target.get_level_display(),
                "target": target,
            }
        )
    return rows


# ---- a new year from the last ------------------------------------------------------------------------------------


def plan_to_start_from(org: Organization, year: int) -> AnnualPlan | None:
    """Last year's plan when the organization plans and has none for `year` yet (None: nothing to offer)."""
    if not can_plan(org):
        return None
    plans = {p.year: p for p in AnnualPlan.objects.filter(organization=org, year__in=[year - 1, year])}
    return None if year in plans else plans.get(year - 1)


def start_offers(org: Organization, today: datetime.date | None = None) -> list[tuple[int, AnnualPlan]]:
    """(year, last year's plan) for each year the organization may start from the year before: this year, and next
    year once the city has opened it (years.WorkYear). One query, two when next year is in question."""
    if not can_plan(org):
        return []
    this_year = (today or timezone.localdate()).year
    plans = {p.year: p for p in AnnualPlan.objects.filter(organization=org, year__in=range(this_year - 1, this_year + 2))}
    offers = []
    for year in (this_year, this_year + 1):
        if year in plans or year - 1 not in plans:
            continue
        if year > this_year:
            opened = work_year(year)
            if opened is None or opened.is_archived:
                continue
        offers.append((year, plans[year - 1]))
    return offers


# ---- public ------------------------------------------------------------------------------------------------------


def public_publication(org: Organization, *, today: datetime.date | None = None) -> Publication | None:
    """The organization's latest publication to the masses or society of the current year or before (None: nothing
    is public). Next year's plan, published in December, shows from 1 January; only when nothing of this year or
    before was published does the public see it early."""
    year = (today or timezone.localdate()).year
    public = Publication.objects.filter(plan__organization=org, audience__in=PUBLIC_AUDIENCES).select_related("plan")
    newest = ("-plan__year", "-published_on", "-pk")
    return public.filter(plan__year__lte=year).order_by(*newest).first() or public.order_by(*newest).first()


def published_plans(org_ids) -> set[int]:
    """Organization ids (of those given) that have something public."""
    has = Publication.objects.filter(plan__organization=OuterRef("pk"), audience__in=PUBLIC_AUDIENCES)
    return set(Organization.objects.filter(pk__in=org_ids).filter(Exists(has)).values_list("pk", flat=True))


# ---- 接受群众监督: opinions left on the public pages ------------------------------------------------------------


def reply_days() -> int:
    """Days a public opinion may wait for its answer before it is reminded and counted overdue."""
    from django.conf import settings

    return int(getattr(settings, "PUBLIC_OPINION_REPLY_DAYS", 7))


def public_opinions_of(org: Organization) -> QuerySet[Opinion]:
    """The public opinions the organization answers, unanswered first (oldest first), then the answered, newest
    first (the caller has checked access)."""
    return (
        Opinion.objects.filter(organization=org, source=OpinionSource.PUBLIC)
        .select_related("replied_by")
        .order_by(F("replied_at").desc(nulls_first=True), "created_at", "pk")
    )


def unanswered_public_opinions(*, older_than: datetime.date | None = None) -> QuerySet[Opinion]:
    """Public opinions without an answer (created before `older_than`, when given)."""
    qs = Opinion.objects.filter(source=OpinionSource.PUBLIC, replied_at__isnull=True, organization__isnull=False)
    if older_than is not None:
        qs = qs.filter(created_at__date__lt=older_than)
    return qs


def overdue_since(today: datetime.date) -> datetime.date:
    """Opinions created before this day have waited longer than reply_days()."""
    return today - datetime.timedelta(days=reply_days())


def overdue_opinions_by_organization(root: Organization, *, today: datetime.date) -> list[dict]:
    """Per organization in root's subtree: public opinions unanswered for longer than reply_days() (one query)."""
    rows = (
        unanswered_public_opinions(older_than=overdue_since(today))
        .filter(organization__path__startswith=root.path)
        .values("organization_id", "organization__name", "organization__path")
        .annotate(n=Count("pk"))
        .order_by("-n", "organization__path")
    )
    return [{"pk": r["organization_id"], "name": r["organization__name"], "n": r["n"]} for r in rows]


def published_answers(org: Organization) -> QuerySet[Opinion]:
    """Opinions answered with the answer published, about what the organization's public page shows (its subtree)."""
    return (
        Opinion.objects.filter(
            source=OpinionSource.PUBLIC, reply_published=True, replied_at__isnull=False,
            organization__path__startswith=org.path,
        )
        .only("pk", "content", "subject", "reply", "replied_at", "created_at")
        .order_by("-replied_at", "-pk")
    )
