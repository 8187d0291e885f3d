"""Writes to the tree: adding organizations, and an organization launching the 168 mechanism (推广面)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Organization,
)


@transaction.atomic
def organization_create(*, parent: Organization | None, **fields) -> Organization:
    """Add an organization under `parent` (or as a root). Guarantees a valid row and a consistent tree path."""
    node = Organization(**fields)
    node.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return Organization.objects.add_root(instance=node)
    created = Organization.objects.add_child(parent, instance=node)
    parent.refresh_from_db(fields=["numchild"])
    return created


@transaction.atomic
def organization_launch(*, organization: Organization, launched_on) -> Organization:
    """Record when a grassroots organization launched the “168” mechanism (推广面)."""
    if not organization.is_grassroots:
        raise ValidationError(_("只有基层党组织登记推行“168”机制的日期"))
    if launched_on and launched_on > timezone.localdate():
        raise ValidationError({"launched_on": _("日期不能晚于今天")})
    organization.launched_on = launched_on
    organization.save(update_fields=["launched_on"])
    return organization


def in_subtree(org: Organization, top: Organization) -> bool:
    """Whether `org` lies in the subtree of `top` (itself included)."""
    return org.path.startswith(top.path)
