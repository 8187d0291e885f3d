from __future__ import annotations

from django.db.models import QuerySet

from organizations.models import Member


def members_for_logins(org, *, text: str = "", status: str = "") -> QuerySet[Member]:
    """Roster members of `org`'s subtree with their logins (one query with the user joined)."""
    qs = (
        Member.objects.filter(organization__path__startswith=org.path, is_active=True)
        .select_related("user", "organization")
        .order_by("organization__path", "name", "pk")
    )
    if text:
        qs = qs.filter(name__icontains=text)
    if status == "none":
        qs = qs.filter(user__isnull=True)
    elif status == "pending":
        qs = qs.filter(user__isnull=False, user__password__startswith="!", user__is_active=True)
    elif status == "active":
        qs = qs.filter(user__is_active=True).exclude(user__password__startswith="!")
    elif status == "stopped":
        qs = qs.filter(user__is_active=False)
    return qs


def login_status(member: Member) -> str:
    user = member.user
    if user is None:
        return "none"
    if not user.is_active:
        return "stopped"
    return "active" if user.has_usable_password() else "pending"
