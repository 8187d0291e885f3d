"""Count SQL queries without Django's query log (which keeps only the last 9,000)."""

from __future__ import annotations

import contextlib
import time

from django.db import connection


class QueryCounter:
    """Counts statements; those whose SQL starts with one of `apart` (prefixes) are also counted on their own."""

    def __init__(self, apart: tuple[str, ...] = ()):
        self.count = 0
        self.apart = apart
        self.apart_count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.apart and sql.startswith(self.apart):
            self.apart_count += 1
        return execute(sql, params, many, context)


@contextlib.contextmanager
def counting(apart: tuple[str, ...] = ()):
    counter = QueryCounter(apart)
    with connection.execute_wrapper(counter):
        yield counter


class SqlTimer:
    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


@contextlib.contextmanager
def timing_sql():
    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        yield timer
