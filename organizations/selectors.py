"""Reads of the organization tree, always scoped by organizations.access."""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from machinery.search import search_filter, search_rank

from . import access
from .enums import CONTACT_POINT_KINDS, GRASSROOTS_KINDS, Role
from .models import ContactPoint, ContactVisit, DemonstrationUnit, Honour, Leader, Member, Organization, RoleAssignment


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
    # sorted here: an ORDER BY over the whole row costs more to compile than sorting a handful of ancestors
    ancestors = sorted(Organization.objects.filter(path__in=prefixes).order_by(), key=lambda a: a.depth)
    return [a for a in ancestors if access.is_visible(user, a)]


def search_organizations(user, text: str) -> QuerySet[Organization]:
    """Visible organizations whose name, short form, pinyin or initials hold the text (machinery.search): whole
    matches first, then those starting with it, then the rest, each in tree order."""
    return (
        access.visible_organizations(user)
        .filter(search_filter(text))
        .annotate(rank=search_rank(text))
        .order_by("rank", "path")
    )


def units_below(org: Organization, *, grassroots_only: bool) -> QuerySet[Organization]:
    """The organizations a form of `org` may choose (its subtree without itself; grassroots ones only for typical
    units), in tree order."""
    qs = grassroots(org) if grassroots_only else subtree(org)
    return qs.exclude(pk=org.pk).filter(closed_on__isnull=True).order_by("path")


def search_units_below(user, org: Organization, text: str, *, grassroots_only: bool, limit: int = 20) -> list:
    """At most `limit` organizations of units_below() matching the text (name, short form, pinyin, initials), whole
    matches first; the user's visibility applies as well."""
    if not text:
        return []
    qs = search_organizations(user, text).filter(pk__in=units_below(org, grassroots_only=grassroots_only).values("pk"))
    return list(qs[:limit])


def subtree(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__startswith=org.path)


def members_of(user, org: Organization, text: str = "", *, include_inactive: bool = False) -> QuerySet[Member]:
    """Members of the organization's subtree (scoped), searchable by name, pinyin or initials (machinery.search);
    with a text, whole matches first, then those starting with it, then the rest."""
    qs = access.visible_members(user).filter(organization__path__startswith=org.path)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    qs = qs.select_related("organization")
    if not (text or "").strip():
        return qs.order_by("organization__path", "name", "pk")
    return (
        qs.filter(search_filter(text))
        .annotate(rank=search_rank(text))
        .order_by("rank", "organization__path", "name", "pk")
    )


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
    return coverage_figures(row["total"], row["launched"])


def coverage_figures(total: int, launched: int) -> dict:
    """coverage()'s figures from the two counts already made."""
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


def coverage_by_child(org: Organization) -> dict[str, tuple[int, int]]:
    """The grassroots organizations of the subtree counted per child of `org`, in one grouped query:
    {path: (total, launched)} for each child holding any, plus `org`'s own path when it is a grassroots one itself
    (the figures summed up are coverage(org))."""
    width = len(org.path) + Organization.steplen
    rows = (
        grassroots(org).order_by().annotate(prefix=Substr("path", 1, width)).values("prefix")
        .annotate(total=Count("pk"), launched=Count("pk", filter=Q(launched_on__isnull=False)))
        .values_list("prefix", "total", "launched")
    )
    return {prefix: (total, launched) for prefix, total, launched in rows}


def coverage_row(unit: Organization, total: int, launched: int) -> dict:
    """One row of a table of units' coverage (coverage_of)."""
    return {"org": unit, "total": total, "launched": launched,
            "percent": round(100 * launched / total, 1), "missing": total - launched}


def coverage_units(org: Organization, *, county: Organization | None = None) -> QuerySet[Organization]:
    """The child organizations of `org` (or only `county`) that hold grassroots organizations, in tree order: a
    queryset, so that a page of them is counted and read in SQL (a city has thousands of children)."""
    if county is None:
        kids, width = children(org), len(org.path) + Organization.steplen
    else:
        kids, width = Organization.objects.filter(pk=county.pk), len(county.path)
    # the children some grassroots organization's path starts with (not a correlated LIKE: that one scans per child)
    held = grassroots(org if county is None else county).annotate(prefix=Substr("path", 1, width)).values("prefix")
    return kids.filter(path__in=held).order_by("path")


def coverage_of(units: list[Organization]) -> list[dict]:
    """Coverage of each of these sibling organizations' subtrees, counted in the database (one grouped query).

    Each row: {"org", "total", "launched", "percent", "missing"}; organizations holding no grassroots one are left
    out."""
    if not units:
        return []
    width = len(units[0].path)
    within = Q()
    for unit in units:
        within |= Q(path__startswith=unit.path)
    counted = {
        row["prefix"]: row
        for row in grassroots(None).filter(within).order_by().annotate(prefix=Substr("path", 1, width)).values("prefix")
        .annotate(total=Count("pk"), launched=Count("pk", filter=Q(launched_on__isnull=False)))
    }
    out = []
    for unit in units:
        row = counted.get(unit.path)
        if not row or not row["total"]:
            continue
        out.append(coverage_row(unit, row["total"], row["launched"]))
    return out


def coverage_rows(org: Organization, *, county: Organization | None = None) -> list[dict]:
    """Coverage of each child organization of `org` holding grassroots organizations (two queries; every row: for
    the export). With `county`, only that child."""
    return coverage_of(list(coverage_units(org, county=county)))


def not_launched(org: Organization) -> QuerySet[Organization]:
    return grassroots(org).filter(launched_on__isnull=True).order_by("path")


# ---- typical units, leaders, contact points -----------------------------------------------------------------------


def demonstrations_in(user, org: Organization, *, kind: str = "", year: int | None = None, text: str = "") -> QuerySet:
    """Typical units inside the organization's subtree that the user may see (searchable by the unit's name)."""
    qs = access.scope(DemonstrationUnit.objects.all(), user).filter(organization__path__startswith=org.path)
    qs = qs.filter(search_filter(text, "organization__search_key"))
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


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the quarter holding `day`."""
    first = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    last_month = first.month + 2
    return first, datetime.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def leaders_without_visit(path: str, start: datetime.date, end: datetime.date) -> QuerySet[Leader]:
    """Serving leaders of committees under `path` who have contact points but visited none of them between `start`
    and `end` (完善联系点制度: a leader visits a contact point at least once a quarter)."""
    visited = ContactVisit.objects.filter(
        contact_point__leader=OuterRef("pk"), visited_on__gte=start, visited_on__lte=end
    )
    return (
        Leader.objects.filter(is_active=True, organization__path__startswith=path)
        .filter(Exists(ContactPoint.objects.filter(leader=OuterRef("pk"))))
        .exclude(Exists(visited))
        .select_related("organization")
        .order_by("organization__path", "pk")
    )


def with_quarter_visits(leaders: QuerySet[Leader], day: datetime.date) -> QuerySet[Leader]:
    """The leaders, each with `quarter_visits`: visits to any of their contact points in the quarter of `day` up to it
    (a subquery: no extra query per leader)."""
    start, _end = quarter_bounds(day)
    visits = (
        ContactVisit.objects.filter(contact_point__leader=OuterRef("pk"), visited_on__gte=start, visited_on__lte=day)
        .order_by()
        .values("contact_point__leader")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return leaders.annotate(quarter_visits=Coalesce(Subquery(visits, output_field=IntegerField()), 0))


def roles_at(org: Organization):
    """The staff and secretary roles held at `org`, with their people."""
    return (
        RoleAssignment.objects.filter(organization=org)
        .exclude(role=Role.MEMBER)
        .select_related("user")
        .order_by("role", "user__username")
    )
