"""The dashboard's figures of the policy's working systems beside Annex 5: 年中巡查 and the closure of its items,
contact-point visits (and the leaders still owing one this quarter), 四争 aims per school, contacts with the masses.
Two queries whatever the size of the subtree: the counts as scalar subqueries of one SELECT, and the aims per school."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from inspections.models import FixItem, Inspection
from organizations.models import ContactVisit, Organization
from organizations.selectors import leaders_without_visit
from posts.enums import FourStrive
from posts.models import MassContact
from posts.selectors.masses import aims_by_school

from .figures import aggregate_in_one_query, quarter_end


def work_figures(root: Organization, year: int, quarter: int, *, counts: dict | None = None) -> dict:
    """The figures; `counts`: those of work_aggregates() when the caller has already counted them (e.g. in the same
    query as Annex 5's figures)."""
    if counts is None:
        counts = aggregate_in_one_query(root, work_aggregates(root, year, quarter))
    rate = round(100 * counts["closed"] / counts["items"], 1) if counts["items"] else None
    return {
        **counts,
        "rate": rate,
        "aims": aims_by_school(root, year),
        "aim_labels": [str(a.label) for a in FourStrive],
    }


def work_aggregates(root: Organization, year: int, quarter: int) -> dict:
    """{figure: (queryset, aggregate)} of the counts of work_figures(), for aggregate_in_one_query()."""
    path, today = root.path, timezone.localdate()
    start, end = datetime.date(year, quarter * 3 - 2, 1), quarter_end(year, quarter)
    until = min(end, today)
    items = FixItem.objects.filter(inspection__organization__path__startswith=path, inspection__year=year)
    return {
        "inspections": (Inspection.objects.filter(organization__path__startswith=path, year=year), Count("pk")),
        "items": (items, Count("pk")),
        "closed": (items, Count("pk", filter=Q(closed_on__isnull=False))),
        "overdue": (items, Count("pk", filter=Q(closed_on__isnull=True, due_on__lt=today))),
        "visits": (
            ContactVisit.objects.filter(
                contact_point__leader__organization__path__startswith=path, visited_on__gte=start, visited_on__lte=end
            ),
            Count("pk"),
        ),
        # a quarter not begun yet owes nothing: the empty period finds every leader visited
        "leaders_without_visit": (
            leaders_without_visit(path, start, until).select_related(None) if start <= until
            else leaders_without_visit(path, start, until).none(),
            Count("pk"),
        ),
        "mass_contacts": (
            MassContact.objects.filter(member__organization__path__startswith=path, contacted_on__year=year),
            Count("pk"),
        ),
    }  # fmt: skip
