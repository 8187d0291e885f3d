"""The bench results as a terminal table and as docs/performance.md, with the issue's targets checked."""

from __future__ import annotations

QUERY_BUDGET = 15
CITY_RATIO = 2.0
# bench row name (prefix) → (the most its time may be, as a multiple of its baseline's time; the target's words)
RATIO_TARGETS = {
    "Annex 2 xlsx": (2.0, "≥ 50% of bare openpyxl's speed (time ≤ 2× bare)"),
    "Annex 1 PDF": (1.3, "≤ 1.3× bare WeasyPrint"),
    "roster import": (2.0, "≤ 2× a bare openpyxl read"),
}


def _yes(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**not met**")


def targets(result: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met?) for each target of the issue."""
    out = []
    small = {r["page"]: r for r in result["queries"]["small"]}
    large = {r["page"]: r for r in result["queries"]["large"]}
    for page, row in large.items():
        if page.startswith("bare"):
            continue
        s = small.get(page, {}).get("queries")
        n = row["queries"]
        ok = s == n and n <= QUERY_BUDGET and row["status"] == 200
        out.append((f"{page}: queries equal at both sizes and ≤ {QUERY_BUDGET}", f"{s} → {n}", ok))
        cold_s, cold_n = small.get(page, {}).get("cold"), row.get("cold")
        if cold_n is not None and (cold_n != n or cold_s != s):
            out.append((f"{page}, first request after a change (cold cache): queries equal and ≤ {QUERY_BUDGET}",
                        f"{cold_s} → {cold_n}", cold_s == cold_n and cold_n <= QUERY_BUDGET))
    city = next((r for r in result["latency"] if r["page"] == "city dashboard"), None)
    if city:
        stand_in = "stand-in" in (city.get("note") or "")
        out.append((f"city dashboard median ≤ {CITY_RATIO}× bare" + (" (stand-in page)" if stand_in else ""),
                    f"{city['ratio']}×", city["ratio"] <= CITY_RATIO))
    crawl = [r for r in result.get("crawl", []) if r.get("role")]
    if crawl:
        missed = [r for r in crawl if r.get("miss")]
        html = [r for r in crawl if r.get("type", "text/html") == "text/html"] or crawl
        out.append((f"every page of the crawl, each role ({len(crawl)}): ≤ {QUERY_BUDGET} queries and ≤ 3× bare",
                    f"{len(crawl) - len(missed)} of {len(crawl)} within; worst page {max(r['ratio'] for r in html)}×, "
                    f"{max(r['queries'] for r in crawl)} queries", not missed))
    for prefix, (limit, words) in RATIO_TARGETS.items():
        row = next((r for r in result["benches"] if str(r.get("name", "")).startswith(prefix)), None)
        if row is None or row.get("ratio") is None:
            out.append((f"{prefix} {words}", "not measured", None))
        else:
            out.append((f"{prefix} {words}", f"{row['ratio']}×", row["ratio"] <= limit))
    return out


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join("" if c is None else str(c) for c in row) + " |")
    return "\n".join(lines)


def _sizes(result: dict) -> str:
    parts = []
    for label, summary in result["sizes"].items():
        counts = ", ".join(f"{k} {v:,}" for k, v in summary["counts"].items())
        parts.append(f"- **{label}**: {counts} (generated in {summary.get('wall_seconds', summary['seconds'])} s)")
    return "\n".join(parts)


def render(result: dict) -> str:
    m = result["machine"]
    latency = _table(
        ["page", "median ms", "p95 ms", "req/s", "× bare", "errors", "URL", "note"],
        [[r["page"], r["median_ms"], r["p95_ms"], r["rps"], r["ratio"], r["errors"], f"`{r['url']}`", r["note"]]
         for r in result["latency"]],
    )
    small = {r["page"]: r for r in result["queries"]["small"]}
    queries = _table(
        ["page", "small", "large", "small, cold", "large, cold", "status", "in-process ms (large)", "of it SQL ms",
         "KiB"],
        [[r["page"], small.get(r["page"], {}).get("queries"), r["queries"], small.get(r["page"], {}).get("cold"),
          r.get("cold"), r["status"], r.get("ms"), r.get("sql_ms"), r.get("kib")]
         for r in result["queries"]["large"]],
    )
    benches = _table(
        ["bench", "figure", "baseline", "× baseline", "note"],
        [[r.get("name"), r.get("figure"), r.get("baseline"), r.get("ratio"), r.get("note", "")]
         for r in result["benches"]],
    ) if result["benches"] else "(none of the other benches could run)"
    checks = _table(["target", "measured", ""], [[t, v, _yes(ok)] for t, v, ok in targets(result)])
    crawl = _table(
        ["page", "role", "× bare", "median ms", "queries", "status", "URL", "miss"],
        [[r["page"], r.get("role", ""), r["ratio"], r["median_ms"], r["queries"], r["status"], f"`{r['url']}`",
          f"**{r['miss']}**" if r.get("miss") else ""]
         for r in sorted(result.get("crawl", []), key=lambda r: -r["ratio"])],
    ) if result.get("crawl") else "(not measured in this run)"
    return f"""# Performance

Written by `make bench` (`{result['command']}`) on {m['date']}. Do not edit by hand: run it again.

Machine: {m['cpus']} CPUs, {m['memory_gb']} GB memory, {m['system']}; Python {m['python']}, Django {m['django']},
PostgreSQL {m['postgresql']}, cache {m.get('cache', '?')}. The machine may be shared, so every figure is read as a ratio to a bare baseline
measured in the same run.

## Data

{_sizes(result)}

Made by `manage.py generate_scale --orgs N --members M` (bulk COPY, computed tree paths).

## Targets

{checks}

## Pages under gunicorn

gunicorn with {m['cpus']} sync workers on loopback, bench settings (`bench/settings.py`: production settings, DEBUG off);
a bounded Python client with {2 * (m['cpus'] or 1)} threads and a fixed number of requests per page, pages interleaved
in rounds. “bare” is a login-required view doing one query (`bench/urls.py`, not part of the product's URLs).
“× bare” is the page's median over the bare view's median.

{latency}

## Every page of the crawl

Every GET page the access matrix's crawl visits (tests/browser/test_phone_widths.py `crawl`: every URL pattern, the
pages of objects each role owns, lists and dashboards as every signed-in role, public pages anonymously), worst
first. Lists and dashboards are opened by the generated province's user of that role; object pages by their owner
(the matrix's objects are built once in the bench database beside the province). Medians under the same gunicorn,
each over the bare view's median measured between them; queries counted with the test client. Budget: ≤ 15 queries
and, for HTML pages and fragments, ≤ 3× bare (downloads answer to the export targets); a miss fails `make bench`.
The home page and the navigation's badge read the user's work list from the cache (kept per user and day, dropped by
any write of a model it reads, as the dashboard's figures are): these rows are what a page costs between two writes;
after a write, the first request of each user computes the list again (the query-count tests count that path).

{crawl}

## SQL queries per page

Counted with Django's test client (a query counter on the connection) on the small database (200 organizations)
and the large one, same page, same kind of user, session and user lookups included. “cold”: the first request after
the dashboard figure cache was dropped; the other columns: the request after it, as most requests find it. The last
three columns show where a warm request's time goes on the large database, in this one process (no load).

{queries}

## Exports, import, reminders, search

“× baseline” is the time taken over the time of the bare baseline (openpyxl, WeasyPrint, a bare read, the bare
one-query view) in the same run. The search rows ask the member list of the whole province by a member's name and by
its pinyin initials, and the organization search by a short form (`bench/search.py`).

{benches}

## How to reproduce

```sh
make bench                                    # province size (20,000 organizations, 400,000 members)
.venv/bin/python bench/run.py --orgs 2000 --members 40000    # moderate size
BENCH_DATABASE_URL=postgres://user@host:5432/bench168 make bench
```

Needs PostgreSQL reachable with a user that may create databases (default `postgres://postgres@127.0.0.1:5432/bench168`;
a second database `<name>_small` is made beside it). The databases are rebuilt only when the size or the migrations
change (`--regenerate` forces it). Raw figures of the last run: `var/bench/last.json`.
"""


def terminal(result: dict) -> str:
    lines = ["", f"{'page':<22}{'median ms':>10}{'p95 ms':>9}{'req/s':>8}{'× bare':>8}  queries small → province"]
    small = {r["page"]: r["queries"] for r in result["queries"]["small"]}
    large = {r["page"]: r["queries"] for r in result["queries"]["large"]}
    for r in result["latency"]:
        lines.append(f"{r['page']:<22}{r['median_ms']:>10}{r['p95_ms']:>9}{r['rps']:>8}{r['ratio']:>8}  "
                     f"{small.get(r['page'])} → {large.get(r['page'])}")
    if result["benches"]:
        lines.append("")
        for r in result["benches"]:
            ratio = "—" if r.get("ratio") is None else str(r["ratio"])
            lines.append(f"{str(r.get('name')):<34} {str(r.get('figure')):>10} {str(r.get('baseline')):>16}"
                         f"{ratio:>8}  {r.get('note', '')}")
    lines.append("")
    for t, v, ok in targets(result):
        lines.append(f"[{_yes(ok).strip('*'):>7}] {t}: {v}")
    return "\n".join(lines)
