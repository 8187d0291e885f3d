"""Reads of the organization tree, always scoped by organizations.access."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from . import access
from .enums import CONTACT_POINT_KINDS, GRASSROOTS_KINDS
from .models import ContactPoint, DemonstrationUnit, Honour, Leader, Member, Organization


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
        return Organization.objects.get_root_nodes()
    paths = access._paths(user, access.MANAGING_ROLES)
    return Organization.objects.filter(path__in=paths).order_by("path")


def children(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.get_children(org).order_by("path")


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


def highest_honours(org: Organization, honours: list[Honour] | None = None) -> dict[str, Honour]:
    """For each title the organization (or its school) holds, the honour of the highest level (latest year on a tie).

    `honours` may pass the organization's honours already read (honours_of) to save the query."""
    best: dict[str, Honour] = {}
    for honour in honours_of(org) if honours is None else honours:
        held = best.get(honour.title.name)
        if held is None or (honour.rank, honour.year) > (held.rank, held.year):
            best[honour.title.name] = honour
    return best


def highest_per_track(org: Organization, honours: list[Honour] | None = None) -> dict[str, Honour]:
    """The single highest honour per track (党组织 / 学校): {track value -> Honour}."""
    best: dict[str, Honour] = {}
    for honour in highest_honours(org, honours).values():
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
    today = timezone.localdate()
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


def coverage_rows(org: Organization, *, county: Organization | None = None) -> list[dict]:
    """Coverage of each child organization of `org` holding grassroots organizations (one query).

    Each row: {"org", "total", "launched", "percent", "missing"}. With `county`, only that child."""
    kids = list(children(org) if county is None else Organization.objects.filter(pk=county.pk))
    if not kids:
        return []
    prefix_len = len(kids[0].path)
    counts: dict[str, list[int]] = {k.path: [0, 0] for k in kids}
    rows = grassroots(county or org).values_list("path", "launched_on")
    for path, launched_on in rows:
        key = path[:prefix_len]
        if key in counts:
            counts[key][0] += 1
            counts[key][1] += launched_on is not None
    out = []
    for k in kids:
        total, launched = counts[k.path]
        if not total:
            continue
        out.append(
            {
                "org": k,
                "total": total,
                "launched": launched,
                "percent": round(100 * launched / total, 1),
                "missing": total - launched,
            }
        )
    return out


def not_launched(org: Organization) -> QuerySet[Organization]:
    return grassroots(org).filter(launched_on__isnull=True).order_by("path")


# ---- typical units, leaders, contact points -----------------------------------------------------------------------


def demonstrations_in(user, org: Organization, *, kind: str = "", year: int | None = None, text: str = "") -> QuerySet:
    """Typical units inside the organization's subtree that the user may see (searchable by the unit's name)."""
    qs = access.scope(DemonstrationUnit.objects.all(), user).filter(organization__path__startswith=org.path)
    qs = qs.filter(search_q(text, name_field="organization__name"))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    return (
        qs.select_related("organization", "designated_by", "leader")
        .annotate(n_publicity=Count("publicity"))
        .order_by("-year", "designated_by__path", "organization__path", "pk")
    )


def leaders_in(user, org: Organization) -> QuerySet[Leader]:
    """Leaders of committees in the subtree (scoped), with their number of contact points."""
    return (
        access.scope(Leader.objects.filter(is_active=True), user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization")
        .annotate(n_points=Count("contact_points"))
        .order_by("organization__path", "pk")
    )


def leaders_without_contact_point(user, org: Organization) -> QuerySet[Leader]:
    """Leaders of county/zone committees, 市属高校党委 and 机关党委 who have no contact point yet (policy 五.二)."""
    return leaders_in(user, org).filter(organization__kind__in=CONTACT_POINT_KINDS, n_points=0)


def contact_points_in(user, org: Organization) -> QuerySet[ContactPoint]:
    return (
        access.scope(ContactPoint.objects.all(), user, "leader__organization")
        .filter(leader__organization__path__startswith=org.path)
        .select_related("leader", "leader__organization", "organization")
        .annotate(n_visits=Count("visits"))
        .order_by("leader__organization__path", "leader_id", "pk")
    )


def member_filters(qs: QuerySet[Member], params) -> QuerySet[Member]:
    """Apply the member list's filters (政治面貌, 所属方面, 后备干部) from a GET dict."""
    if params.get("status"):
        qs = qs.filter(political_status=params["status"])
    if params.get("role"):
        qs = qs.filter(role_group=params["role"])
    if params.get("reserve") == "1":
        qs = qs.filter(is_reserve_cadre=True)
    return qs
