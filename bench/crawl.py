"""Every page of the crawl, measured: the access matrix's visits (tests/browser/test_phone_widths.py `crawl`: every URL
pattern; the pages of objects each role owns, lists and dashboards as every signed-in role, public pages anonymously)
on the bench database, each as the ratio of its median under gunicorn to the bare one-query view's, with its SQL
queries. A new URL gets a matrix entry (tests/test_access_matrix.py insists on it) and is measured here too.

The matrix's objects (the test World: a city of two counties with a school and branch each, a reporting unit, and
what each app's fixtures add) are built once in the bench database, beside the generated province, under their own
root; the visit list is kept in var/bench/crawl-<db>.json. Lists and dashboards (pages without an object in the URL)
are opened by the generated province's users of the same role (bench_city, bench_county, …), so that they show the
whole province; pages of an object are opened by the object's owner.

Targets (issue 21): every page ≤ QUERY_BUDGET queries and ≤ RATIO_BUDGET × bare (downloads — PDF, xlsx — are held to
the query budget here and to the export targets elsewhere in the bench). A page that misses either is named in the
report and makes `bench/run.py` exit with a failure.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

QUERY_BUDGET = 15
RATIO_BUDGET = 3.0
# the role of a crawl visit → the generated province's user of that role, for pages without an object in the URL
PROVINCE_USERS = {
    "city_staff": "bench_city",
    "county_b_staff": "bench_county",
    "unit_staff": "bench_unit",
    "school_b_secretary": "bench_school",
    "branch_b_secretary": "bench_branch",
    "member_b": "bench_member",
}
STATE_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"


def _state_file() -> Path:
    from django.db import connection

    return STATE_DIR / f"crawl-{connection.settings_dict['NAME']}.json"


def visits() -> list[dict]:
    """The crawl's GET visits on this database: {"role", "user", "name", "url"}; the World is built on first use."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.urls import resolve

    state = _state_file()
    if state.exists() and get_user_model().objects.filter(username="city_staff").exists():
        return json.loads(state.read_text())
    from tests.browser.test_phone_widths import crawl
    from tests.world import build_world

    with transaction.atomic():
        world = build_world()
        found = crawl(world)
    with connection.cursor() as cursor:  # the planner's statistics cover the World's rows, as autovacuum would
        cursor.execute("ANALYZE")
    users = set(get_user_model().objects.filter(username__in=PROVINCE_USERS.values()).values_list("username", flat=True))
    rows = []
    for role, name, url in found:
        has_object = bool(resolve(url.split("?", 1)[0]).kwargs)
        user = role
        if not has_object and PROVINCE_USERS.get(role) in users:
            user = PROVINCE_USERS[role]
        rows.append({"role": role, "user": None if role == "anonymous" else user, "name": name, "url": url})
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return rows


def count_queries(rows: list[dict]) -> dict[tuple, dict]:
    """Queries, status and kind of answer of each visit, with the test client (the request after a warm-up one)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients: dict = {}
    out = {}
    for row in rows:
        user = row["user"]
        if user not in clients:
            clients[user] = Client(raise_request_exception=False)
            if user:
                clients[user].force_login(get_user_model().objects.get(username=user))
        client = clients[user]
        client.get(row["url"])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(row["url"])
        kind = response.get("Content-Type", "").split(";")[0]
        out[(row["user"], row["url"])] = {"queries": len(ctx), "status": response.status_code, "type": kind}
    return out


def measure(rows: list[dict], *, requests: int = 24, threads: int | None = None) -> list[dict]:
    """Each visit's median under gunicorn, as a ratio to the bare view's median, measured in between (every few
    pages the bare view is asked again, so that a slower moment of the machine weighs on both sides)."""
    import os

    from django.utils.encoding import iri_to_uri

    from bench.pages import Page, fetch, free_port, hammer, session_cookie, start_gunicorn

    counted = count_queries(rows)
    workers = os.cpu_count() or 2
    threads = threads or workers * 2
    cookies = {u: session_cookie(u) for u in {r["user"] for r in rows} | {"bench_city"} if u}
    bare = Page("bare view (1 query)", "/bench/bare/", "bench_city")
    pages = [Page(f"{r['name']} ({r['role']})", iri_to_uri(r["url"]), r["user"] or "") for r in rows]
    port = free_port()
    server = start_gunicorn(port, workers)
    started = time.perf_counter()
    try:
        for p in [bare, *pages]:  # warm every worker
            for _ in range(workers):
                fetch(port, p.url, cookies.get(p.username, ""))
        for i, p in enumerate(pages):
            if i % 10 == 0:
                hammer(port, bare, cookies["bench_city"], requests, threads)
            hammer(port, p, cookies.get(p.username, ""), requests, threads)
        hammer(port, bare, cookies["bench_city"], requests, threads)
    finally:
        server.terminate()
        server.wait(timeout=20)
    bare_median = statistics.median(bare.latencies)
    out = [{"page": "bare view (1 query)", "role": "", "url": bare.url, "median_ms": round(bare_median * 1000, 1),
            "ratio": 1.0, "queries": 1, "status": 200, "miss": ""}]
    for row, p in zip(rows, pages, strict=True):
        median = statistics.median(p.latencies)
        c = counted[(row["user"], row["url"])]
        ratio = round(median / bare_median, 2)
        misses = []
        # a page answers under load what it answers alone (a redirect stays a redirect: an anonymous visitor sent to
        # the login page, a large export sent to its job page); a server error is a miss in any case
        other = sorted(p.statuses - {c["status"]})
        if c["status"] >= 500 or other:
            misses.append(f"HTTP {c['status']}" + (f" (under load: {', '.join(map(str, other))})" if other else ""))
        if c["queries"] > QUERY_BUDGET:
            misses.append(f"{c['queries']} queries > {QUERY_BUDGET}")
        if ratio > RATIO_BUDGET and c["type"] == "text/html":  # files (PDF, xlsx) answer to the export targets
            misses.append(f"{ratio}× bare > {RATIO_BUDGET}×")
        out.append({"page": row["name"], "role": row["role"], "user": row["user"], "url": row["url"],
                    "median_ms": round(median * 1000, 1), "ratio": ratio, "queries": c["queries"],
                    "status": c["status"], "type": c["type"], "miss": "; ".join(misses)})
    print(f"  crawl: {len(rows)} pages in {time.perf_counter() - started:.0f} s", flush=True)
    return out


def misses(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r.get("miss")]
