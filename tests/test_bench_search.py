"""The search rows of `make bench` (bench/search.py), run on a small generated province."""

import re
from io import StringIO

from django.core.management import call_command


def test_it_measures_member_and_organization_search_against_the_bare_view(db):
    from bench import search

    call_command("generate_scale", orgs=60, members=300, json=True, stdout=StringIO())

    rows = search.run(requests=2)

    names = [r["name"] for r in rows]
    assert [n.split(" (")[0].split(",")[0] for n in names] == [
        "member list without search", "member search by name", "member search by initials",
        "organization search by short form",
    ]
    assert all(r["ratio"] > 0 and r["note"].startswith("HTTP 200") for r in rows)
    found = int(re.search(r"; (\d+) rows on the first page", rows[1]["note"]).group(1))
    assert found >= 1  # the sampled member's own name finds them
