"""The access matrix for the posts URLs alone, plus what a member may do to another member's records."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.matrix import load_all
from tests.posts_fixtures import build_posts
from tests.test_access_matrix import PRIVATE_PHONE_B, _login_redirect, _request, project_urls
from tests.world import B_MARKERS


def test_it_has_an_entry_for_every_posts_url():
    matrix = load_all()
    missing = [n for n in project_urls() if n.startswith("posts:") and n not in matrix]
    assert not missing


@pytest.mark.django_db
def test_it_finds_no_leak_on_posts_urls(world, client):
    matrix = load_all()
    leaks: list[str] = []
    tried = 0
    for name in [n for n in project_urls() if n.startswith("posts:")]:
        cases = matrix[name](world)
        for case in cases if isinstance(cases, list) else [cases]:
            url = reverse(name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
            if case.owner and not case.public:
                client.force_login(world.user(case.owner))
                r = _request(client, case, url)
                if r.status_code in (403, 404):
                    leaks.append(f"{name} {url}: the owner {case.owner} got {r.status_code}")
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
                        leaks.append(f"{name} as {role}: shows {shown}")
                elif role == "anonymous":
                    if not (_login_redirect(r) or r.status_code == 404):
                        leaks.append(f"{name} as anonymous: {r.status_code}")
                elif r.status_code != 404:
                    leaks.append(f"{name} {url} as {role}: {r.status_code} (expected 404)")
                client.logout()
    assert tried > 100
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_it_hides_another_members_commitments_and_logs(world, login):
    p = build_posts(world)
    other = p["b"]
    client = login(world.user("member_a"))
    for url in [
        reverse("posts:commitment_detail", args=[other["commitment"].pk]),
        reverse("posts:evidence_download", args=[other["evidence"].pk]),
        reverse("posts:report_detail", args=[other["report"].pk]),
        reverse("posts:flow", args=[world.member_b.pk]),
        reverse("posts:pledge", args=[world.member_b.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    r = client.post(reverse("posts:commitment_edit", args=[other["draft"].pk]),
                    {"aspect": "work", "content": "改掉", "measurable_result": "1", "due_on": "2099-12-31"})
    assert r.status_code == 404
    r = client.post(reverse("posts:duty_log_add", args=[other["commitment"].pk]),
                    {"happened_on": "2020-01-01", "content": "冒名登记"})
    assert r.status_code == 404
    other["draft"].refresh_from_db()
    assert other["draft"].content != "改掉"
    mine = client.get(reverse("posts:mine")).content.decode()
    assert "b 开设公开课两节" not in mine and "a 开设公开课两节" in mine


@pytest.mark.django_db
def test_it_lets_a_secretary_see_but_not_edit_a_members_commitment(world, login):
    p = build_posts(world)
    client = login(world.user("branch_a_secretary"))
    assert client.get(reverse("posts:commitment_detail", args=[p["a"]["commitment"].pk])).status_code == 200
    r = client.post(reverse("posts:commitment_edit", args=[p["a"]["draft"].pk]),
                    {"aspect": "work", "content": "改掉", "measurable_result": "1", "due_on": "2099-12-31"})
    assert r.status_code == 403


@pytest.mark.django_db
def test_it_keeps_review_to_secretaries(world, login):
    p = build_posts(world)
    client = login(world.user("county_a_staff"))
    r = client.post(reverse("posts:commitment_return", args=[p["a"]["commitment"].pk]), {"reason": "x"})
    assert r.status_code == 403
