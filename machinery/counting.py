"""Cheap row counts for pages that only print a number: PostgreSQL's planner estimate (EXPLAIN, no row is read)
instead of COUNT(*) over a whole subtree. A small estimate is checked with COUNT(*), which is cheap at that size and
keeps a planner without fresh statistics from printing a wrong small number. Elsewhere (SQLite under `make run`) the exact count, which is cheap there
at the sizes it serves."""

from __future__ import annotations

import json

from django.db import connections
from django.db.models import IntegerField, Model, QuerySet, Subquery, Value

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


def aggregate_in_one_query(anchor: Model, aggregates: dict) -> dict:
    """{name: (queryset, aggregate)} evaluated as scalar subqueries of one SELECT (one round trip, whatever the
    number of figures). `anchor` is any saved row (e.g. the organization counted): it only gives the SELECT its
    single row."""
    columns = {
        f"figure_{name}": Subquery(
            # a constant to group by is no grouping at all: one row, the aggregate over the whole queryset
            qs.order_by().annotate(_all=Value(1)).values("_all").annotate(n=expr).values("n"),
            output_field=IntegerField(),
        )
        for name, (qs, expr) in aggregates.items()
    }
    row = type(anchor)._default_manager.filter(pk=anchor.pk).order_by().values(**columns).get()
    return {name.removeprefix("figure_"): value or 0 for name, value in row.items()}
