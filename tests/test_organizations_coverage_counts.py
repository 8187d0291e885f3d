"""The coverage page counts every child of the organization in one grouped query (selectors.coverage_by_child):
its figures are coverage()'s and coverage_of()'s."""

import datetime

from organizations import selectors
from organizations.services import organization_launch


def test_coverage_by_child_sums_up_to_coverage_and_gives_each_childs_row(world):
    organization_launch(organization=world.branch_a, launched_on=datetime.date(2026, 3, 1))
    for org in (world.city, world.county_a, world.school_a, world.branch_a):
        counted = selectors.coverage_by_child(org)
        total, launched = sum(t for t, _ in counted.values()), sum(n for _, n in counted.values())
        cov = selectors.coverage(org)
        assert (total, launched) == (cov["total"], cov["launched"])
        assert selectors.coverage_figures(total, launched) == cov
        rows = {r["org"].path: (r["total"], r["launched"]) for r in selectors.coverage_of(list(selectors.children(org)))}
        assert {p: v for p, v in counted.items() if p != org.path} == rows
        units = list(selectors.coverage_units(org))
        assert [u.path for u in units] == sorted(rows)
