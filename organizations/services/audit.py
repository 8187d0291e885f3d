"""Writes to the audit log: logins and failed logins (Django's signals, beside axes' own lock-out records), exports
and downloads of personal data (recorded by the view that serves them), and the retention sweep."""

from __future__ import annotations

import datetime
import ipaddress

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..auth import axes_username
from ..enums import Role
from ..models import AuditEvent, AuditKind, Member, Organization, RoleAssignment


def _ip(request) -> str | None:
    if request is None:
        return None
    value = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def home_organization_id(user) -> int | None:
    """Where a person's logins are listed: the branch of their member record, else the top-most organization where
    they hold a role (so each committee above it sees them)."""
    if user is None or not getattr(user, "pk", None):
        return None
    member_org = Member.objects.filter(user_id=user.pk).values_list("organization_id", flat=True).first()
    if member_org:
        return member_org
    return (
        RoleAssignment.objects.filter(user_id=user.pk)
        .exclude(role=Role.MEMBER)
        .order_by("organization__depth")
        .values_list("organization_id", flat=True)
        .first()
    )


@transaction.atomic
def audit_record(
    *,
    kind: str,
    request=None,
    user=None,
    username: str = "",
    organization: Organization | int | None = None,
    what: str = "",
) -> AuditEvent:
    """One audit event, stamped now. `organization` (or its id) is whose data or whose login it is."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    org_id = getattr(organization, "pk", organization)
    event = AuditEvent(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        organization_id=org_id,
        what=what[:300],
        path=(request.get_full_path() if request is not None else "")[:300],
        ip=_ip(request),
        at=timezone.now(),
    )
    event.full_clean(exclude=["user", "organization"])
    event.save()
    return event


def on_logged_in(sender, request, user, **kwargs) -> None:
    audit_record(kind=AuditKind.LOGIN, request=request, user=user, organization=home_organization_id(user))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    from django.contrib.auth import get_user_model

    name = axes_username(request, credentials) if credentials or request is not None else ""
    known = get_user_model().objects.filter(username__iexact=name).first() if name else None
    audit_record(
        kind=AuditKind.LOGIN_FAILED,
        request=request,
        username=name,
        organization=home_organization_id(known),
    )


@transaction.atomic
def audit_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete audit events older than AUDIT_RETENTION_DAYS (0 keeps them for ever). Returns how many went."""
    days = settings.AUDIT_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
