"""Cheap row counts for pages that only print a number: PostgreSQL's planner estimate (EXPLAIN, no row is read)
instead of COUNT(*) over a whole subtree. Elsewhere (SQLite under `make run`) the exact count, which is cheap there
at the sizes it serves."""

from __future__ import annotations

import json

from django.db import connections
from django.db.models import QuerySet


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
    return int(plan[0]["Plan"]["Plan Rows"])
