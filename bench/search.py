"""Search over the whole generated province: the member list of the top organization searched by a member's name and by
its pinyin initials, and the organization search by a short form (实小), each against the bare one-query view; the
same member list without a search is measured beside them, to tell the page's own cost from the search's.

In this process, with Django's test client, signed in as the bench's province staff (bench_city): each page is asked
`REQUESTS` times after a warm-up, the pages interleaved, and the figure is the median time; “× baseline” is that over
the bare view's median. The note gives the page's queries, the rows on its first page, and on PostgreSQL whether the
plan reads the trigram index of the search keys.
"""

from __future__ import annotations

import statistics
import time

REQUESTS = 30


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def _plan_uses(queryset, index: str) -> str:
    """Whether PostgreSQL's plan for the search reads the trigram index."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return "no trigram index on this database"
    if index in queryset.explain():
        return f"plan reads {index}"
    return f"plan does not read {index}"


def run(requests: int = REQUESTS) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from bench.counting import counting
    from organizations import selectors
    from organizations.models import Member, Organization, RoleAssignment

    user = get_user_model().objects.get(username="bench_city")
    top = RoleAssignment.objects.select_related("organization").get(user=user).organization
    sample = Member.objects.filter(organization__path__startswith=top.path, is_active=True).order_by("pk").first()
    if sample is None:
        return []
    members_url = reverse("organizations:members", args=[top.pk])
    cases = [
        ("bare", "/bench/bare/", None),
        ("member list without search (same page)", members_url, None),
        (f"member search by name ({sample.name})", f"{members_url}?q={sample.name}",
         selectors.members_of(user, top, sample.name)),
        (f"member search by initials ({sample.name_initials})", f"{members_url}?q={sample.name_initials}",
         selectors.members_of(user, top, sample.name_initials)),
        ("organization search by short form (实小)", f"{reverse('organizations:tree')}?q=实小",
         selectors.search_organizations(user, "实小")),
    ]
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client()
        client.force_login(user)
        times: dict[str, list[float]] = {label: [] for label, _url, _qs in cases}
        notes: dict[str, str] = {}
        for label, url, queryset in cases:  # warm up, count the queries, check the page answers
            client.get(url)
            with counting() as ctx:
                response = client.get(url)
            if label == "bare":
                continue
            rows = response.content.decode().count("<tr><td><a ") or response.content.decode().count(
                "list-group-item-action"
            )
            index = "organizations_member_search_trgm" if "member" in label else "organizations_org_search_trgm"
            plan = "" if queryset is None else "; " + _plan_uses(queryset, index)
            notes[label] = f"HTTP {response.status_code}; {ctx.count} queries; {rows} rows on the first page{plan}"
        for _ in range(requests):
            for label, url, _qs in cases:
                started = time.perf_counter()
                client.get(url)
                times[label].append(time.perf_counter() - started)
    members = Member.objects.filter(organization__path__startswith=top.path).count()
    orgs = Organization.objects.filter(path__startswith=top.path).count()
    bare = _median_ms(times["bare"])
    rows = []
    for label, _url, _qs in cases[1:]:
        ms = _median_ms(times[label])
        size = f"{orgs:,} organizations" if label.startswith("organization") else f"{members:,} members"
        rows.append({"name": f"{label}, {size}", "figure": f"{ms:.1f} ms",
                     "baseline": f"{bare:.1f} ms (bare view)", "ratio": round(ms / bare, 2), "note": notes[label]})
    return rows
