"""Reads of the organization tree, always scoped by organizations.access."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet

from . import access
from .enums import GRASSROOTS_KINDS
from .models import Honour, Member, Organization


def search_q(text: str, *, name_field: str = "name") -> Q:
    """Match by name, pinyin initials (“zs” → 张三) or full pinyin."""
    text = (text or "").strip()
    if not text:
        return Q()
    low = text.lower()
    prefix = name_field.rsplit("name", 1)[0]
    return (
        Q(**{f"{name_field}__icontains": text})
        | Q(**{f"{prefix}name_initials__startswith": low})
        | Q(**{f"{prefix}name_pinyin__startswith": low})
    )


def tree_roots(user) -> QuerySet[Organization]:
    """The top-most organizations the user may see: the starting points of the tree browser."""
    if access.is_superuser(user):
        return Organization.get_root_nodes()
    paths = access._paths(user, access.MANAGING_ROLES)
    return Organization.objects.filter(path__in=paths).order_by("path")


def children(org: Organization) -> QuerySet[Organization]:
    return org.get_children().order_by("path")


def breadcrumbs(user, org: Organization) -> list[Organization]:
    """The organization's ancestors that the user may see, top first, in one query."""
    steplen = Organization.steplen
    prefixes = [org.path[:i] for i in range(steplen, len(org.path), steplen)]
    if not prefixes:
        return []
    ancestors = Organization.objects.filter(path__in=prefixes).order_by("depth")
    return [a for a in ancestors if access.is_visible(user, a)]


def search_organizations(user, text: str) -> QuerySet[Organization]:
    return access.visible_organizations(user).filter(search_q(text)).order_by("path")


def subtree(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__startswith=org.path)


def members_of(user, org: Organization, text: str = "", *, include_inactive: bool = False) -> QuerySet[Member]:
    """Members of the organization's subtree (scoped), searchable by name or pinyin."""
    qs = access.visible_members(user).filter(organization__path__startswith=org.path)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.filter(search_q(text)).select_related("organization").order_by("organization__path", "name", "pk")


# ---- honours ----------------------------------------------------------------------------------------------------


def honours_of(org: Organization) -> QuerySet[Honour]:
    return Honour.objects.filter(organization=org).select_related("title").order_by("-year", "title__name", "pk")


def highest_honours(org: Organization) -> dict[str, Honour]:
    """For each title the organization (or its school) holds, the honour of the highest level (latest year on a tie)."""
    best: dict[str, Honour] = {}
    for honour in honours_of(org):
        held = best.get(honour.title.name)
        if held is None or (honour.rank, honour.year) > (held.rank, held.year):
            best[honour.title.name] = honour
    return best


def highest_per_track(org: Organization) -> dict[str, Honour]:
    """The single highest honour per track (党组织 / 学校): {track value -> Honour}."""
    best: dict[str, Honour] = {}
    for honour in highest_honours(org).values():
        held = best.get(honour.title.track)
        if held is None or (honour.rank, honour.year) > (held.rank, held.year):
            best[honour.title.track] = honour
    return best


# ---- coverage (推广面) ---------------------------------------------------------------------------------------------


def grassroots(org: Organization | None) -> QuerySet[Organization]:
    """Grassroots Party organizations (school committees, general branches, branches) in the subtree (or the city)."""
    qs = Organization.objects.filter(kind__in=GRASSROOTS_KINDS)
    if org is not None:
        qs = qs.filter(path__startswith=org.path)
    return qs


def coverage(org: Organization | None) -> dict:
    """推广面 of a subtree: {"total", "launched", "percent"} over grassroots organizations; percent is 0–100 (1 dp).

    Also gives "missing" (not launched yet), "deadline" (31 December of the current year) and "days_left".
    """
    row = grassroots(org).aggregate(total=Count("pk"), launched=Count("pk", filter=Q(launched_on__isnull=False)))
    total, launched = row["total"], row["launched"]
    percent = round(100 * launched / total, 1) if total else 100.0
    today = datetime.date.today()
    deadline = datetime.date(today.year, 12, 31)
    return {
        "total": total,
        "launched": launched,
        "percent": percent,
        "missing": total - launched,
        "gap": round(100 - percent, 1),
        "deadline": deadline,
        "days_left": (deadline - today).days,
    }
