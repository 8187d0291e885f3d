"""The access matrix for the targets URLs alone (the same rules as tests/test_access_matrix.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.matrix import load_all
from tests.test_access_matrix import PRIVATE_PHONE_B, _login_redirect, _request, project_urls
from tests.world import B_MARKERS

pytestmark = pytest.mark.django_db


def test_it_has_an_entry_for_every_targets_url():
    matrix = load_all()
    names = [n for n in project_urls() if n.startswith("targets:")]
    assert len(names) >= 25
    assert [n for n in names if n not in matrix] == []


def test_it_finds_no_leak_in_targets(world, client):
    matrix = load_all()
    leaks: list[str] = []
    tried = 0
    for name in [n for n in project_urls() if n.startswith("targets:")]:
        cases = matrix[name](world)
        for case in cases if isinstance(cases, list) else [cases]:
            url = reverse(name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
            if case.owner and not case.public:
                client.force_login(world.user(case.owner))
                r = _request(client, case, url)
                if r.status_code in (403, 404):
                    leaks.append(f"{name}: owner {case.owner} got {r.status_code}")
                client.logout()
            for role in case.outsiders:
                if role != "anonymous":
                    client.force_login(world.user(role))
                r = _request(client, case, url)
                tried += 1
                body = r.content.decode("utf-8", "replace") if r.status_code == 200 else ""
                if PRIVATE_PHONE_B in body:
                    leaks.append(f"{name} as {role}: phone")
                if case.public:
                    pass
                elif case.scan:
                    shown = [m for m in B_MARKERS if m in body]
                    if shown:
                        leaks.append(f"{name} {url} as {role}: shows {shown}")
                elif role == "anonymous":
                    if not (_login_redirect(r) or r.status_code == 404):
                        leaks.append(f"{name} as anonymous: {r.status_code}")
                elif r.status_code != 404:
                    leaks.append(f"{name} {url} as {role}: {r.status_code}")
                client.logout()
    assert tried > 150
    assert not leaks, "\n".join(leaks)
