"""`make bench`: every benchmark of 168, a table on the terminal, and docs/performance.md.

    .venv/bin/python bench/run.py                      # province size: 20,000 organizations, 400,000 members
    .venv/bin/python bench/run.py --orgs 2000 --members 40000
    BENCH_DATABASE_URL=postgres://user@host/db .venv/bin/python bench/run.py

Two PostgreSQL databases are (re)built when their size or migrations changed: <db> at the asked size and <db>_small
(200 organizations); the server must let this user create databases. Figures are ratios to a bare baseline measured
in the same run, so that a slower or busier machine changes both sides alike.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench168"
STATE_DIR = ROOT / "var" / "bench"


def with_db(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{name}"))


def db_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def manage(url: str, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="bench.settings", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                          capture_output=capture, text=True)


def server_sql(url: str, sql: str) -> list:
    import psycopg2

    conn = psycopg2.connect(with_db(url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def ensure_database(url: str, *, orgs: int, members: int, regenerate: bool) -> dict:
    """The database at this size, with every migration applied; rebuilt only when something changed."""
    name = db_name(url)
    state_file = STATE_DIR / f"{name}.json"
    wanted = {"orgs": orgs, "members": members}
    exists = bool(server_sql(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))
    if exists and not regenerate and state_file.exists():
        state = json.loads(state_file.read_text())
        if state.get("size") == wanted and manage(url, "migrate", "--check", capture=True).returncode == 0:
            print(f"· {name}: reusing ({orgs:,} organizations, {members:,} members)", flush=True)
            return state
    print(f"· {name}: building {orgs:,} organizations, {members:,} members …", flush=True)
    if exists:
        server_sql(url, f'DROP DATABASE "{name}" WITH (FORCE)')
    server_sql(url, f'CREATE DATABASE "{name}"')
    if manage(url, "migrate", "--noinput", "-v0").returncode != 0:
        raise SystemExit("migrate failed")
    started = time.perf_counter()
    done = manage(url, "generate_scale", "--orgs", str(orgs), "--members", str(members), "--json", capture=True)
    if done.returncode != 0:
        raise SystemExit(f"generate_scale failed:\n{done.stderr[-4000:]}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    summary["wall_seconds"] = round(time.perf_counter() - started, 1)
    manage(url, "shell", "--no-imports", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
           capture=True)
    state = {"size": wanted, "generated": summary}
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(state, ensure_ascii=False, indent=1))
    print(f"  generated in {summary['wall_seconds']} s: {summary['counts']}", flush=True)
    return state


def queries_in(url: str) -> list[dict]:
    """SQL queries per page, counted in a child process on that database."""
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="bench.settings", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(Path(__file__)), "--count-queries"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"query count failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine(url: str) -> dict:
    import django
    from django.conf import settings

    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    pg = server_sql(url, "SHOW server_version")[0][0]
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "system": f"{platform.system()} {platform.release()}",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


OTHERS = ("annex_exports", "consolidation", "import_roster", "reminders", "search")
PARTS = ("queries", "pages", "crawl", *OTHERS)


def other_benches(only: set[str]) -> list[dict]:
    """Rows {"name", "figure", "baseline", "ratio", "note"} from the other bench modules present."""
    import importlib

    rows: list[dict] = []
    for module in (f"bench.{name}" for name in OTHERS if name in only):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                rows.append({"name": module, "figure": "—", "baseline": "—", "ratio": None, "note": f"missing: {e}"})
            continue
        print(f"· {module} …", flush=True)
        try:
            rows.extend(mod.run())
        except Exception as e:  # a broken bench is reported, not fatal to the others
            rows.append({"name": module, "figure": "—", "baseline": "—", "ratio": None,
                         "note": f"failed: {type(e).__name__}: {e}"[:300]})
    return rows


def report_module():
    from bench import report

    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=int(os.environ.get("BENCH_ORGS", 20000)))
    parser.add_argument("--members", type=int, default=int(os.environ.get("BENCH_MEMBERS", 400000)))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 200)),
                        help="requests per page")
    parser.add_argument("--crawl-requests", type=int, default=int(os.environ.get("BENCH_CRAWL_REQUESTS", 24)),
                        help="requests per page of the crawl (every page each role reaches)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the databases even if unchanged")
    parser.add_argument("--output", default=None, help="default docs/performance.md (var/bench/partial.md with --only)")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts of: {', '.join(PARTS)}")
    parser.add_argument("--render-only", action="store_true", help="write the report again from var/bench/last.json")
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.render_only:  # the last run's figures, written again (after a change to the report's wording)
        result = json.loads((STATE_DIR / "last.json").read_text())
        Path(args.output or ROOT / "docs" / "performance.md").write_text(report_module().render(result))
        print(report_module().terminal(result))
        return
    if args.count_queries:  # child mode: Django is set up on DATABASE_URL
        import django

        django.setup()
        from bench.pages import count_queries

        print(json.dumps(count_queries(), ensure_ascii=False))
        return

    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    small_url = with_db(url, db_name(url) + "_small")
    small = ensure_database(small_url, orgs=200, members=4000, regenerate=args.regenerate)
    large = ensure_database(url, orgs=args.orgs, members=args.members, regenerate=args.regenerate)

    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from bench import pages, report

    only = {part.strip() for part in args.only.split(",") if part.strip()}
    output = args.output or str(ROOT / "docs" / "performance.md" if only >= set(PARTS) else STATE_DIR / "partial.md")
    q_small = q_large = latency = []
    if "queries" in only:
        print("· queries per page …", flush=True)
        q_small, q_large = queries_in(small_url), queries_in(url)
    if "pages" in only:
        print("· pages under gunicorn …", flush=True)
        latency = pages.measure_latency(requests=args.requests)
    crawl_rows: list[dict] = []
    if "crawl" in only:
        print("· every page of the crawl, each role, under gunicorn …", flush=True)
        from bench import crawl

        crawl_rows = crawl.measure(crawl.visits(), requests=args.crawl_requests)
    rows = other_benches(only)
    result = {
        "machine": machine(url),
        "sizes": {"small": small["generated"], "large": large["generated"]},
        "queries": {"small": q_small, "large": q_large},
        "latency": latency,
        "crawl": crawl_rows,
        "benches": rows,
        "command": " ".join(["bench/run.py", *sys.argv[1:]]),
    }
    text = report.render(result)
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(text)
    (STATE_DIR / "last.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(report.terminal(result))
    print(f"written: {output}")
    missed = [r for r in crawl_rows if r.get("miss")]
    if missed:
        print(f"\n!!! {len(missed)} of {len(crawl_rows) - 1} pages of the crawl miss their budget:", file=sys.stderr)
        for r in missed:
            print(f"!!! {r['page']} as {r['role']} {r['url']}: {r['miss']}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
