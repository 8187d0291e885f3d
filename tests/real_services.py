"""The real services some tests need: a Redis that answers."""

from __future__ import annotations

import os

import pytest


def redis_url(default: str) -> str:
    """REDIS_URL (CI sets it: then Redis must answer), or `default` on a developer's machine, where the test is skipped
    if no Redis listens there."""
    import redis

    url = os.environ.get("REDIS_URL") or default
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REDIS_URL"):
            raise
        pytest.skip(f"no Redis at {url}")
    return url
