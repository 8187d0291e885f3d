"""Reads of the year end: the four periods side by side, the year's grade distribution, 限期整改."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from organizations import access
from organizations.models import Organization

from ..enums import GRADE_ORDER, PERIOD_ORDER, PeriodKind
from ..models import Rating, Rectification


def year_grid(org: Organization, year: int, members) -> list[dict]:
    """The four periods side by side for each member on the page (one query). A member's periods may be run by
    the branch or by an organization above it; the branch's own (the deepest) wins."""
    ratings = (
        Rating.objects.filter(member__in=[m.pk for m in members], period__year=year, published=True)
        .select_related("period__organization")
        .order_by("period__organization__depth")
    )
    by_member: dict[int, dict[str, Rating]] = {}
    for r in ratings:
        by_member.setdefault(r.member_id, {})[r.period.kind] = r
    rows = []
    for m in members:
        cells = [by_member.get(m.pk, {}).get(k) for k in PERIOD_ORDER]
        scores = [c.weighted_score for c in cells if c]
        average = (sum(scores) / len(scores)).quantize(Decimal("0.01")) if scores else None
        rows.append({"member": m, "cells": cells, "average": average})
    return rows


def year_distribution(org: Organization, year: int) -> list[dict]:
    """Grade counts per period kind over the organization's subtree, and how many of those grades were computed
    without a part (缺自评 / 缺测评 / 缺评定: the snapshot names absent parts) (one query)."""
    rows = (
        Rating.objects.filter(
            period__year=year, published=True, period__organization__path__startswith=org.path
        )
        .order_by()
        .values("period__kind", "grade")
        .annotate(n=Count("pk"), missing=Count("pk", filter=Q(snapshot__has_key="absent")))
    )
    counts: dict[str, Counter] = {k: Counter() for k in PERIOD_ORDER}
    missing: Counter = Counter()
    for row in rows:
        counts[row["period__kind"]][row["grade"]] += row["n"]
        missing[row["period__kind"]] += row["missing"]
    return [
        {"kind": PeriodKind(k).label, "counts": [counts[k].get(g, 0) for g in GRADE_ORDER],
         "total": sum(counts[k].values()), "missing": missing[k]}
        for k in PERIOD_ORDER
    ]


def year_kinds() -> list[str]:
    return [PeriodKind(k).label for k in PERIOD_ORDER]


def get_rectification_for_user(user, pk: int) -> Rectification:
    """Secretaries and staff above the organization, or the member concerned (read only)."""
    rect = get_object_or_404(Rectification.objects.select_related("member", "organization", "rating__period"), pk=pk)
    if access.is_visible(user, rect.organization):
        return rect
    if rect.member.user_id and rect.member.user_id == getattr(user, "pk", None):
        return rect
    raise Http404
