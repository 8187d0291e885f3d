"""What a member may do to another member's records (the access matrix covers every posts URL)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.posts_fixtures import build_posts


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
