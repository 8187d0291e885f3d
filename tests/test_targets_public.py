"""The public page: exactly what was published, a QR code to its stable address, opinions from anyone."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from targets import services
from targets.enums import Audience, Step
from targets.models import Opinion
from tests.targets_fixtures import DAY, make_item, make_plan, walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(world):
    """School A: plan published to society with one item, then a second item added and the text changed later."""
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by, featured_work="公开的特色工作", school_targets="公开的发展目标")
    walk(plan, by, through=Step.PUBLIC_COMMITMENT)
    make_item(plan, by, content="未公开的目标任务", responsible="未公开的责任人")
    services.plan_update(plan=plan, expected_version=plan.version, by=by, featured_work="未公开的新特色工作")
    return plan


def _challenge_answer(client, url) -> int:
    body = client.get(url).content.decode()
    a, b = re.search(r"验证：(\d) \+ (\d) = \?", body).groups()
    return int(a) + int(b)


def test_it_shows_exactly_what_was_published(world, client, published):
    body = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    snapshot = published.publications.get().snapshot
    shown = re.findall(r"<tr data-public-item><td>[^<]*</td><td>([^<]*)</td>", body)
    assert shown == [i["content"] for i in snapshot["items"]] == ["党员示范课每学期不少于2节"]
    assert "公开的特色工作" in body and "公开的发展目标" in body and "党员奉献年" in body
    for unpublished in ["未公开的目标任务", "未公开的责任人", "未公开的新特色工作"]:
        assert unpublished not in body
    assert "13900000001" not in body


def test_it_shows_the_update_once_published_again(world, client, published):
    services.plan_publish(plan=published, audience=Audience.MASSES, published_on=DAY, by=world.user("school_a_secretary"))
    body = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    assert "未公开的目标任务" in body and "未公开的新特色工作" in body


def test_it_keeps_member_only_publications_off_the_public_page(world, client):
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.DECOMPOSITION)
    services.plan_publish(plan=plan, audience=Audience.MEMBERS, published_on=DAY, by=by)
    body = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    assert "党员示范课" not in body and "尚未公开年度目标" in body
    assert 'id="opinion"' in body  # the opinion form is on every public page, published plan or not


def test_it_offers_a_qr_code_to_the_stable_address(world, client, published):
    url = reverse("targets:public", args=[world.school_a.pk])
    body = client.get(url).content.decode()
    assert "<svg" in body and f"http://testserver{url}" in body
    r = client.get(reverse("targets:public_qr", args=[world.school_a.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r.content[:4] == b"\x89PNG"


def test_it_lands_an_opinion_in_step_1_after_the_challenge(world, client, published):
    url = reverse("targets:public", args=[world.school_a.pk])
    answer = _challenge_answer(client, url)
    r = client.post(url, {"content": "建议开放操场", "author": "家长", "answer": answer + 1})
    assert r.status_code == 400 and "计算结果不对" in r.content.decode() and "建议开放操场" in r.content.decode()
    assert not Opinion.objects.filter(source="public").exists()
    answer = _challenge_answer(client, url)
    r = client.post(url, {"content": "建议开放操场", "author": "家长", "answer": answer})
    assert r.status_code == 302
    opinion = Opinion.objects.get(source="public")
    assert opinion.plan == published and opinion.decision == "pending" and opinion.author == "家长"


def test_it_refuses_an_answer_used_twice(world, client, published):
    url = reverse("targets:public", args=[world.school_a.pk])
    answer = _challenge_answer(client, url)
    assert client.post(url, {"content": "一", "answer": answer}).status_code == 302
    assert client.post(url, {"content": "二", "answer": answer}).status_code == 400
    assert Opinion.objects.filter(source="public").count() == 1


def test_it_rate_limits_opinions(world, client, published):
    url = reverse("targets:public", args=[world.school_a.pk])
    for n in range(5):
        client.post(url, {"content": f"留言{n}", "answer": _challenge_answer(client, url)})
    assert Opinion.objects.filter(source="public").count() == 5
    r = client.post(url, {"content": "第六条", "answer": _challenge_answer(client, url)}, follow=True)
    assert "留言太频繁" in r.content.decode()
    assert Opinion.objects.filter(source="public").count() == 5


def test_it_lets_the_secretary_sort_public_opinions(world, client, login, published):
    """Public opinions are listed newest first, each with its own 归类与答复 form."""
    import datetime

    from django.utils import timezone

    noon = timezone.make_aware(datetime.datetime(2026, 4, 1, 12, 0))
    for content, hours in [("早上的意见", -3), ("中午的意见", 0), ("上午的意见", -1)]:
        opinion = services.opinion_submit_public(organization=world.school_a, content=content)
        Opinion.objects.filter(pk=opinion.pk).update(created_at=noon + datetime.timedelta(hours=hours))
    body = login(world.user("school_a_secretary")).get(reverse("targets:step", args=[published.pk, "opinions"])).content.decode()
    public_card = body.split("公开页留言", 1)[1]
    shown = re.findall(r'data-opinion="(\d+)">\s*<div class="d-flex[^>]*>\s*<div>([^<]*)<', public_card)
    assert [content for _pk, content in shown] == ["中午的意见", "上午的意见", "早上的意见"]
    for pk, _content in shown:
        assert f'action="{reverse("targets:opinion_sort", args=[pk])}"' in public_card


def test_it_shows_sections_other_apps_offer(world, client, published, monkeypatch):
    from django.apps import apps

    import targets.views.public as public_view

    offered = {"template": "x.html", "context": {"word": "党员承诺公示"}, "order": 10}
    monkeypatch.setattr(apps.get_app_config("targets"), "public_sections", lambda org: [offered], raising=False)
    real = public_view.render_to_string
    monkeypatch.setattr(
        public_view, "render_to_string",
        lambda t, c=None: f"<section>{c['word']}</section>" if t == "x.html" else real(t, c),
    )  # fmt: skip
    body = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    assert "<section>党员承诺公示</section>" in body


def test_it_answers_404_for_an_unknown_organization(client):
    assert client.get(reverse("targets:public", args=[999999])).status_code == 404
