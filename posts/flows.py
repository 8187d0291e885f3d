"""附件4 党员教师个人“亮岗履职”流程图: each of the six sub-steps, its state read from the records.

Where this lives, and why here: posts owns the six sub-steps, the page (`posts:flow`, linked from 我的岗位, Annex 2
and the report overview) and the records of steps 1–4 (posts, claims, commitments, duty logs and reports). Steps 5
and 6 (科学评岗, 奖惩促岗) are records of `evaluations`, which stands above posts, so posts may not import it. Moving
the page up into evaluations would mean renaming every link to it from posts' own templates (a lower app pointing
at a higher one's URL); instead an app above posts *offers* the facts of the steps it holds through an optional
AppConfig method `member_flow_facts(member, year) -> {SubStep value: StepFacts}`, exactly as Annex 2 receives the
period results (`annex2_results`) and the organization page its links (`org_links`). Nothing is registered at
import time; with no app offering them, steps 5 and 6 say that no evaluation records are available.

The ordering rule (one rule, applied after every step has read its own records):
    a step shows 已完成 only when its own records are complete AND every earlier step shows 已完成. A step whose
    own records are complete while an earlier step is not shows 进行中 with a note naming the first unfinished
    earlier step and why (e.g. “本步记录已齐，但第3步“承诺亮岗”尚未完成：1 项待审核”).
So the done steps are always a prefix of the flow, and nothing the records say is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Member

from .enums import CommitmentState, FulfilmentStatus, ReportPeriod, SubStep
from .models import DutyLogEntry, DutyReport, Post
from .selectors import chain_paths, member_claims

NOT_STARTED, DOING, DONE = "todo", "doing", "done"
STATE_LABELS = {NOT_STARTED: gettext_lazy("未开始"), DOING: gettext_lazy("进行中"), DONE: gettext_lazy("已完成")}


@dataclass(frozen=True)
class StepFacts:
    """What one step's own records say: nothing yet (NOT_STARTED), some of it (DOING) or all the step asks (DONE), and a
    short line from the records saying why (counts, dates)."""

    state: str
    why: str


@dataclass
class FlowStep:
    key: str
    number: int
    label: str
    state: str  # after the ordering rule
    why: str
    note: str = ""  # set when the ordering rule held the step back
    current: bool = False  # the first step not done: where the member stands

    @property
    def done(self) -> bool:
        return self.state == DONE

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---- steps 1–4: posts' own records -----------------------------------------------------------------------------------


def _set_facts(member: Member, year: int) -> StepFacts:
    n = Post.objects.filter(organization__path__in=chain_paths(member.organization), year=year).count()
    if not n:
        return StepFacts(NOT_STARTED, _("本组织及上级组织%(year)s年度尚未设岗") % {"year": year})
    return StepFacts(DONE, _("本组织及上级组织已设岗 %(n)s 个") % {"n": n})


def _choose_facts(claims) -> StepFacts:
    if not claims:
        return StepFacts(NOT_STARTED, _("尚未认领岗位"))
    return StepFacts(DONE, _("已认领：%(posts)s") % {"posts": "、".join(c.post.name for c in claims)})


def _commit_facts(commitments) -> StepFacts:
    if not commitments:
        return StepFacts(NOT_STARTED, _("尚未写承诺"))
    published = sum(1 for c in commitments if c.state == CommitmentState.APPROVED and c.published_at)
    unpublished = sum(1 for c in commitments if c.state == CommitmentState.APPROVED and not c.published_at)
    counts = [
        (published, _("已公开 %(n)s 项")),
        (unpublished, _("审核通过待公开 %(n)s 项")),
        (sum(1 for c in commitments if c.state == CommitmentState.SUBMITTED), _("待审核 %(n)s 项")),
        (sum(1 for c in commitments if c.state == CommitmentState.RETURNED), _("退回修改 %(n)s 项")),
        (sum(1 for c in commitments if c.state == CommitmentState.DRAFT), _("草稿未提交 %(n)s 项")),
    ]
    why = _("承诺 %(n)s 项：") % {"n": len(commitments)} + "、".join(text % {"n": n} for n, text in counts if n)
    return StepFacts(DONE if published == len(commitments) else DOING, why)


def _perform_facts(member: Member, year: int, commitments, reports=None) -> StepFacts:
    logs = DutyLogEntry.objects.filter(commitment__claim__member=member, commitment__claim__post__year=year)
    found = logs.aggregate(n=Count("pk"), latest=Max("happened_on"))
    n_logs, latest = found["n"], found["latest"]
    if reports is None:
        periods = set(DutyReport.objects.filter(member=member, year=year).values_list("period", flat=True))
    else:
        periods = {r.period for r in reports if r.year == year}
    if not n_logs and not periods:
        return StepFacts(NOT_STARTED, _("尚未登记履岗，尚未提交述职报告"))
    parts = [
        _("履岗记录 %(n)s 条（最近 %(d)s）") % {"n": n_logs, "d": _date(latest)} if n_logs else _("尚未登记履岗"),
        _("述职报告：%(p)s") % {"p": "、".join(str(ReportPeriod(p).label) for p in ReportPeriod.values if p in periods)}
        if periods else _("尚未提交述职报告"),
    ]
    if ReportPeriod.YEAR not in periods and periods:
        parts.append(_("全年述职报告未交"))
    approved = [c for c in commitments if c.state == CommitmentState.APPROVED]
    if approved:
        judged = sum(1 for c in approved if c.status != FulfilmentStatus.IN_PROGRESS)
        parts.append(_("兑现情况已评定 %(j)s/%(a)s 项") % {"j": judged, "a": len(approved)})
    done = bool(n_logs) and ReportPeriod.YEAR in periods
    return StepFacts(DONE if done else DOING, "；".join(parts))


# ---- steps 5–6: offered by apps above posts -------------------------------------------------------------------------


def offered_facts(member: Member, year: int) -> dict[str, StepFacts]:
    """The facts apps above posts offer through `AppConfig.member_flow_facts(member, year)` (first offer wins)."""
    facts: dict[str, StepFacts] = {}
    for config in apps.get_app_configs():
        hook = getattr(config, "member_flow_facts", None)
        if hook is None:
            continue
        for key, value in (hook(member, year) or {}).items():
            facts.setdefault(key, value)
    return facts


def apply_order(facts: list[tuple[SubStep, StepFacts]]) -> list[FlowStep]:
    """The ordering rule of the module docstring: done steps form a prefix; a step held back says why."""
    steps: list[FlowStep] = []
    blocker: FlowStep | None = None
    for number, (step, f) in enumerate(facts, start=1):
        item = FlowStep(key=step.value, number=number, label=str(step.label), state=f.state, why=f.why)
        if f.state == DONE and blocker is not None:
            item.state = DOING
            item.note = _("本步记录已齐，但第%(n)s步“%(label)s”尚未完成：%(why)s") % {
                "n": blocker.number, "label": blocker.label, "why": blocker.why}
        if item.state != DONE and blocker is None:
            blocker = item
            item.current = True
        steps.append(item)
    return steps


def flow_state(member: Member, year: int, *, reports: list[DutyReport] | None = None) -> list[FlowStep]:
    """The member's six sub-steps of the year, each with its state from the records, why, and the ordering note.
    `reports`: the member's duty reports when the caller has them already (else they are read)."""
    claims = list(member_claims(member, year))
    commitments = [c for claim in claims for c in claim.commitments.all()]
    # kept on the member for what else the page shows of the year (the documents offered beside the flow)
    member.year_commitments = {**getattr(member, "year_commitments", {}), year: commitments}
    offered = offered_facts(member, year)
    missing = StepFacts(NOT_STARTED, _("未启用考评，无考评记录"))
    return apply_order([
        (SubStep.SET, _set_facts(member, year)),
        (SubStep.CHOOSE, _choose_facts(claims)),
        (SubStep.COMMIT, _commit_facts(commitments)),
        (SubStep.PERFORM, _perform_facts(member, year, commitments, reports)),
        (SubStep.EVALUATE, offered.get(SubStep.EVALUATE.value, missing)),
        (SubStep.REWARD, offered.get(SubStep.REWARD.value, missing)),
    ])
