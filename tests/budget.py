"""Query budgets: a page's query count is asserted, and must not grow with the data."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, *, status: int = 200) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, f"{url} → {response.status_code}"
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_flat_queries(
    client,
    url: str,
    *,
    grow_to: Callable[[int], None],
    budget: int,
    small: int = 10,
    large: int = 200,
) -> int:
    """grow_to(n) makes the page's data hold n rows. The count at `small` and at `large` must be equal and ≤ budget."""
    grow_to(small)
    client.get(url)  # warm caches that are legitimately per-process (content types, etc.)
    n_small, sql_small = count_queries(client, url)
    grow_to(large)
    n_large, sql_large = count_queries(client, url)
    detail = "\n".join(f"{i + 1}. {sql}" for i, sql in enumerate(sql_large))
    assert n_small == n_large, f"{url}: {n_small} queries at {small} rows but {n_large} at {large}:\n{detail}"
    assert n_large <= budget, f"{url}: {n_large} queries, budget {budget}:\n{detail}"
    return n_large
