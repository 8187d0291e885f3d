"""The city's Annex 5 consolidation for all reporting units (xlsx), as the city committee downloads it.

Asked through Django's test client in this process (bench settings, the bench database), for the last complete
quarter, where most units have submitted. Baseline: a bare openpyxl write-only workbook holding the same figures,
one row per unit, without styling or per-unit sheets.
"""

from __future__ import annotations

import io
import time


def _last_quarter() -> tuple[int, int]:
    from django.utils import timezone

    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def _bare(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run() -> list[dict]:
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bench.counting import counting

    try:
        url = reverse("reports:consolidation_xlsx")
        Report = apps.get_model("reports.QuarterlyReport")
    except (NoReverseMatch, LookupError):
        return []
    from reports.models import FIGURE_FIELDS

    year, quarter = _last_quarter()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench_city"))
    units = apps.get_model("organizations.Organization").objects.filter(reports_quarterly=True).count()
    started = time.perf_counter()
    with counting() as counted:
        response = client.get(url, {"year": year, "quarter": quarter})
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        return [{"name": "Annex 5 consolidation xlsx", "figure": "—", "baseline": "—", "ratio": None,
                 "note": f"HTTP {response.status_code}"}]
    size = len(b"".join(response.streaming_content) if response.streaming else response.content)
    rows = [list(r) for r in Report.objects.filter(year=year, quarter=quarter).values_list(*FIGURE_FIELDS)]
    started = time.perf_counter()
    _bare(rows)
    bare = time.perf_counter() - started
    return [{
        "name": f"Annex 5 consolidation xlsx, {units:,} units ({year} Q{quarter})",
        "figure": f"{seconds:.2f} s", "baseline": f"{bare:.2f} s", "ratio": round(seconds / bare, 2),
        "note": f"{counted.count} queries, {size / 1024:.0f} KiB; baseline: the same figures, one bare row per unit",
    }]
