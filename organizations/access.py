"""The one access rule of 168.

A user sees an organization's data only if the organization lies in the subtree of an organization where the user
holds a staff or secretary role (committee staff of the city: the whole city). Outside it the object does not
exist for them: 404. Inside it but without the right to change it: 403. Members see their own records.
Every view asks this module; no view filters organizations by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .enums import MANAGING_ROLES, SECRETARY_ROLES, STAFF_ROLES, Role
from .models import Member, Organization, RoleAssignment

_CACHE_ATTR = "_access_168"


@dataclass(frozen=True)
class Grant:
    organization_id: int
    path: str
    role: str
    depth: int


def grants(user) -> list[Grant]:
    """The user's role assignments, read once per request (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = list(RoleAssignment.objects.filter(user=user).values_list(
            "organization_id", "organization__path", "role", "organization__depth", "user__member"
        ))
        cached = [Grant(*row[:4]) for row in rows]
        setattr(user, _CACHE_ATTR, cached)
        if rows and rows[0][4] is None and "member" not in user._state.fields_cache:
            # the same read says the login has no member record: own_member() asks no query of its own (the
            # cache Django itself keeps after `user.member` found nothing)
            user._state.fields_cache["member"] = None
    return cached


def forget(user) -> None:
    """Drop the cached grants (after roles change within one request), and what they said of a member record."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    state = getattr(user, "_state", None)
    if state is not None and "member" in state.fields_cache and state.fields_cache["member"] is None:
        del state.fields_cache["member"]


def _paths(user, roles: set[str]) -> list[str]:
    paths = sorted({g.path for g in grants(user) if g.role in roles})
    # keep only the top-most paths: a subtree inside another adds nothing
    top: list[str] = []
    for p in paths:
        if not any(p.startswith(t) for t in top):
            top.append(p)
    return top


def _subtree_q(paths: list[str], field: str = "path") -> Q:
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def visible_organizations(user) -> QuerySet[Organization]:
    """Organizations in the subtrees where the user holds a staff or secretary role."""
    if is_superuser(user):
        return Organization.objects.all()
    paths = _paths(user, MANAGING_ROLES)
    if not paths:
        return Organization.objects.none()
    return Organization.objects.filter(_subtree_q(paths))


def sees_organizations(user) -> bool:
    """Whether visible_organizations(user) holds anything, from the grants alone (no query): every grant's
    organization lies in its own subtree."""
    if is_superuser(user):
        return True
    return bool(_paths(user, MANAGING_ROLES))


def organization_filter(user, field: str = "organization") -> Q | None:
    """A Q that keeps rows whose `field` organization is visible; None means everything (superuser).

    Returns a Q matching nothing when the user sees no organization.
    """
    if is_superuser(user):
        return None
    paths = _paths(user, MANAGING_ROLES)
    if not paths:
        return Q(pk__in=[])
    return _subtree_q(paths, f"{field}__path")


def scope(queryset: QuerySet, user, field: str = "organization") -> QuerySet:
    """Restrict any queryset with an organization foreign key (named `field`) to what the user may see."""
    q = organization_filter(user, field)
    return queryset if q is None else queryset.filter(q)


def is_visible(user, org: Organization) -> bool:
    if is_superuser(user):
        return True
    return any(org.path.startswith(p) for p in _paths(user, MANAGING_ROLES))


def can_edit(user, org: Organization) -> bool:
    """Staff and secretaries may change what lies in their subtree."""
    return is_visible(user, org)


def is_secretary_of(user, org: Organization) -> bool:
    """A secretary (or branch secretary) of this organization or of one above it."""
    if is_superuser(user):
        return True
    return any(org.path.startswith(p) for p in _paths(user, SECRETARY_ROLES))


def is_staff_of(user, org: Organization) -> bool:
    """Committee or reporting-unit staff whose subtree holds this organization."""
    if is_superuser(user):
        return True
    return any(org.path.startswith(p) for p in _paths(user, STAFF_ROLES))


def reaches(user, org: Organization) -> bool:
    """Whether what `org` publishes to its subtree (a committee's 简报) reaches the user: any role of theirs, a
    member's too, lies inside `org`'s subtree or above it. Users of a sibling subtree are not reached (404)."""
    if is_superuser(user):
        return True
    return any(g.path.startswith(org.path) or org.path.startswith(g.path) for g in grants(user))


def is_own_staff(user, org: Organization) -> bool:
    """Staff of this very organization (not of one above it): who acts in its name, e.g. issues its 情况通报."""
    return is_superuser(user) or any(g.organization_id == org.pk and g.role in STAFF_ROLES for g in grants(user))


def is_city_staff(user) -> bool:
    return is_superuser(user) or any(g.role == Role.CITY_STAFF for g in grants(user))


def has_role(user, *roles: str) -> bool:
    return is_superuser(user) or any(g.role in roles for g in grants(user))


def get_organization_for_user(user, pk, *, to_edit: bool = False) -> Organization:
    """The organization if the user may see it (else 404); with to_edit, 403 where they may see but not change."""
    org = get_object_or_404(visible_organizations(user), pk=pk)
    if to_edit and not can_edit(user, org):
        raise PermissionDenied
    return org


def get_for_user(queryset: QuerySet, user, pk, *, field: str = "organization", to_edit: bool = False):
    """Any object with an organization foreign key: 404 outside the user's subtree, 403 if seen but not editable."""
    obj = get_object_or_404(scope(queryset, user, field), pk=pk)
    if to_edit:
        org = obj
        for part in field.split("__"):
            org = getattr(org, part)
        if not can_edit(user, org):
            raise PermissionDenied
    return obj


# ---- members: their own records ----------------------------------------------------------------------------------


def own_member(user) -> Member | None:
    """The member record linked to this login, if any."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None


def visible_members(user) -> QuerySet[Member]:
    """Members in the user's subtrees, plus the user's own member record."""
    qs = Member.objects.all()
    if is_superuser(user):
        return qs
    q = organization_filter(user) or Q()
    if user is not None and user.is_authenticated:
        q |= Q(user=user)
    return qs.filter(q)


def get_member_for_user(user, pk, *, to_edit: bool = False) -> Member:
    member = get_object_or_404(visible_members(user).select_related("organization"), pk=pk)
    if to_edit and not (member.user_id == user.pk or can_edit(user, member.organization)):
        raise PermissionDenied
    if member.user_id is not None and member.user_id == user.pk and "member" not in user._state.fields_cache:
        user._state.fields_cache["member"] = member  # one's own record: own_member() need not read it again
    return member


def can_see_phone(user, member: Member) -> bool:
    """Phone numbers are private: only the member and the secretaries of the member's organization (or above)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    return member.user_id == user.pk or is_secretary_of(user, member.organization)


def require(condition: bool) -> None:
    """403 for a user who sees the object but may not do this to it."""
    if not condition:
        raise PermissionDenied


def can_see_history(user, org: Organization) -> bool:
    """The audit trail (修改记录) of a record of `org`: its secretaries and the staff above it, not members."""
    return is_secretary_of(user, org) or is_staff_of(user, org)


# ---- nobody judges their own work ----------------------------------------------------------------------------------


def judging_organization(author_id: int | None, org: Organization) -> Organization | None:
    """Where work that the user `author_id` did as a member of `org` is judged (approved, returned, assessed).

    A member's work is judged in `org` itself. A secretary's own work goes one level up: above the top-most
    organization of `org`'s chain that the author leads (a branch secretary's to the school Party organization, a
    school secretary's to the committee above). None when nothing lies above.
    """
    if author_id is None:
        return org
    step = Organization.steplen
    chain = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    led = RoleAssignment.objects.filter(
        user_id=author_id, role__in=SECRETARY_ROLES, organization__path__in=chain
    ).values_list("organization__path", flat=True)
    top = min(led, key=len, default=None)
    if top is None:
        return org
    return Organization.objects.filter(path=top[:-step]).first() if len(top) > step else None


def can_judge(user, *, author_id: int | None, org: Organization) -> bool:
    """Whether `user` may judge work of `author_id` done in `org`: never their own; otherwise a secretary of the
    judging organization (or above), and for a secretary's own work also the staff whose subtree holds it."""
    if user is None or not user.is_authenticated or (author_id is not None and user.pk == author_id):
        return False
    judge = judging_organization(author_id, org)
    if judge is None:
        return is_superuser(user)
    if judge.pk == org.pk:
        return is_secretary_of(user, org)
    return is_secretary_of(user, judge) or is_staff_of(user, judge)
