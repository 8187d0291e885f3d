"""What evaluations tells the two flow diagrams that live in lower apps.

- Annex 4 (posts:flow, built in posts.flows): the facts of 科学评岗 and 奖惩促岗 for one member and year, offered
  through EvaluationsConfig.member_flow_facts. posts never imports this module; it asks every AppConfig.
- Annex 3 (the plan's step 6 考评奖惩, in targets): the year's member ratings (published only), honours and
  rectifications of the plan organization's subtree, offered through EvaluationsConfig.plan_step_sections as a
  template and its context. targets never imports this module either.

The rules for the member's two steps, from the records of the year:
    科学评岗  未开始: no self-evaluation, assessment or rating. 已完成: the 年终总评 result is published.
              Otherwise 进行中.
    奖惩促岗  未开始: no published result, honour, nomination or rectification. 已完成: the 年终总评 result is
              published, no nomination of the year is still awaiting a decision, every published 较差 result has its
              限期整改 and none is still open. Otherwise 进行中. (An award is not required: nominations are made
              within quotas, and a member with a 良好 result is neither honoured nor rectified; but while a
              nomination is pending the step is not over.)
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from organizations.models import Member, Organization
from posts.enums import SubStep
from posts.flows import DOING, DONE, NOT_STARTED, StepFacts

from .enums import GRADE_ORDER, PERIOD_ORDER, Grade, NominationState, PeriodKind, RectificationState
from .models import (
    Assessment,
    EvaluationPeriod,
    MemberHonour,
    Nomination,
    Rating,
    Rectification,
    SelfEvaluation,
)

PENDING_NOMINATION = [NominationState.SUBMITTED, NominationState.ENDORSED]


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _by_kind(ratings) -> dict[str, Rating]:
    """One rating per period kind: when periods of several levels rate the member, the deepest one wins (as in
    the year-end grid)."""
    out: dict[str, Rating] = {}
    for r in sorted(ratings, key=lambda r: r.period.organization.depth):
        out[r.period.kind] = r
    return out


# ---- Annex 4: one member ------------------------------------------------------------------------------------------


def _evaluate_facts(member: Member, year: int, published: dict[str, Rating], any_rating: bool) -> StepFacts:
    def of_member(model):
        rows = model.objects.filter(member=OuterRef("pk"), period__year=year).order_by().values("member")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)

    n_self, n_assessed = (
        Member.objects.filter(pk=member.pk)
        .annotate(n_self=of_member(SelfEvaluation), n_assessed=of_member(Assessment))
        .values_list("n_self", "n_assessed")
        .get()
    )
    if not (n_self or n_assessed or any_rating):
        return StepFacts(NOT_STARTED, _("尚无述岗自评和考评结果"))
    parts = [_("述岗自评 %(n)s 次") % {"n": n_self} if n_self else _("尚无述岗自评")]
    if published:
        shown = "、".join(
            f"{PeriodKind(k).label} {published[k].get_grade_display()}" for k in PERIOD_ORDER if k in published
        )
        parts.append(_("已公布：%(list)s") % {"list": shown})
    else:
        parts.append(_("尚无已公布的考评结果"))
    if PeriodKind.YEAR not in published:
        parts.append(_("待年终总评"))
        return StepFacts(DOING, "；".join(parts))
    return StepFacts(DONE, "；".join(parts))


def _reward_facts(member: Member, year: int, published_all: list[Rating], published: dict[str, Rating]) -> StepFacts:
    honours = list(MemberHonour.objects.filter(member=member, year=year))
    pending = list(
        Nomination.objects.filter(member=member, round__year=year, state__in=PENDING_NOMINATION).select_related("round")
    )
    rects = list(Rectification.objects.filter(member=member, rating__period__year=year).order_by("deadline", "pk"))
    rectified = {r.rating_id for r in rects}
    unrectified = [r for r in published_all if r.grade == Grade.POOR and r.pk not in rectified]
    if not (published_all or honours or pending or rects):
        return StepFacts(NOT_STARTED, _("尚无已公布的考评结果、表彰或整改"))
    parts = []
    year_rating = published.get(PeriodKind.YEAR)
    if year_rating:
        parts.append(
            _("年终总评%(grade)s已于%(d)s公布")
            % {"grade": year_rating.get_grade_display(), "d": _date(year_rating.published_at or year_rating.period.closes_on)}
        )
    elif published_all:
        parts.append(_("已公布考评结果 %(n)s 次，待年终总评结果公布") % {"n": len(published_all)})
    else:
        parts.append(_("待年终总评结果公布"))
    if honours:
        parts.append(_("获评：%(list)s") % {
            "list": "、".join(f"{h.get_level_display()}{h.get_title_display()}" for h in honours)})
    if pending:
        parts.append(_("推荐待审批：%(list)s") % {"list": "、".join(str(n.round) for n in pending)})
    for r in rects:
        if r.state == RectificationState.OPEN:
            parts.append(_("限期整改中（期限 %(d)s）") % {"d": _date(r.deadline)})
        elif r.state == RectificationState.CLOSED:
            parts.append(_("已完成整改（%(d)s）") % {"d": _date(r.ended_on or r.deadline)})
        else:
            parts.append(_("整改已上报处理"))
    if unrectified:
        parts.append(_("%(n)s 项“较差”结果尚未启动限期整改") % {"n": len(unrectified)})
    settled = not pending and not unrectified and all(r.state != RectificationState.OPEN for r in rects)
    return StepFacts(DONE if year_rating and settled else DOING, "；".join(parts))


def member_flow_facts(member: Member, year: int) -> dict[str, StepFacts]:
    """科学评岗 and 奖惩促岗 of the member's year, from the self-evaluations, ratings, honours, nominations and
    rectifications (rules in the module docstring)."""
    ratings = list(
        Rating.objects.filter(member=member, period__year=year).select_related("period__organization")
    )
    published_all = [r for r in ratings if r.published]
    published = _by_kind(published_all)
    return {
        SubStep.EVALUATE.value: _evaluate_facts(member, year, published, bool(ratings)),
        SubStep.REWARD.value: _reward_facts(member, year, published_all, published),
    }


# ---- Annex 3: the plan organization's subtree ---------------------------------------------------------------------


def plan_results(org: Organization, year: int, *, compact: bool = False) -> dict:
    """The year's published member ratings (grade counts per period kind; per member and kind the deepest period
    wins), the honours conferred and the rectifications in the organization's subtree. `compact` (the summary under
    the plan's diagram, which shows numbers only): the honours and rectifications are counted, not listed, and the
    periods are not read."""
    in_subtree = Q(member__organization__path__startswith=org.path)
    # every published rating of the year, with its rectification if any: the counts and the "较差" results without
    # a rectification in one query
    rows = (
        Rating.objects.filter(in_subtree, period__year=year, published=True)
        .order_by("period__organization__depth")
        .values_list("member_id", "period__kind", "grade", "rectification")
    )
    kept: dict[tuple[int, str], str] = {}
    unrectified = 0
    for member_id, kind, grade, rectification in rows:
        kept[(member_id, kind)] = grade
        if grade == Grade.POOR and rectification is None:
            unrectified += 1
    counts: dict[str, Counter] = {k: Counter() for k in PERIOD_ORDER}
    for (_member, kind), grade in kept.items():
        counts[kind][grade] += 1
    periods = [] if compact else list(
        EvaluationPeriod.objects.filter(year=year, organization__path__startswith=org.path)
        .select_related("organization")
        .only("kind", "state", "organization__name")  # the table links each period with its organization and state
        .order_by("organization__path", "opens_on")
    )
    distribution = [
        {
            "kind": k,
            "label": PeriodKind(k).label,
            "counts": [counts[k].get(g, 0) for g in GRADE_ORDER],
            "pairs": [(Grade(g).label, counts[k].get(g, 0)) for g in GRADE_ORDER],
            "total": sum(counts[k].values()),
            "periods": [p for p in periods if p.kind == k],
        }
        for k in PERIOD_ORDER
    ]
    honours_in = MemberHonour.objects.filter(in_subtree, year=year)
    rectifications_in = Rectification.objects.filter(in_subtree, rating__period__year=year)
    if compact:
        honours, rectifications = [], []
        honour_count = honours_in.count()
        counted = rectifications_in.aggregate(
            n=Count("pk"), open=Count("pk", filter=Q(state=RectificationState.OPEN))
        )
        rectification_count, open_rectifications = counted["n"], counted["open"]
    else:
        # only what the lists show: the member's name (and organization's for an honour), the honour and the link to
        # its nomination's round, the rectification's period, deadline and state
        honours = list(
            honours_in.select_related("member__organization", "nomination")
            .only("title", "level", "conferred_by", "member__name", "member__organization__name", "nomination__round_id")
            .order_by("member__name", "pk")
        )
        rectifications = list(
            rectifications_in.select_related("member", "rating__period")
            .only("deadline", "state", "member__name", "rating__period__year", "rating__period__kind")
            .order_by("deadline", "pk")
        )
        honour_count, rectification_count = len(honours), len(rectifications)
        open_rectifications = sum(1 for r in rectifications if r.state == RectificationState.OPEN)
    return {
        "org": org,
        "year": year,
        "grades": [g.label for g in GRADE_ORDER],
        "distribution": distribution,
        "rated": sum(row["total"] for row in distribution),
        "honours": honours,
        "rectifications": rectifications,
        "honour_count": honour_count,
        "rectification_count": rectification_count,
        "open_rectifications": open_rectifications,
        "unrectified": unrectified,
    }
