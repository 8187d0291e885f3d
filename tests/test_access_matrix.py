"""Every URL × every outsider role against objects of a sibling subtree: 0 leaks."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import load_all
from tests.world import B_MARKERS

PRIVATE_PHONE_B = "13900000002"


def named_patterns(resolver=None, namespace: str = "") -> list[str]:
    """Every named URL pattern, namespaced; unnamed ones are reported so that none slips by."""
    resolver = resolver or get_resolver()
    names: list[str] = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names.extend(named_patterns(p, ns))
        elif isinstance(p, URLPattern):
            names.append(f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>")
    return names


def project_urls() -> list[str]:
    # Django's admin guards itself (staff only) and is checked once below as a whole.
    return sorted({n for n in named_patterns() if not n.startswith("admin:")})


def test_it_has_an_entry_for_every_url():
    matrix = load_all()
    missing = [n for n in project_urls() if n not in matrix]
    assert not missing, f"URLs with no access-matrix entry: {missing}"
    stale = [n for n in matrix if n not in project_urls()]
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


def _request(client, case, url):
    if case.method == "post":
        return client.post(url, case.data or {})
    return client.get(url)


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_it_finds_no_leak_for_any_role(world, client):
    matrix = load_all()
    tried = 0
    leaks: list[str] = []
    for name in project_urls():
        cases = matrix[name](world)
        cases = cases if isinstance(cases, list) else [cases]
        for case in cases:
            url = reverse(name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
            if case.owner and not case.public:
                client.force_login(world.user(case.owner))
                r = _request(client, case, url)
                if r.status_code in (403, 404):
                    leaks.append(f"{name} {url}: the owner {case.owner} got {r.status_code} (fixture not real)")
                client.logout()
            for role in case.outsiders:
                if role != "anonymous":
                    client.force_login(world.user(role))
                r = _request(client, case, url)
                tried += 1
                body = r.content.decode("utf-8", "replace") if r.status_code == 200 else ""
                if PRIVATE_PHONE_B in body:
                    leaks.append(f"{name} {url} as {role}: shows a private phone number")
                if case.public:
                    pass
                elif case.scan:
                    shown = [m for m in B_MARKERS if m in body]
                    if shown:
                        leaks.append(f"{name} {url} as {role}: shows {shown}")
                elif role == "anonymous":
                    if not (_login_redirect(r) or r.status_code == 404):
                        leaks.append(f"{name} {url} as anonymous: {r.status_code}")
                elif r.status_code != 404:
                    leaks.append(f"{name} {url} as {role}: {r.status_code} (expected 404)")
                client.logout()
    print(f"\naccess matrix: {tried} (URL, role) requests, {len(leaks)} leaks")
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_it_keeps_admin_to_staff(world, client):
    for role in ["school_b_secretary", "city_staff", "member_a"]:
        client.force_login(world.user(role))
        r = client.get(reverse("admin:index"))
        assert r.status_code == 302 and re.search(r"/admin/login/", r["Location"])
