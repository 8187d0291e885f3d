"""接受群众监督, closed loop: an opinion left on a public page about a published target item or commitment reaches
the secretary who answers for it (inbox, home page), is answered (optionally under the opinion on the public page),
and is reminded and counted on the dashboard when it waits too long."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notice
from posts import services as posts_services
from posts.enums import Audience as PostAudience
from reports.views.home import todo_items
from targets import reminders, services
from targets.enums import Step
from targets.models import Opinion
from tests.budget import assert_flat_queries
from tests.posts_fixtures import approved, make_post
from tests.targets_fixtures import make_plan, walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(world):
    """School A published its plan (one target item) to society."""
    by = world.user("school_a_secretary")
    plan = make_plan(world.school_a, by)
    walk(plan, by, through=Step.PUBLIC_COMMITMENT)
    return plan


@pytest.fixture
def commitment(world):
    """Member A (branch A, which has no plan of its own) published a commitment to society."""
    secretary = world.user("branch_a_secretary")
    claim = posts_services.post_claim(post=make_post(world.branch_a, by=secretary), member=world.member_a,
                                      by=world.member_a.user)
    c = approved(claim, secretary, content="每周辅导学困生一次")
    return posts_services.commitment_publish(commitment=c, audience=PostAudience.SOCIETY)


def _answer(client, url) -> int:
    a, b = re.search(r"验证：(\d) \+ (\d) = \?", client.get(url).content.decode()).groups()
    return int(a) + int(b)


def _post(client, org, about, content="建议把示范课向家长开放"):
    url = reverse("targets:public", args=[org.pk])
    return client.post(url, {"about": about, "content": content, "answer": _answer(client, url + f"?about={about}")})


def test_each_published_item_and_commitment_has_its_own_link(world, client, published, commitment):
    item = published.items.get()
    body = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    assert f'href="?about=item:{item.pk}#opinion"' in body
    assert f'href="?about=commitment:{commitment.pk}#opinion"' in body
    body = client.get(reverse("targets:public", args=[world.school_a.pk]) + f"?about=item:{item.pk}").content.decode()
    assert "针对：目标任务：党员示范课每学期不少于2节" in body


def test_the_form_is_on_every_public_page_even_a_branch_with_no_plan(world, client, commitment):
    body = client.get(reverse("targets:public", args=[world.branch_a.pk])).content.decode()
    assert 'id="opinion"' in body and "验证：" in body
    assert _post(client, world.branch_a, "").status_code == 302
    opinion = Opinion.objects.get(source="public")
    assert opinion.plan is None and opinion.organization == world.branch_a and opinion.subject == ""


def test_an_opinion_on_an_item_is_linked_and_reaches_the_secretarys_inbox_and_home_page(
    world, client, published, django_capture_on_commit_callbacks
):
    item = published.items.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, world.school_a, f"item:{item.pk}").status_code == 302
    opinion = Opinion.objects.get(source="public")
    assert opinion.target_item == item and opinion.plan == published and opinion.organization == world.school_a
    secretary = world.user("school_a_secretary")
    notice = Notice.objects.get(recipient=secretary)
    assert "请答复" in notice.subject and "党员示范课" in notice.body
    assert notice.url == reverse("targets:public_opinions", args=[world.school_a.pk])
    assert not Notice.objects.filter(recipient=world.user("branch_a_secretary")).exists()
    todo = [i for i in todo_items(secretary, today=timezone.localdate()) if i.kind == "targets.public_opinions"]
    assert [(i.count, i.url) for i in todo] == [(1, notice.url)]


def test_an_opinion_on_a_commitment_goes_to_the_members_branch(
    world, client, published, commitment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, world.school_a, f"commitment:{commitment.pk}").status_code == 302
    opinion = Opinion.objects.get(source="public")
    assert opinion.organization == world.branch_a and opinion.subject_ref == f"commitment:{commitment.pk}"
    assert "甲成员的承诺：每周辅导学困生一次" == opinion.subject
    assert Notice.objects.filter(recipient=world.user("branch_a_secretary")).count() == 1
    assert not Notice.objects.filter(recipient=world.user("school_a_secretary")).exists()


def test_a_crafted_subject_outside_the_page_is_refused_and_nothing_is_written(
    world, client, published, django_capture_on_commit_callbacks
):
    by = world.user("school_b_secretary")
    other_plan = make_plan(world.school_b, by)
    walk(other_plan, by, through=Step.PUBLIC_COMMITMENT)
    secretary_b = world.user("branch_b_secretary")
    claim = posts_services.post_claim(post=make_post(world.branch_b, by=secretary_b), member=world.member_b,
                                      by=world.member_b.user)
    draft_elsewhere = approved(claim, secretary_b, content="乙校承诺")
    posts_services.commitment_publish(commitment=draft_elsewhere, audience=PostAudience.SOCIETY)
    for about in [f"item:{other_plan.items.get().pk}", f"commitment:{draft_elsewhere.pk}", "item:abc", "plan:1"]:
        with django_capture_on_commit_callbacks(execute=True):
            r = _post(client, world.school_a, about)
        assert r.status_code == 400 and "不在本页公开的范围内" in r.content.decode(), about
    assert not Opinion.objects.filter(source="public").exists()
    assert not Notice.objects.filter(subject__contains="公开页").exists()


def test_the_secretary_answers_and_chooses_to_publish_under_the_opinion(world, client, login, published):
    item = published.items.get()
    opinion = services.opinion_submit_public(organization=world.school_a, content="示范课能否请家长旁听",
                                             about=f"item:{item.pk}")
    c = login(world.user("school_a_secretary"))
    page = c.get(reverse("targets:public_opinions", args=[world.school_a.pk])).content.decode()
    assert "示范课能否请家长旁听" in page and "待答复" in page
    url = reverse("targets:opinion_answer", args=[opinion.pk])
    r = c.post(url, {f"o{opinion.pk}-reply": "  "})
    assert r.status_code == 400 and "这个字段是必填项" in r.content.decode()
    assert c.post(url, {f"o{opinion.pk}-reply": "下学期起每月开放一次"}).status_code == 302
    c.logout()
    public = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    assert "下学期起每月开放一次" not in public  # answered but not published
    login(world.user("school_a_secretary")).post(
        url, {f"o{opinion.pk}-reply": "下学期起每月开放一次", f"o{opinion.pk}-publish": "on"}
    )
    client.logout()
    public = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    answer = public.split("群众意见和答复", 1)[1]
    assert "示范课能否请家长旁听" in answer and "下学期起每月开放一次" in answer and "党员示范课" in answer
    opinion.refresh_from_db()
    assert opinion.replied_by == world.user("school_a_secretary") and opinion.reply_published


def test_nobody_else_answers_and_nothing_is_written(world, login, published):
    opinion = services.opinion_submit_public(organization=world.school_a, content="意见")
    url = reverse("targets:opinion_answer", args=[opinion.pk])
    for who, status in [("school_b_secretary", 404), ("branch_a_secretary", 404), ("county_a_staff", 403),
                        ("member_a", 404)]:
        assert login(world.user(who)).post(url, {f"o{opinion.pk}-reply": "越权答复"}).status_code == status, who
    opinion.refresh_from_db()
    assert opinion.reply == "" and opinion.replied_at is None
    with pytest.raises(PermissionDenied):
        services.opinion_answer(opinion=opinion, by=world.user("county_a_staff"), reply="越权答复")
    opinion.refresh_from_db()
    assert opinion.replied_at is None


def test_it_reminds_once_after_the_reply_days_and_counts_on_the_dashboard(world, login, settings, published):
    settings.PUBLIC_OPINION_REPLY_DAYS = 7
    old = services.opinion_submit_public(organization=world.school_a, content="等了很久的意见")
    fresh = services.opinion_submit_public(organization=world.school_a, content="刚提的意见")
    today = timezone.localdate()
    Opinion.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    found = [r for r in reminders.due(today=today) if r.kind == "targets.public_opinion"]
    assert [(r.period, r.organization_id) for r in found] == [(f"o{old.pk}", world.school_a.pk)]
    assert "等了很久的意见" in found[0].body and fresh.content not in found[0].body
    body = login(world.user("county_a_staff")).get(reverse("reports:dashboard")).content.decode()
    card = body.split('id="opinions-table"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>甲校党委</td><td class=\"text-end\">1</td>", card)
    services.opinion_answer(opinion=old, by=world.user("school_a_secretary"), reply="已研究")
    assert [r for r in reminders.due(today=today) if r.kind == "targets.public_opinion"] == []
    body = login(world.user("county_a_staff")).get(reverse("reports:dashboard")).content.decode()
    assert "没有超期未答复的意见" in body


def test_the_list_keeps_its_query_count_flat(world, login, published):
    client = login(world.user("school_a_secretary"))

    def grow_to(n):
        have = Opinion.objects.filter(organization=world.school_a, source="public").count()
        Opinion.objects.bulk_create(
            Opinion(plan=published, organization=world.school_a, source="public", content=f"意见{i}")
            for i in range(have, n)
        )

    assert_flat_queries(client, reverse("targets:public_opinions", args=[world.school_a.pk]), grow_to=grow_to,
                        budget=14)


def test_the_demo_has_an_answered_opinion_published_under_it(world, client, published):
    from targets import demo

    demo._public_supervision(world.school_a, world.user("school_a_secretary"))
    opinion = Opinion.objects.get(source="public")
    assert opinion.target_item == published.items.get() and opinion.reply_published and opinion.replied_at
    body = client.get(reverse("targets:public", args=[world.school_a.pk])).content.decode()
    assert "家长代表旁听" in body and "向家长代表开放" in body
