"""The production cache (config.cache.RedisCache) against a real Redis: what the dashboard and the rate limits rely on."""

from __future__ import annotations

import uuid

import pytest

from tests.real_services import redis_url


@pytest.fixture
def redis_cache():
    url = redis_url("redis://127.0.0.1:6379/14")
    from config.cache import RedisCache

    cache = RedisCache(url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_it_stores_reads_and_counts(redis_cache):
    redis_cache.set("a", {"rows": [1, 2]}, 60)
    redis_cache.set_many({"b": "乙", "c": 3}, 60)
    assert redis_cache.get("a") == {"rows": [1, 2]}
    assert redis_cache.get_many(["a", "b", "c", "missing"]) == {"a": {"rows": [1, 2]}, "b": "乙", "c": 3}
    assert redis_cache.add("n", 1) and not redis_cache.add("n", 5)
    assert redis_cache.incr("n") == 2
    redis_cache.delete("a")
    assert redis_cache.get("a") is None


def test_it_reuses_one_client_per_server(redis_cache):
    redis_cache.get("x")
    client = redis_cache._cache
    assert client.get_client() is client.get_client(write=True)
    assert client.get_client().ping()
