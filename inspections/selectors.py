"""Reads of 年中巡查: a subtree's inspections of a year, the closure rate of their items, and the year-end awards."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Count, DateField, Exists, F, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from evaluations.models import AwardRound, MemberHonour
from organizations import access
from organizations.enums import SECRETARY_ROLES
from organizations.models import Organization
from organizations.selectors import leaders_without_visit

from .models import FixItem, FollowUp, Inspection, YearReview


def inspections_in(user, root: Organization, year: int) -> QuerySet[Inspection]:
    """Inspections of units in `root`'s subtree in the year, as the user may see them, with their item counts."""
    today = timezone.localdate()
    qs = Inspection.objects.filter(organization__path__startswith=root.path, year=year)
    return (
        access.scope(qs, user)
        .select_related("organization", "committee")
        .annotate(
            n_items=Count("items"),
            n_open=Count("items", filter=Q(items__closed_on__isnull=True)),
            n_overdue=Count("items", filter=Q(items__closed_on__isnull=True, items__due_on__lt=today)),
        )
        .order_by("-inspected_on", "-pk")
    )


def closure(root: Organization, year: int) -> dict:
    """Inspections, items to fix, items closed and the closure rate (%) in `root`'s subtree in the year (one query)."""
    items = FixItem.objects.filter(inspection__organization__path__startswith=root.path, inspection__year=year)
    row = items.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(closed_on__isnull=False)),
        overdue=Count("pk", filter=Q(closed_on__isnull=True, due_on__lt=timezone.localdate())),
    )
    row["inspections"] = Inspection.objects.filter(organization__path__startswith=root.path, year=year).count()
    row["rate"] = round(100 * row["closed"] / row["total"], 1) if row["total"] else None
    return row


def get_inspection_for_user(user, pk: int) -> Inspection:
    return access.get_for_user(Inspection.objects.select_related("organization", "committee"), user, pk)


def get_item_for_user(user, pk: int) -> FixItem:
    qs = FixItem.objects.select_related("inspection", "inspection__organization", "inspection__committee")
    return access.get_for_user(qs, user, pk, field="inspection__organization")


def items_of(inspection: Inspection) -> list[FixItem]:
    return list(inspection.items.prefetch_related("follow_ups").order_by("due_on", "pk"))


def year_review(root: Organization, year: int) -> YearReview | None:
    return YearReview.objects.filter(organization=root, year=year).select_related("updated_by").first()


def awards(root: Organization, year: int, limit: int = 50) -> dict:
    """讲评表彰: the honours conferred on members of the subtree in the year, and the award rounds held."""
    honours = MemberHonour.objects.filter(member__organization__path__startswith=root.path, year=year)
    rounds = AwardRound.objects.filter(organization__path__startswith=root.path, year=year)
    return {
        "honours": list(honours.select_related("member", "member__organization").order_by("title", "pk")[:limit]),
        "honour_count": honours.count(),
        "rounds": list(
            rounds.select_related("organization")
            .annotate(n=Count("nominations"))
            .order_by("organization__path", "title")[:limit]
        ),
    }


def open_items_for_secretary(grants, *, today: datetime.date) -> QuerySet[FixItem]:
    """Open items to fix of the units where the user is secretary (the home page asks this)."""
    org_ids = [g.organization_id for g in grants if g.role in SECRETARY_ROLES]
    return (
        FixItem.objects.filter(inspection__organization_id__in=org_ids, closed_on__isnull=True)
        .select_related("inspection__organization")
        .order_by("due_on", "pk")
    )


def items_for_committee(committee_ids: list[int], *, today: datetime.date) -> QuerySet[FixItem]:
    """Open items of the inspections these committees made that are overdue or whose unit reported progress (to be
    verified and closed), each with `has_progress` (one query)."""
    progress = Exists(FollowUp.objects.filter(item=OuterRef("pk")))
    return (
        FixItem.objects.filter(inspection__committee_id__in=committee_ids, closed_on__isnull=True)
        .annotate(has_progress=progress)
        .filter(Q(due_on__lt=today) | Q(has_progress=True))
        .select_related("inspection__organization")
        .order_by("due_on", "pk")
    )


# the columns both halves of committee_work's UNION select, in this order
_WORK_COLUMNS = ("w_kind", "w_id", "w_ref", "w_text", "w_who", "w_day", "w_org", "w_progress")


def committee_work(
    committee_ids: list[int], *, today: datetime.date, leaders_since: datetime.date | None
) -> tuple[list[dict], list[dict]]:
    """What a committee's staff have to do, in ONE query (the home page is held to a query budget): the open items of
    its inspections that are overdue or reported on (items_for_committee), and — when `leaders_since` is given — its
    serving leaders with contact points but no visit since that day (organizations.selectors.leaders_without_visit).
    Returns (items, leaders) as dicts: items with id, inspection_id, content, responsible, due_on, organization,
    has_progress (by due date); leaders with id, committee_id, name, title, committee (by committee and id)."""
    items = items_for_committee(committee_ids, today=today).annotate(
        w_kind=Value("item"), w_id=F("pk"), w_ref=F("inspection_id"), w_text=F("content"), w_who=F("responsible"),
        w_day=F("due_on"), w_org=F("inspection__organization__name"), w_progress=F("has_progress"),
    ).order_by().values(*_WORK_COLUMNS)  # fmt: skip
    if leaders_since is not None:
        leaders = leaders_without_visit("", leaders_since, today).filter(organization_id__in=committee_ids).annotate(
            w_kind=Value("leader"), w_id=F("pk"), w_ref=F("organization_id"), w_text=F("name"), w_who=F("title"),
            w_day=Value(None, output_field=DateField()), w_org=F("organization__name"),
            w_progress=Value(False, output_field=BooleanField()),
        ).order_by().values(*_WORK_COLUMNS)  # fmt: skip
        items = items.union(leaders, all=True)
    rows = list(items)
    fixes = sorted(
        ({"id": r["w_id"], "inspection_id": r["w_ref"], "content": r["w_text"], "responsible": r["w_who"],
          "due_on": r["w_day"], "organization": r["w_org"], "has_progress": bool(r["w_progress"])}
         for r in rows if r["w_kind"] == "item"),
        key=lambda r: (r["due_on"], r["id"]),
    )  # fmt: skip
    leaders = sorted(
        ({"id": r["w_id"], "committee_id": r["w_ref"], "name": r["w_text"], "title": r["w_who"], "committee": r["w_org"]}
         for r in rows if r["w_kind"] == "leader"),
        key=lambda r: (r["committee_id"], r["id"]),
    )  # fmt: skip
    return fixes, leaders
