"""Reads of the organization tree, always scoped by organizations.access."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from . import access
from .models import Member, Organization


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
