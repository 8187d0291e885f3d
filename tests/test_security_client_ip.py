"""Behind reverse proxies every request comes from the proxy's address: lockout and rate limits must key on the
client's address as our proxies report it, and ignore what a client writes into X-Forwarded-For itself."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from config.client_ip import client_ip
from targets.enums import Step
from targets.models import Opinion
from tests.targets_fixtures import make_plan, walk
from tests.world import PASSWORD

PROXY = "10.0.0.2"
LOCKED_TEXT = "登录失败次数过多，账号已暂时锁定"


def _ip(xff: str | None, count: int, settings) -> str:
    settings.TRUSTED_PROXY_COUNT = count
    meta = {"REMOTE_ADDR": PROXY}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return client_ip(RequestFactory().get("/", **meta))


def test_it_takes_the_address_our_proxies_saw(settings):
    assert _ip("203.0.113.7", 0, settings) == PROXY  # served directly: the header is the client's own words
    assert _ip("203.0.113.7", 1, settings) == "203.0.113.7"
    assert _ip("1.2.3.4, 203.0.113.7", 1, settings) == "203.0.113.7"  # a forged entry on the left is ignored
    assert _ip("1.2.3.4, 203.0.113.7, 10.0.0.9", 2, settings) == "203.0.113.7"
    assert _ip(None, 1, settings) == PROXY
    assert _ip("not-an-address", 1, settings) == PROXY


def _proxied(ip: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ip)


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_locked_out_visitor_does_not_lock_out_others_behind_the_proxy(world, behind_one_proxy):
    attacker = _proxied("203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        r = attacker.post(reverse("login"), {"username": "member_a", "password": "wrong-password"})
    assert r.status_code == 429 and LOCKED_TEXT in r.content.decode()
    # a forged header does not give the attacker a fresh address
    forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert forged.post(reverse("login"), {"username": "member_a", "password": PASSWORD}).status_code == 429
    # the member, from their own address behind the same proxy, still signs in
    member = _proxied("203.0.113.99")
    r = member.post(reverse("login"), {"username": "member_a", "password": PASSWORD})
    assert r.status_code == 302 and "_auth_user_id" in member.session


def _answer(client, url) -> int:
    a, b = re.search(r"验证：(\d) \+ (\d) = \?", client.get(url).content.decode()).groups()
    return int(a) + int(b)


@pytest.mark.django_db
def test_the_opinion_limit_counts_each_visitor_behind_the_proxy(world, behind_one_proxy):
    by = world.user("school_a_secretary")
    walk(make_plan(world.school_a, by), by, through=Step.PUBLIC_COMMITMENT)
    url = reverse("targets:public", args=[world.school_a.pk])
    busy = _proxied("203.0.113.7")
    for n in range(6):
        busy.post(url, {"content": f"留言{n}", "answer": _answer(busy, url)})
    assert Opinion.objects.filter(source="public").count() == 5  # the sixth was refused
    other = _proxied("203.0.113.8")
    r = other.post(url, {"content": "另一位家长的建议", "answer": _answer(other, url)})
    assert r.status_code == 302 and Opinion.objects.filter(content="另一位家长的建议").exists()
