"""The province-scale row of `make bench` (bench/annex_exports.py: the city-wide Annex 2 xlsx written in streaming
mode against a bare openpyxl write-only loop, with peak memory), run here on a small generated province."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_the_city_wide_annex2_xlsx_row_is_measured_in_fresh_processes(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the bench's child processes read the database: PostgreSQL's test database is shared, SQLite's not")
    from bench import annex_exports, run

    call_command("generate_scale", orgs=60, members=300, json=True, stdout=StringIO())
    s = connection.settings_dict
    monkeypatch.setenv("DATABASE_URL", f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}")

    [row] = annex_exports.province_rows()

    assert "annex_exports" in run.OTHERS  # `make bench` (bench/run.py) runs annex_exports.run(), which ends with this row
    rows = int(re.search(r"City-wide Annex 2 xlsx, ([\d,]+) rows, streaming", row["name"]).group(1).replace(",", ""))
    assert rows > 0, row
    ours, bare = (re.fullmatch(r"([\d.]+) s, (\d+) MB", row[k]) for k in ("figure", "baseline"))
    assert ours and bare and row["ratio"] > 0, row
    assert int(ours.group(2)) < 300, row  # peak resident memory of the exporting process
    assert "reading the rows alone" in row["note"] and "MiB file" in row["note"], row
    print(f"\n{row['name']}: {row['figure']} vs bare {row['baseline']} (×{row['ratio']}); {row['note']}")
