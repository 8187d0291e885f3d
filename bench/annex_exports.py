"""Export benchmarks: Annex 2 as xlsx for 5,000 rows, Annex 1 as PDF for 300 rows, each against a bare baseline; and
the city-wide Annex 2 xlsx of the bench database (province scale) in streaming mode, its time and peak memory against
a bare openpyxl write-only loop over the same rows.

- Annex 2 xlsx: the whole export (its 4 queries, the rows, styles, merged title, print titles) against a bare
  openpyxl write-only loop appending the same cell values without any styling.
- Annex 1 PDF: the whole export (queries, the template, WeasyPrint) against bare WeasyPrint of the same HTML.

- City-wide Annex 2 xlsx (province scale): each side runs once in a fresh process (peak memory is the process's), on the
  widest committee of the database as its committee users download it (members on no post left out). Both read the
  same rows through the same server-side cursor (tables.annex2's rows); the bare side appends them to a write-only
  sheet without styles, merges or row heights. A third process only reads the rows, to show what reading costs.

The data is made in a transaction that is rolled back (year 2099 of one branch). Run alone with
`.venv/bin/python bench/annex_exports.py` (the configured database); `bench/run.py` calls run().
"""

from __future__ import annotations

import datetime
import io
import sys
import time
from pathlib import Path

YEAR = 2099
ANNEX2_ROWS = 5000
ANNEX1_ROWS = 300
REPEAT = 3


class _Rollback(Exception):
    pass


def _best_pair(ours, bare, repeat: int = REPEAT) -> tuple[float, float]:
    """Best time of each, the two interleaved so that a busy moment of the machine hits both alike."""
    t_ours, t_bare = [], []
    for _ in range(repeat):
        for fn, times in ((ours, t_ours), (bare, t_bare)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return min(t_ours), min(t_bare)


def _make_data(org):
    from django.utils import timezone

    from organizations.enums import Gender
    from organizations.models import Member
    from posts.enums import CommitmentState, FulfilmentStatus
    from posts.models import Commitment, Post, PostClaim
    from targets.models import AnnualPlan, TargetItem

    members = Member.objects.bulk_create(
        [Member(organization=org, name=f"测{i:05d}", gender=Gender.FEMALE, job="语文教师") for i in range(ANNEX2_ROWS)]
    )
    posts = Post.objects.bulk_create(
        [
            Post(
                organization=org, year=YEAR, name=f"基准岗位{i:05d}", duties="负责年级教学质量监测与分析，组织集体备课"
            )
            for i in range(ANNEX2_ROWS)
        ]
    )
    claims = PostClaim.objects.bulk_create([PostClaim(post=p, member=m) for p, m in zip(posts, members, strict=True)])
    now = timezone.now()
    Commitment.objects.bulk_create(
        [
            Commitment(
                claim=c,
                content="每学期开设校级公开课，指导青年教师两名",
                measurable_result="公开课 2 节",
                due_on=datetime.date(YEAR, 12, 31),
                state=CommitmentState.APPROVED,
                status=FulfilmentStatus.IN_PROGRESS,
                published_at=now,
            )
            for c in claims
        ]
    )
    plan = AnnualPlan.objects.create(
        organization=org, year=YEAR, theme="dedication", featured_work="特色", theory_research="调研"
    )
    TargetItem.objects.bulk_create(
        [
            TargetItem(
                plan=plan,
                category="party" if i % 2 else "school",
                content=f"目标任务{i}：提升党员教师示范作用",
                indicator="公开课不少于 10 节",
                measures="集体备课、听评课、结对帮扶",
                role="party_member",
                office="教务处",
                responsible="王志明",
                deadline=datetime.date(YEAR, 12, 31),
                percent=i % 100,
            )
            for i in range(ANNEX1_ROWS)
        ]
    )


def _annex2_rows(org) -> list[dict]:
    from openpyxl import Workbook

    from reports.exports import tables
    from reports.exports.table import cell_text
    from reports.exports.xlsx import xlsx_bytes

    def ours():
        return xlsx_bytes([tables.annex2(org, YEAR)])

    table = tables.annex2(org, YEAR)
    values = [[v if isinstance(v, int) else cell_text(v) for v in row] for row in table.rows]
    columns = table.columns

    def bare():
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(columns)
        for row in values:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    assert len(values) == ANNEX2_ROWS
    t_ours, t_bare = _best_pair(ours, bare)
    size = len(ours())
    return [
        {
            "name": f"Annex 2 xlsx, {ANNEX2_ROWS:,} rows (whole export vs bare openpyxl write-only loop)",
            "figure": f"{t_ours:.2f} s",
            "baseline": f"{t_bare:.2f} s",
            "ratio": round(t_ours / t_bare, 2),
            "note": f"{size / 1024:.0f} KiB; export includes its queries, styles, merged title and print titles",
        }
    ]


def _annex1_rows(org) -> list[dict]:
    from reports.exports import tables
    from reports.exports.pdf import html_for, pdf_bytes, render_pdf

    def ours():
        return pdf_bytes([tables.annex1(org, YEAR)])

    html = html_for([tables.annex1(org, YEAR)])

    from django.conf import settings

    def bare():
        from weasyprint import HTML

        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

    render_pdf(html)  # load fonts once, for both sides
    t_ours, t_bare = _best_pair(ours, bare)
    data = ours()
    from weasyprint import HTML

    pages = len(HTML(string=html).render().pages)
    from reports.exports.paging import estimate_pages

    estimate = estimate_pages(tables.annex1(org, YEAR), limit=10**9)  # measured from the text, as the view decides
    return [
        {
            "name": f"Annex 1 PDF, {ANNEX1_ROWS} rows (whole export vs bare WeasyPrint of the same HTML)",
            "figure": f"{t_ours:.2f} s",
            "baseline": f"{t_bare:.2f} s",
            "ratio": round(t_ours / t_bare, 2),
            "note": f"{len(data) / 1024:.0f} KiB, {pages} pages (estimated {estimate}); more than 2 goes to a Celery job",
        }
    ]


def _province_side(side: str) -> dict:
    """One side of the province-scale bench, in this process: seconds, rows and peak memory (MB, resident)."""
    from openpyxl import Workbook

    from organizations.models import Organization
    from reports.exports import tables
    from reports.exports.xlsx import xlsx_bytes

    org, year = _widest()
    before = peak_mb()
    started = time.perf_counter()
    table = tables.annex2(org, year)
    if side == "ours":
        size = len(xlsx_bytes([table]))
    elif side == "bare":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(table.columns)
        for row in table.rows:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        size = len(out.getvalue())
    else:  # only read the rows
        size = sum(1 for _row in table.rows)
    seconds = time.perf_counter() - started
    peak = peak_mb()
    assert isinstance(org, Organization)
    return {"seconds": seconds, "rows": table.row_count, "peak_mb": peak, "start_mb": before, "size": size,
            "org": org.name}  # fmt: skip


def peak_mb() -> float:
    """This process's peak resident memory in MB. Linux keeps ru_maxrss across exec, so a child started from a large
    parent (a long test run) would report the parent's peak; VmHWM belongs to the process's own address space."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _widest():
    """The committee with the most members below it (the province's root in the bench database), and the year of
    its posts."""
    from organizations.enums import OrgKind
    from organizations.models import Organization
    from posts.models import Post

    org = Organization.objects.filter(kind=OrgKind.CITY_COMMITTEE, depth=1).order_by("-numchild", "pk").first()
    year = Post.objects.order_by("-year").values_list("year", flat=True).first()
    return org, year


def _in_child(side: str) -> dict:
    import json
    import os
    import subprocess

    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root))
    env.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    done = subprocess.run([sys.executable, str(Path(__file__)), "--province-side", side], cwd=root, env=env,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def province_rows() -> list[dict]:
    org, year = _widest()
    if org is None or year is None:
        return [{"name": "City-wide Annex 2 xlsx (province scale)", "figure": "—", "baseline": "—", "ratio": None,
                 "note": "no committee with posts in the database"}]  # fmt: skip
    bare, ours, read = _in_child("bare"), _in_child("ours"), _in_child("read")
    return [{
        "name": f"City-wide Annex 2 xlsx, {ours['rows']:,} rows, streaming (whole export vs bare openpyxl write-only "
                "of the same rows)",
        "figure": f"{ours['seconds']:.1f} s, {ours['peak_mb']:.0f} MB", "baseline": f"{bare['seconds']:.1f} s, "
        f"{bare['peak_mb']:.0f} MB", "ratio": round(ours["seconds"] / bare["seconds"], 2),
        "note": f"peak resident memory of the process (×{ours['peak_mb'] / bare['peak_mb']:.2f} bare; "
                f"{ours['start_mb']:.0f} MB before the export); reading the rows alone {read['seconds']:.1f} s, "
                f"{read['peak_mb']:.0f} MB; {ours['size'] / 1024 / 1024:.1f} MiB file; {org.name}, {year}年",
    }]  # fmt: skip


def run() -> list[dict]:
    from django.db import transaction

    from organizations.enums import OrgKind
    from organizations.models import Organization
    from organizations.services import organization_create

    school = Organization.objects.filter(kind=OrgKind.SCHOOL_COMMITTEE).order_by("pk").first()
    if school is None:
        return [
            {
                "name": "annex exports",
                "figure": "—",
                "baseline": "—",
                "ratio": None,
                "note": "no school in the database",
            }
        ]
    rows: list[dict] = []
    try:
        with transaction.atomic():
            # a branch of its own (rolled back with the rest), so that Annex 2 holds exactly the bench's rows
            org = organization_create(parent=school, name="基准测试党支部", kind=OrgKind.BRANCH)
            _make_data(org)
            rows += _annex2_rows(org)
            rows += _annex1_rows(org)
            raise _Rollback
    except _Rollback:
        pass
    return rows + province_rows()


if __name__ == "__main__":
    import os

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if sys.argv[1:2] == ["--province-side"]:
        import json

        print(json.dumps(_province_side(sys.argv[2]), ensure_ascii=False))
        raise SystemExit(0)
    for row in province_rows() if sys.argv[1:2] == ["--province"] else run():
        print(f"{row['name']}: {row['figure']} vs {row['baseline']} → ×{row['ratio']}  ({row['note']})")
