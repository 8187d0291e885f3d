"""Reads of 年中巡查: a subtree's inspections of a year, the closure rate of their items, and the year-end awards."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from evaluations.models import AwardRound, MemberHonour
from organizations import access
from organizations.enums import SECRETARY_ROLES
from organizations.models import Organization

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
