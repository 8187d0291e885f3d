"""Reads that may come from a read replica (DATABASE_REPLICA_URL): the dashboards and the background exports, which
read much and write nothing they read back. Inside `replica_reads()` the router (config/db_router.py) sends reads to
the replica; every write goes to the primary wherever it happens, and without a replica nothing changes.

A replica lags its primary by a moment, so only reads whose result is not written back belong here: a page that
reads what the same request has just written, or a service that checks before it writes, reads the primary.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterator
from contextlib import contextmanager

_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reads", default=False)


def replica_wanted() -> bool:
    return _wanted.get()


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def reads_from_replica(view):
    """A view whose reads may come from the replica (it renders what it reads and writes nothing it reads back)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped
