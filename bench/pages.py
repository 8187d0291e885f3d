"""Pages under gunicorn, side by side with the bare view, and SQL queries per page.

Latency: gunicorn (bench settings) on a free loopback port; a bounded client (a few threads, a fixed number of
requests) signs in with a session cookie and asks each page in turn, in interleaved rounds so that a slow moment of
the machine hits every page alike. The figure is each page's median divided by the bare view's median.

Queries: the Django test client in this process, counting queries with CaptureQueriesContext.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Page:
    label: str
    url: str
    username: str
    note: str = ""
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0
    statuses: set[int] = field(default_factory=set)  # every status the page answered under load


def _reverse(candidates: list[tuple[str, dict]]) -> tuple[str, str] | None:
    from django.urls import NoReverseMatch, reverse

    for name, kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs), name
        except NoReverseMatch:
            continue
    return None


def _org_of(username: str):
    from organizations.models import RoleAssignment

    return RoleAssignment.objects.select_related("organization").get(user__username=username).organization


def _unit_report(unit):
    from django.apps import apps

    try:
        Report = apps.get_model("reports.QuarterlyReport")
    except LookupError:
        return None
    return Report.objects.filter(organization=unit).order_by("-year", "-quarter").first()


def page_list() -> list[Page]:
    """The pages to measure, found by URL name; where an app's page is missing, the closest page that exists."""
    city, county, branch, unit = (_org_of(u) for u in ("bench_city", "bench_county", "bench_branch", "bench_unit"))
    pages = [Page("bare view (1 query)", "/bench/bare/", "bench_city")]
    wanted = [
        ("city dashboard", "bench_city", city, ["reports:dashboard"], "organizations:detail"),
        ("county dashboard", "bench_county", county, ["reports:dashboard"], "organizations:detail"),
        ("branch member list", "bench_branch", branch, ["organizations:members"], None),
        ("Annex 5 list (city)", "bench_city", city, ["reports:quarterly_list"], None),
        ("scorecard ranking (city)", "bench_city", city, ["scorecards:table"], None),
        ("scorecard ranking (county)", "bench_county", county, ["scorecards:table"], None),
    ]
    for label, username, org, names, fallback in wanted:
        found = _reverse([(n, s) for n in names for s in ({"pk": org.pk}, {"org_pk": org.pk}, {})])
        if found is None and fallback:
            found = _reverse([(fallback, {"pk": org.pk})])
            if found:
                pages.append(Page(label, found[0], username, note=f"stand-in: {fallback} (the page itself is missing)"))
            continue
        if found is not None:
            pages.append(Page(label, found[0], username, note=found[1]))
    report = _unit_report(unit)
    if report is not None:
        found = _reverse([("reports:quarterly_detail", {"pk": report.pk})])
        if found:
            pages.append(Page("Annex 5 report (unit)", found[0], "bench_unit", note=found[1]))
    return pages


def session_cookie(username: str) -> str:
    """A signed-in session for the user, as the login view would make it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings", PYTHONPATH=str(ROOT))
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


def fetch(port: int, url: str, cookie: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def hammer(port: int, page: Page, cookie: str, requests: int, threads: int) -> None:
    """`requests` GETs of the page from `threads` threads; latencies appended to the page."""
    lock = threading.Lock()
    left = [requests]

    def worker():
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            status, seconds = fetch(port, page.url, cookie)
            with lock:
                page.statuses.add(status)
                if status != 200:
                    page.errors += 1
                page.latencies.append(seconds)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    page.seconds += time.perf_counter() - started


def measure_latency(*, requests: int = 200, rounds: int = 4, threads: int | None = None) -> list[dict]:
    """Median and p95 latency and requests/s of each page, with its ratio to the bare view."""
    workers = os.cpu_count() or 2
    threads = threads or workers * 2
    pages = page_list()
    cookies = {p.username: session_cookie(p.username) for p in pages}
    port = free_port()
    server = start_gunicorn(port, workers)
    try:
        for p in pages:  # warm up every worker, and check the page answers
            for _ in range(workers * 2):
                status, _seconds = fetch(port, p.url, cookies[p.username])
                if status != 200:
                    p.note = f"HTTP {status} at {p.url}"
        per_round = max(1, requests // rounds)
        for _ in range(rounds):
            for p in pages:
                hammer(port, p, cookies[p.username], per_round, threads)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    bare = statistics.median(pages[0].latencies)
    rows = []
    for p in pages:
        lat = sorted(p.latencies)
        median = statistics.median(lat)
        rows.append(
            {
                "page": p.label,
                "url": p.url,
                "median_ms": round(median * 1000, 1),
                "p95_ms": round(lat[int(0.95 * (len(lat) - 1))] * 1000, 1),
                "rps": round(len(lat) / p.seconds, 1),
                "ratio": round(median / bare, 2),
                "errors": p.errors,
                "note": p.note,
            }
        )
    return rows


def count_queries() -> list[dict]:
    """SQL queries per page for the page's own user, in this process's database: the first request after the
    dashboard cache was dropped (cold) and the one after it (warm, what most requests see)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.counting import counting, timing_sql

    try:
        from reports.dashboard_cache import invalidate
    except ImportError:
        def invalidate():
            return None

    rows = []
    for p in page_list():
        client = Client()
        client.force_login(get_user_model().objects.get(username=p.username))
        client.get("/bench/bare/")  # warm per-process caches (content types and the like)
        invalidate()
        with counting() as cold:
            client.get(p.url)
        with counting() as warm:
            started = time.perf_counter()
            response = client.get(p.url)
            seconds = time.perf_counter() - started
        with timing_sql() as sql:
            client.get(p.url)
        rows.append({"page": p.label, "url": p.url, "status": response.status_code,
                     "queries": warm.count, "cold": cold.count, "note": p.note,
                     "ms": round(seconds * 1000, 1), "sql_ms": round(sql.seconds * 1000, 1),
                     "kib": round(len(response.content) / 1024, 1)})
    return rows
