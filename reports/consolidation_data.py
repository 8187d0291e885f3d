"""Reads for the city's Annex 5 consolidation (汇总), scoped through organizations.access like every other read.

Callers have already checked that the user reviews quarterly reports (selectors.can_review).
"""

from __future__ import annotations

from organizations import access
from organizations.enums import Role
from organizations.models import Organization

from . import selectors
from .exports import consolidation
from .exports.table import Table


def unit_count(user) -> int:
    """How many reporting units the user's consolidation has (1 query)."""
    return selectors.reporting_units(user).count()


def owner_organization(user) -> Organization:
    """The organization a consolidation export belongs to: the committee where the user is city staff (the top-most
    one if several), the city root for a superuser. Its export job is seen only by those who see this organization."""
    grants = sorted((g for g in access.grants(user) if g.role == Role.CITY_STAFF), key=lambda g: g.path)
    if grants:
        return Organization.objects.get(pk=grants[0].organization_id)
    if access.is_superuser(user):
        return Organization.objects.get_root_nodes().order_by("path").first()
    raise Organization.DoesNotExist("no city committee for this user")


def consolidation_tables(user, year: int, quarter: int) -> list[Table]:
    """The consolidation's tables for the reporting units the user sees (2 queries, whatever the number of units)."""
    units = list(selectors.reporting_units(user).only("pk", "name", "path"))
    reports = list(
        selectors.reports_for_user(user, year=year, quarter=quarter).select_related(None).defer("figures_notes")
    )
    return consolidation.consolidation(units, reports, year, quarter)


def filename(year: int, quarter: int, ext: str) -> str:
    return f"附件5汇总_{year}年第{quarter}季度.{ext}"
