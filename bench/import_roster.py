"""Roster import of 5,000 rows against a bare openpyxl read of the same file.

The file is made with the import template (organizations.roster.book.build_workbook) and holds 5,000 new members of the
bench branch. The import's two steps are timed: the check (every row validated, the changes planned) and the apply
(members written). Everything runs in a transaction that is rolled back, so the bench database does not change.
"""

from __future__ import annotations

import io
import statistics
import time

ROWS = 5000
REPEAT = 3


class _Rollback(Exception):
    pass


def make_file(rows: int = ROWS) -> bytes:
    from organizations.roster.book import build_workbook, workbook_bytes

    data = []
    for i in range(rows):
        data.append([f"R{i:06d}", f"导入{i % 97}号", "男" if i % 2 else "女", "中共党员", "语文教师", "党员", "高一年段",
                     f"137{i:08d}", "", "2010-07-01", str(1970 + i % 30), "否", ""])
    return workbook_bytes(build_workbook(data, example=False))


def bare_read(content: bytes) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return sum(1 for _row in wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organizations.roster import XLSX_MIME

    return SimpleUploadedFile("名册.xlsx", content, content_type=XLSX_MIME)


def _best(fn, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run() -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from bench.counting import counting

    try:
        from organizations.services import roster_import_apply, roster_import_check
    except ImportError:
        try:
            from organizations.services import roster_import_apply, roster_import_check
        except ImportError:
            return []
    from organizations.models import RoleAssignment

    content = make_file()
    branch = RoleAssignment.objects.select_related("organization").get(user__username="bench_branch").organization
    user = get_user_model().objects.get(username="bench_branch")
    baseline = _best(lambda: bare_read(content))

    def check_once():
        record = roster_import_check(organization=branch, uploaded_by=user, upload=_upload(content))
        return record

    result: dict = {}
    try:
        with transaction.atomic():
            checks = []
            for _ in range(REPEAT):
                with transaction.atomic():
                    started = time.perf_counter()
                    record = check_once()
                    checks.append(time.perf_counter() - started)
                    record.file.delete(save=False)
                    transaction.set_rollback(True)
            record = check_once()
            assert record.state == "ready", record.errors[:5]
            with counting() as ctx:
                started = time.perf_counter()
                summary = roster_import_apply(record=record)
                result["apply"] = time.perf_counter() - started
            result["apply_queries"] = ctx.count
            result["created"] = summary.get("created")
            record.file.delete(save=False)
            result["check"] = statistics.median(checks)
            raise _Rollback
    except _Rollback:
        pass
    total = result["check"] + result["apply"]
    note = (f"{ROWS:,} rows; check {result['check']:.2f} s + apply {result['apply']:.2f} s "
            f"({result['apply_queries']:,} queries, {result['created']:,} members created)")
    return [
        {"name": "roster import (check + apply), 5,000 rows", "figure": f"{total:.2f} s",
         "baseline": f"{baseline:.2f} s bare read", "ratio": round(total / baseline, 2), "note": note},
        {"name": "roster import check only", "figure": f"{result['check']:.2f} s",
         "baseline": f"{baseline:.2f} s bare read", "ratio": round(result["check"] / baseline, 2),
         "note": "validation of every row and the change plan"},
    ]
