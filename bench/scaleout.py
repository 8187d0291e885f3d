"""Throughput of the web tier on this machine: one or two gunicorn instances on one PostgreSQL and one Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench168 .venv/bin/python bench/scaleout.py
    .venv/bin/python bench/scaleout.py --seconds 20 --connections 8 --json var/bench/scaleout.json

The database must hold data made by `manage.py generate_scale` (its bench_* logins). For each layout (instances ×
gunicorn workers) wrk (Debian package `wrk`) drives a fixed mix of signed-in pages for a fixed time, one wrk per
instance, the connections split between them, as a load balancer would. Besides requests/s and latency, the CPU
time spent by the gunicorn processes and by this database's PostgreSQL backends is read from /proc, so each
request's cost in CPU milliseconds on each tier is known even when the machine is shared or too small to show the
gain of a second instance: that cost, not this machine's requests/s, is what the sizing in docs/operations.md uses.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

TICKS = os.sysconf("SC_CLK_TCK")

LUA = """
local pages = {%(pages)s}
local n = 0
function init(args) n = tonumber(args[1]) or 0 end
function request()
  n = n + 1
  local p = pages[(n %% #pages) + 1]
  return wrk.format("GET", p[1], {["Cookie"] = p[2], ["Host"] = "127.0.0.1"})
end
local bad = 0
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p90_ms": %%.2f, ' ..
    '"p99_ms": %%.2f, "socket_errors": %%d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


def backends(dbname: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [dbname])
        return [row[0] for row in cur.fetchall()]


def page_mix() -> list[tuple[str, str, str]]:
    """(label, path, cookie): the measured pages of `make bench` for their users, and each user's home page."""
    from bench.pages import page_list, session_cookie

    pages = [p for p in page_list() if not p.url.startswith("/bench/")]
    cookies = {u: session_cookie(u) for u in {p.username for p in pages} | {"bench_branch", "bench_member"}}
    mix = [(p.label, p.url, cookies[p.username]) for p in pages]
    for user in ("bench_city", "bench_branch", "bench_member"):
        mix.append((f"home ({user})", "/", cookies[user]))
    return mix


def check_pages(port: int, mix) -> None:
    from bench.pages import fetch

    for label, url, cookie in mix:
        status, _ = fetch(port, url, cookie)
        if status != 200:
            raise SystemExit(f"{label} {url}: HTTP {status}")


def run_layout(*, instances: int, workers: int, connections: int, seconds: int, mix, dbname: str) -> dict:
    from bench.pages import free_port, start_gunicorn

    ports = [free_port() for _ in range(instances)]
    servers = [start_gunicorn(port, workers) for port in ports]
    try:
        for port in ports:
            for _ in range(workers * 2):  # every worker imported and connected
                check_pages(port, mix)
        gunicorn_pids = [pid for s in servers for pid in [s.pid, *children(s.pid)]]
        db_before = {pid: cpu_seconds(pid) for pid in backends(dbname)}
        web_before = sum(cpu_seconds(pid) for pid in gunicorn_pids)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA % {"pages": ", ".join(f"{{{json.dumps(u)}, {json.dumps(c)}}}" for _, u, c in mix)})
        share = max(1, connections // instances)
        runs = [
            subprocess.Popen(
                [
                    "wrk",
                    "-t1",
                    f"-c{share}",
                    f"-d{seconds}s",
                    "--timeout",
                    "30s",
                    "-s",
                    script.name,
                    f"http://127.0.0.1:{port}/",
                    "--",
                    str(i * 7),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for i, port in enumerate(ports)
        ]
        peak = 0
        while any(r.poll() is None for r in runs):
            peak = max(peak, len(backends(dbname)))
            time.sleep(0.5)
        results = []
        for r in runs:
            out = r.stdout.read()
            line = next((ln for ln in out.splitlines() if ln.startswith("RESULT ")), None)
            if line is None:
                raise SystemExit(f"wrk gave no result:\n{out}")
            result = json.loads(line[len("RESULT ") :])
            result["non_200"] = int(
                next((ln.split(":")[1] for ln in out.splitlines() if ln.strip().startswith("Non-2xx")), "0")
            )
            results.append(result)
        web_cpu = sum(cpu_seconds(pid) for pid in gunicorn_pids) - web_before
        db_cpu = sum(cpu_seconds(pid) - db_before.get(pid, 0.0) for pid in backends(dbname))
        Path(script.name).unlink()
    finally:
        for s in servers:
            s.terminate()
        for s in servers:
            try:
                s.wait(timeout=20)
            except subprocess.TimeoutExpired:
                s.kill()
    requests = sum(r["requests"] for r in results)
    duration = max(r["seconds"] for r in results)
    return {
        "instances": instances,
        "workers_per_instance": workers,
        "connections": share * instances,
        "requests": requests,
        "rps": round(requests / duration, 1),
        "p50_ms": round(sum(r["p50_ms"] * r["requests"] for r in results) / requests, 1),
        "p99_ms": round(max(r["p99_ms"] for r in results), 1),
        "errors": sum(r["non_200"] + r["socket_errors"] for r in results),
        "web_cpu_ms_per_request": round(1000 * web_cpu / requests, 2),
        "db_cpu_ms_per_request": round(1000 * db_cpu / requests, 2),
        "peak_db_connections": peak,
        "load_average": round(os.getloadavg()[0], 1),  # the machine's other work during the run
    }


def export_child(kind: str) -> None:
    """One province-wide (root) export made as the Celery task makes it; its time and this process's peak memory."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from organizations.models import RoleAssignment
    from reports.jobs import export_job_run
    from reports.models import ExportJob

    user = get_user_model().objects.get(username="bench_city")
    org = RoleAssignment.objects.filter(user=user).select_related("organization").first().organization
    job = ExportJob.objects.create(
        requested_by=user, organization=org, kind=kind, params={"year": timezone.localdate().year, "format": "xlsx"}
    )
    started = time.perf_counter()
    job = export_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    size = job.file.size if job.file else 0
    if job.file:
        job.file.storage.delete(job.file.name)
    rows = job.rows_total
    job.delete()
    from bench.annex_exports import peak_mb

    peak = peak_mb()
    print(
        "RESULT "
        + json.dumps(
            {
                "kind": kind,
                "state": job.state,
                "error": job.error[:200],
                "seconds": round(seconds, 1),
                "peak_rss_mib": round(peak),
                "file_kib": round(size / 1024),
                "rows": rows,
            }
        )
    )


def measure_export(kind: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--export-child", kind],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        cwd=ROOT,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"export {kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(line[len("RESULT ") :])


def database_figures(dbname: str) -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_database_size(%s)", [dbname])
        size = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM organizations_organization")
        orgs = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM organizations_member")
        members = cur.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "max_connections", "work_mem", "effective_cache_size"):
            cur.execute(f"SHOW {name}")
            settings[name] = cur.fetchone()[0]
    return {
        "database": dbname,
        "size_mib": round(size / 2**20),
        "organizations": orgs,
        "members": members,
        "server": settings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--layouts", default="1x2,1x4,2x2", help="instances x workers, comma separated")
    parser.add_argument(
        "--per-page",
        type=int,
        default=0,
        metavar="SECONDS",
        help="also drive each page alone this long on one instance (its CPU cost per request)",
    )
    parser.add_argument("--exports", default="", help="also time these exports at the root, e.g. annex2,annex1")
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    if args.export_child:
        export_child(args.export_child)
        return

    dbname = settings.DATABASES["default"]["NAME"]
    figures = database_figures(dbname)
    mix = page_mix()
    figures["pages"] = [{"page": label, "url": url} for label, url, _ in mix]
    figures["cpus"] = os.cpu_count()
    figures["seconds"] = args.seconds
    figures["layouts"] = []
    print(
        f"{dbname}: {figures['organizations']:,} organizations, {figures['members']:,} members, "
        f"{figures['size_mib']} MiB; {len(mix)} pages in the mix; {figures['cpus']} CPUs",
        flush=True,
    )
    print(
        f"{'layout':>8} {'conns':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'web CPU ms/req':>14} {'DB CPU ms/req':>13} {'DB conns':>8} {'load':>5}",
        flush=True,
    )
    for layout in args.layouts.split(","):
        instances, workers = (int(x) for x in layout.split("x"))
        row = run_layout(
            instances=instances,
            workers=workers,
            connections=args.connections,
            seconds=args.seconds,
            mix=mix,
            dbname=dbname,
        )
        figures["layouts"].append(row)
        print(
            f"{layout:>8} {row['connections']:>5} {row['rps']:>7} {row['p50_ms']:>7} {row['p99_ms']:>7} "
            f"{row['errors']:>6} {row['web_cpu_ms_per_request']:>14} {row['db_cpu_ms_per_request']:>13} "
            f"{row['peak_db_connections']:>8} {row['load_average']:>5}",
            flush=True,
        )
    if args.per_page:
        figures["per_page"] = []
        print(f"{'page':28} {'req/s':>7} {'p50 ms':>7} {'web CPU ms/req':>14} {'DB CPU ms/req':>13}", flush=True)
        for entry in mix:
            row = run_layout(instances=1, workers=2, connections=4, seconds=args.per_page, mix=[entry], dbname=dbname)
            row = {"page": entry[0], "url": entry[1], **row}
            figures["per_page"].append(row)
            print(
                f"{entry[0]:28} {row['rps']:>7} {row['p50_ms']:>7} {row['web_cpu_ms_per_request']:>14} "
                f"{row['db_cpu_ms_per_request']:>13}",
                flush=True,
            )
    if args.exports:
        figures["exports"] = []
        for kind in args.exports.split(","):
            row = measure_export(kind)
            figures["exports"].append(row)
            print(f"export {kind} (whole province, xlsx): {row}", flush=True)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
