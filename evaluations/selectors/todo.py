"""Who has to do what in the evaluations: the home page's work list and the reminder rules (evaluations/reminders.py)
pick the missing self-evaluations, assessments and open rectifications with these functions, so a reminder never
names work the home page does not show."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations import access
from organizations.enums import MANAGING_ROLES, SECRETARY_ROLES
from organizations.models import Member, Organization, RoleAssignment
from organizations.todo import TodoItem

from ..enums import PeriodState, RectificationState
from ..models import Assessment, EvaluationPeriod, Rectification, SelfEvaluation
from ..participants import period_members

NAMES_SHOWN = 10
FEW = 20


def _missing(model, periods, members) -> dict[int, list[Member]]:
    """For each period, the members (of those given) without a `model` row in it: one query for all the periods."""
    periods, members = list(periods), list(members)
    rows = model.objects.filter(period__in=[p.pk for p in periods])
    if len(members) <= FEW:  # one person's list: their rows only (a whole period's members: all its rows)
        rows = rows.filter(member__in=[m.pk for m in members])
    done = set(rows.values_list("period_id", "member_id"))
    return {p.pk: [m for m in members if (p.pk, m.pk) not in done] for p in periods}


def without_self_evaluation(periods, members) -> dict[int, list[Member]]:
    """Members with a login who have not written their 述岗自评 in each period."""
    found = _missing(SelfEvaluation, periods, members)
    return {pk: [m for m in ms if m.user_id] for pk, ms in found.items()}


def without_assessment(periods, members) -> dict[int, list[Member]]:
    """Members whose 党组织综合评定 is missing in each period."""
    return _missing(Assessment, periods, members)


def open_rectifications() -> QuerySet[Rectification]:
    """Rectifications (限期整改) still open, nearest deadline first."""
    return Rectification.objects.filter(state=RectificationState.OPEN).select_related("member", "organization").order_by(
        "deadline", "pk"
    )


def _chain(org: Organization) -> list[str]:
    step = Organization.steplen
    return [org.path[:i] for i in range(step, len(org.path) + 1, step)]


def _taking_writes(today: datetime.date) -> Q:
    """Open periods inside their window today, or reopened until a day not yet past (late ones take no work)."""
    return Q(state=PeriodState.OPEN) & (Q(opens_on__lte=today, closes_on__gte=today) | Q(reopened_until__gte=today))


def _deadline(period: EvaluationPeriod, today: datetime.date) -> datetime.date:
    return period.reopened_until if period.closes_on < today and period.reopened_until else period.closes_on


def member_todo(member: Member, *, today: datetime.date) -> list[TodoItem]:
    """The member's own: self-evaluations due in the periods they are rated in, and their open rectification."""
    periods = list(
        EvaluationPeriod.objects.filter(_taking_writes(today), organization__path__in=_chain(member.organization))
        .select_related("organization")
        .order_by("closes_on", "pk")
    )
    missing = without_self_evaluation(periods, [member]) if member.user_id else {}
    items = [
        TodoItem(
            kind="evaluations.self",
            title=_("述岗自评：%(year)s年%(kind)s") % {"year": p.year, "kind": p.get_kind_display()},
            organization=p.organization.name,
            deadline=_deadline(p, today),
            url=reverse("evaluations:self_evaluation", args=[p.pk]),
            action=_("去自评"),
        )
        for p in periods
        if missing.get(p.pk)
    ]
    items += [
        TodoItem(
            kind="evaluations.rectification",
            title=_("限期整改"),
            detail=r.meeting_text[:60],
            organization=r.organization.name,
            deadline=r.deadline,
            url=reverse("evaluations:rectification", args=[r.pk]),
            action=_("查看整改"),
        )
        for r in open_rectifications().filter(member=member)
    ]
    return items


def _led_ids(grants) -> list[int]:
    return sorted({g.organization_id for g in grants if g.role in SECRETARY_ROLES})


def secretary_todo(grants, *, today: datetime.date) -> list[TodoItem]:
    """For the secretaries of an organization: assessments missing in its periods open today, polls not handed out
    yet (no voting codes issued), and open rectifications of its members. A fixed number of queries per organization
    led, whatever the number of members."""
    led = _led_ids(grants)
    if not led:
        return []
    periods = list(
        EvaluationPeriod.objects.filter(_taking_writes(today), organization_id__in=led)
        .select_related("organization")
        .annotate(n_codes=Count("poll__codes"))
        .order_by("closes_on", "pk")
    )
    items: list[TodoItem] = []
    for period in periods:
        title = _("%(year)s年%(kind)s") % {"year": period.year, "kind": period.get_kind_display()}
        deadline = _deadline(period, today)
        # the members with whether each is assessed in the period: one query
        members = period_members(period).only("pk", "user_id", "name").annotate(
            assessed=Exists(Assessment.objects.filter(period=period, member=OuterRef("pk"))))
        missing = [m for m in members if not m.assessed]
        if missing:
            names = "、".join(m.name for m in missing[:NAMES_SHOWN]) + ("等" if len(missing) > NAMES_SHOWN else "")
            items.append(TodoItem(
                kind="evaluations.assessment",
                title=_("综合评定：%(title)s，%(n)s人尚未评定") % {"title": title, "n": len(missing)},
                detail=names,
                organization=period.organization.name, deadline=deadline, count=len(missing),
                url=reverse("evaluations:assess_batch", args=[period.pk]), action=_("去评定"),
            ))
        if not period.n_codes:
            items.append(TodoItem(
                kind="evaluations.poll", title=_("发放民意测评票：%(title)s") % {"title": title}, detail=_("尚未生成投票码"),
                organization=period.organization.name, deadline=deadline,
                url=reverse("evaluations:poll", args=[period.pk]), action=_("去发放"),
            ))
    items += [
        TodoItem(
            kind="evaluations.rectification_org", title=_("跟进限期整改：%(member)s") % {"member": r.member.name},
            organization=r.organization.name, deadline=r.deadline,
            url=reverse("evaluations:rectification", args=[r.pk]), action=_("去跟进"),
        )
        for r in open_rectifications().filter(organization_id__in=led)
    ]
    return items


def judged_above_todo(user, *, today: datetime.date) -> list[TodoItem]:
    """Nobody judges their own work (evaluations.assessors): a secretary's 综合评定 is made one level up. For each
    open period below the organizations the user leads or serves, the secretaries rated in it whom this user's
    organization assesses (the one directly above the top-most organization each leads) and who are not assessed
    yet. Three queries, whatever the number of periods or members."""
    grants = access.grants(user)
    paths = access._paths(user, MANAGING_ROLES)
    if not paths:
        return []
    leaders: dict[int, dict] = {}
    rows = RoleAssignment.objects.filter(
        access._subtree_q(paths, "organization__path"), role__in=SECRETARY_ROLES, user__member__is_active=True
    ).exclude(user=user).values_list("user__member", "user__member__name", "user__member__organization__path",
                                     "organization__path")
    for member_pk, name, member_path, led_path in rows:
        entry = leaders.setdefault(member_pk, {"name": name, "path": member_path, "led": []})
        entry["led"].append(led_path)
    if not leaders:
        return []
    step = Organization.steplen
    prefixes = {m["path"][:i] for m in leaders.values() for i in range(step, len(m["path"]) + 1, step)}
    led_here = set(_led_ids(grants))
    judges = {g.path for g in grants if g.role in MANAGING_ROLES}
    periods = [
        p for p in EvaluationPeriod.objects.filter(_taking_writes(today), organization__path__in=prefixes)
        .select_related("organization").order_by("closes_on", "pk")
        if p.organization_id not in led_here  # the user's own organizations' periods: secretary_todo
    ]
    done = set(Assessment.objects.filter(period__in=periods, member__in=list(leaders)).values_list(
        "period_id", "member_id"))
    items = []
    for period in periods:
        top = period.organization.path
        names = []
        for member_pk, m in leaders.items():
            if not m["path"].startswith(top) or (period.pk, member_pk) in done:
                continue
            led = [p for p in m["led"] if m["path"].startswith(p) or p.startswith(top)]
            # judged exactly one level above the top-most organization she leads (access.judging_organization)
            if led and min(led, key=len)[:-step] in judges:
                names.append(m["name"])
        if names:
            items.append(TodoItem(
                kind="evaluations.assessment_above",
                title=_("综合评定（下级书记）：%(organization)s%(year)s年%(kind)s，%(n)s人") % {
                    "organization": period.organization.name, "year": period.year, "kind": period.get_kind_display(),
                    "n": len(names)},
                detail="、".join(sorted(names)[:NAMES_SHOWN]),
                organization=period.organization.name, deadline=_deadline(period, today), count=len(names),
                url=reverse("evaluations:assess_batch", args=[period.pk]), action=_("去评定"),
            ))
    return items

