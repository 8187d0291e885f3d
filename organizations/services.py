"""Writes to the organization tree. Every write validates (full_clean) and runs in a transaction."""

from __future__ import annotations

from django.db import transaction

from .models import Organization


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
