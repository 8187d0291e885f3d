"""Count SQL queries without Django's query log (which keeps only the last 9,000)."""

from __future__ import annotations

import contextlib
import time

from django.db import connection


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextlib.contextmanager
def counting():
    counter = QueryCounter()
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
