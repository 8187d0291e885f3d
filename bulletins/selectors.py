"""Reads of 情况通报 and 简报: the committee's draft drawn from the records (period results, late units, inspection
findings), the 简报 a user may open, what a page lists, and what the public pages show."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from evaluations.enums import GRADE_ORDER, PERIOD_ORDER, Grade, PeriodState
from evaluations.models import EvaluationPeriod, Rating
from inspections.models import FixItem, Inspection
from organizations import access
from organizations.enums import COMMITTEE_KINDS, SECRETARY_ROLES, STAFF_ROLES
from organizations.models import DemonstrationUnit, Organization
from posts.models import NoticeReceipt
from years.enums import PeriodKind, default_dates

from .enums import BriefState
from .models import Brief

FINDINGS_SHOWN = 5
LATE_SHOWN = 30


def latest_kind(year: int, today: datetime.date) -> str:
    """The latest rating period of the year whose window has opened by today (the first one before any has)."""
    opened = [k for k in PERIOD_ORDER if default_dates(year, k)[0] <= today]
    return (opened[-1] if opened else PERIOD_ORDER[0]).value


def late_units(root: Organization, year: int, kind: str, today: datetime.date) -> tuple[int, list[Organization]]:
    """How many units of the subtree have their period of this kind still open after its closing day (逾期未结束),
    and the first LATE_SHOWN of them in tree order (two queries)."""
    periods = EvaluationPeriod.objects.filter(
        organization__path__startswith=root.path, year=year, kind=kind, state=PeriodState.OPEN, closes_on__lt=today
    ).exclude(reopened_until__gte=today)
    shown = periods.select_related("organization").order_by("organization__path")[:LATE_SHOWN]
    return periods.count(), [p.organization for p in shown]


def grade_counts(root: Organization, year: int, kind: str) -> dict[str, int]:
    rows = (
        Rating.objects.filter(member__organization__path__startswith=root.path, period__year=year, period__kind=kind)
        .order_by()
        .values("grade")
        .annotate(n=Count("pk"))
    )
    return {r["grade"]: r["n"] for r in rows}


def circular_facts(root: Organization, year: int, kind: str, today: datetime.date) -> dict:
    """What the 情况通报 of a rating period reports, read from the records (a fixed number of queries)."""
    grades = grade_counts(root, year, kind)
    late_count, late = late_units(root, year, kind, today)
    items = FixItem.objects.filter(inspection__organization__path__startswith=root.path, inspection__year=year)
    closure = items.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(closed_on__isnull=False)),
        overdue=Count("pk", filter=Q(closed_on__isnull=True, due_on__lt=today)),
    )
    inspections = Inspection.objects.filter(organization__path__startswith=root.path, year=year)
    return {
        "year": year,
        "kind": kind,
        "kind_label": str(PeriodKind(kind).label),
        "grades": [{"label": str(Grade(g).label), "count": grades.get(g, 0)} for g in GRADE_ORDER],
        "rated": sum(grades.values()),
        "late": late,
        "late_count": late_count,
        "inspections": inspections.count(),
        "findings": list(inspections.select_related("organization").order_by("-inspected_on", "-pk")[:FINDINGS_SHOWN]),
        "items": closure,
    }


def circular_draft(root: Organization, facts: dict) -> dict[str, str]:
    """The title and text the committee's staff edit before issuing: results, late units, inspection findings."""
    lines = [_("一、考评结果")]
    if facts["rated"]:
        parts = "、".join(
            _("%(label)s %(n)s 人（%(p)s%%）") % {"label": g["label"], "n": g["count"],
                                                   "p": round(100 * g["count"] / facts["rated"])}
            for g in facts["grades"]
        )  # fmt: skip
        lines.append(_("%(org)s所辖共 %(n)s 名党员完成%(kind)s，其中%(parts)s。")
                     % {"org": root.name, "n": facts["rated"], "kind": facts["kind_label"], "parts": parts})  # fmt: skip
    else:
        lines.append(_("%(kind)s尚无考评结果。") % {"kind": facts["kind_label"]})
    lines.append(_("二、逾期未完成考评的单位"))
    late, count = facts["late"], facts["late_count"]
    if count:
        names = "、".join(o.name for o in late) + (_("等") if count > len(late) else "")
        lines.append(_("以下 %(n)s 个单位%(kind)s逾期未结束，请抓紧完成：%(names)s。")
                     % {"n": count, "kind": facts["kind_label"], "names": names})  # fmt: skip
    else:
        lines.append(_("各单位均按时完成%(kind)s。") % {"kind": facts["kind_label"]})
    lines.append(_("三、年中巡查发现的问题"))
    items = facts["items"]
    if facts["inspections"]:
        lines.append(_("本年度巡查 %(n)s 个单位次，提出整改事项 %(total)s 项，已销号 %(closed)s 项，逾期未销号 %(overdue)s 项。")
                     % {"n": facts["inspections"], **items})  # fmt: skip
        for inspection in facts["findings"]:
            lines.append(f"{inspection.organization.name}（{inspection.inspected_on:%m月%d日}）：{inspection.findings}")
    else:
        lines.append(_("本年度尚未开展巡查。"))
    title = _("%(year)s年%(kind)s情况通报") % {"year": facts["year"], "kind": facts["kind_label"]}
    return {"title": title, "body": "\n".join(lines)}


def read_by_unit(notice, root: Organization) -> list[dict]:
    """Who has read a 情况通报, per unit directly under the committee (its members' receipts grouped by the unit
    their organization lies in): two queries whatever the number of receipts."""
    if notice is None:
        return []
    cut = len(root.path) + Organization.steplen
    rows = list(
        NoticeReceipt.objects.filter(notice=notice)
        .annotate(unit=Substr("member__organization__path", 1, cut))
        .values("unit")
        .annotate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
        .order_by("unit")
    )
    names = dict(Organization.objects.filter(path__in=[r["unit"] for r in rows]).values_list("path", "name"))
    return [{"name": names.get(r["unit"], root.name), "read": r["read"], "total": r["total"]} for r in rows]


def may_issue_circular(user, org: Organization) -> bool:
    """The staff of a committee (county, college, bureau, city) issue 情况通报 in its name to its subtree; staff above
    it issue their own committee's."""
    return org.kind in COMMITTEE_KINDS and access.is_own_staff(user, org)


# ---- 简报 --------------------------------------------------------------------------------------------------------


def designations_of(org: Organization, year: int) -> QuerySet[DemonstrationUnit]:
    """The typical-unit designations of `org` in force in the year (designated that year or before), latest first."""
    return (
        DemonstrationUnit.objects.filter(organization=org, year__lte=year)
        .select_related("designated_by")
        .order_by("-year", "pk")
    )


def may_submit(user, demonstration: DemonstrationUnit) -> bool:
    """The typical unit's secretaries (or those above it) write up its good practice."""
    return access.is_secretary_of(user, demonstration.organization)


def may_decide(user, brief: Brief) -> bool:
    """The designating committee's own staff (a school designating its branch: the school's secretaries) approve
    or return a write-up; nobody decides their own."""
    if user is None or not user.is_authenticated or user.pk == brief.submitted_by_id:
        return False
    committee = brief.committee
    if committee.kind in COMMITTEE_KINDS:
        return access.is_own_staff(user, committee)
    return access.is_secretary_of(user, committee)


def get_brief_for_user(user, pk: int) -> Brief:
    """A write-up, for those who manage its unit; a published 简报 also for everyone its committee's subtree
    holds (members too). Anyone else: 404."""
    brief = get_object_or_404(Brief.objects.select_related("organization", "committee", "demonstration"), pk=pk)
    if access.is_visible(user, brief.organization):
        return brief
    if brief.is_published and access.reaches(user, brief.committee):
        return brief
    raise Http404


def published_briefs(committee: Organization) -> QuerySet[Brief]:
    return (
        Brief.objects.filter(committee=committee, state=BriefState.PUBLISHED)
        .select_related("organization")
        .order_by("-year", "-issue_no", "-pk")
    )


def pending_briefs(user, org: Organization) -> QuerySet[Brief]:
    """Write-ups not yet published that the page of `org` lists: sent to it as committee, or written by it."""
    return (
        access.scope(Brief.objects.exclude(state=BriefState.PUBLISHED), user)
        .filter(Q(committee=org) | Q(organization=org))
        .select_related("organization", "committee")
        .order_by("-submitted_at", "-pk")
    )


def own_briefs(org: Organization) -> QuerySet[Brief]:
    return Brief.objects.filter(organization=org, state=BriefState.PUBLISHED).select_related("committee")


def public_briefs(org: Organization, limit: int = 10) -> QuerySet[Brief]:
    """简报 published to the public that `org` wrote or edited, newest first."""
    return (
        Brief.objects.filter(Q(organization=org) | Q(committee=org), state=BriefState.PUBLISHED, public=True)
        .select_related("organization", "committee")
        .order_by("-decided_at", "-pk")[:limit]
    )


def briefs_for_home(grants, limit: int = 50) -> tuple[list[Brief], list[Brief]]:
    """Write-ups waiting for a decision of the committees the user is staff of (or of the schools the user leads,
    for their branches), and returned write-ups of the units the user leads: one query for the home page."""
    staff = [g.organization_id for g in grants if g.role in STAFF_ROLES]
    led = [g.organization_id for g in grants if g.role in SECRETARY_ROLES]
    if not (staff or led):
        return [], []
    decide = Q(committee_id__in=staff, committee__kind__in=COMMITTEE_KINDS)
    decide |= Q(committee_id__in=led) & ~Q(committee__kind__in=COMMITTEE_KINDS)
    decide &= Q(state=BriefState.SUBMITTED)
    returned = Q(organization_id__in=led, state=BriefState.RETURNED)
    rows = list(
        Brief.objects.filter(decide | returned)
        .select_related("organization")
        .order_by("submitted_at", "pk")[: 2 * limit]
    )
    return (
        [b for b in rows if b.state == BriefState.SUBMITTED][:limit],
        [b for b in rows if b.state == BriefState.RETURNED][:limit],
    )
