"""Cheap row counts for pages that only print a number: PostgreSQL's planner estimate (EXPLAIN, no row is read)
instead of COUNT(*) over a whole subtree. A small estimate is checked with COUNT(*), which is cheap at that size and
keeps a planner without fresh statistics from printing a wrong small number. Elsewhere (SQLite under `make run`) the exact count, which is cheap there
at the sizes it serves."""

from __future__ import annotations

import json

from django.db import connections
from django.db.models import QuerySet

EXACT_BELOW = 10_000  # planner estimates under this are replaced by the exact count


def estimated_count(qs: QuerySet) -> int:
    """About how many rows the query returns, from the planner's statistics: one EXPLAIN, whatever the size."""
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return qs.count()
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    return qs.count() if estimate < EXACT_BELOW else estimate
