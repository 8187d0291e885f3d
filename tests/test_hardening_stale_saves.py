"""Two people saving the same post, poll settings or evaluation settings: the later save, made from a page opened
before the first, writes nothing and shows the newer data next to the user's input; a crafted save without (or with
a garbled) version or fingerprint is refused the same way."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from machinery.locking import STALE_MESSAGE
from tests.evaluations_fixtures import open_period
from tests.fuzz.forms import forms_on, initial_data
from tests.posts_fixtures import make_post

STALE = str(STALE_MESSAGE)


def _client(world, owner: str) -> Client:
    client = Client()
    client.force_login(world.user(owner))
    return client


def _opened(client: Client, page: str, action: str, token: str = "version") -> dict:
    form = next(f for f in forms_on(client.get(page).content.decode(), page) if f.action == action and token in f.fields)
    return initial_data(form)


# ---- posts -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_keeps_the_first_of_two_saves_of_a_post(world):
    from posts.models import Post

    post = make_post(world.branch_b, by=world.user("branch_b_secretary"))
    page, action = reverse("posts:post_detail", args=[post.pk]), reverse("posts:post_edit", args=[post.pk])
    branch, school = _client(world, "branch_b_secretary"), _client(world, "school_b_secretary")
    data_branch, data_school = _opened(branch, page, action), _opened(school, page, action)
    assert data_branch["version"] == ["1"]
    assert branch.post(action, {**data_branch, "duties": ["甲：每周上一节示范课"]}).status_code == 302
    r = school.post(action, {**data_school, "duties": ["乙：每月听课两节"], "capacity": ["5"]})
    body = r.content.decode()
    assert r.status_code == 400
    assert STALE in body and "甲：每周上一节示范课" in body and "乙：每月听课两节" in body
    stored = Post.objects.get(pk=post.pk)
    assert (stored.duties, stored.capacity, stored.version) == ("甲：每周上一节示范课", 2, 2)
    # the page now carries the newer version: saving again is a deliberate overwrite
    again = next(f for f in forms_on(body, page) if f.action == action and "version" in f.fields)
    assert again.fields["version"].initial == ["2"]
    assert school.post(action, initial_data(again)).status_code == 302
    assert Post.objects.get(pk=post.pk).duties == "乙：每月听课两节"


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, "", "abc", "-1", "0", "99999999999999999999999"])
def test_it_refuses_a_post_save_without_the_current_version(world, version):
    from posts.models import Post

    post = make_post(world.branch_b, by=world.user("branch_b_secretary"))
    action = reverse("posts:post_edit", args=[post.pk])
    data = {"name": "改名的岗位", "duties": "新的职责", "role": "party_member", "capacity": "3"}
    if version is not None:
        data["version"] = version
    r = _client(world, "branch_b_secretary").post(action, data)
    assert r.status_code == 400 and STALE in r.content.decode()
    stored = Post.objects.get(pk=post.pk)
    assert (stored.name, stored.duties, stored.version) == ("党员示范岗", "在教育教学中发挥先锋模范作用", 1)


# ---- the poll's settings -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_keeps_the_first_of_two_saves_of_the_poll_settings(world):
    from evaluations.models import Poll

    period = open_period(world.branch_b)
    page = action = reverse("evaluations:poll", args=[period.pk])
    branch, school = _client(world, "branch_b_secretary"), _client(world, "school_b_secretary")
    data_branch, data_school = _opened(branch, page, action, "fingerprint"), _opened(school, page, action, "fingerprint")
    assert branch.post(action, {**data_branch, "minimum_ballots": ["7"]}).status_code == 302
    r = school.post(action, {**data_school, "minimum_ballots": ["12"]})
    body = r.content.decode()
    assert r.status_code == 400 and STALE in body
    assert 'value="12"' in body  # the user's input, kept
    assert "最新内容（他人刚保存）" in body and ">7<" in body  # the value stored now
    assert Poll.objects.get(period=period).minimum_ballots == 7
    r = school.post(action, {**data_school, "minimum_ballots": ["12"], "fingerprint": ["forged"]})
    assert r.status_code == 400 and Poll.objects.get(period=period).minimum_ballots == 7


# ---- the evaluation settings -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("first_exists", [False, True], ids=["inherited", "own"])
def test_it_keeps_the_first_of_two_saves_of_the_evaluation_settings(world, first_exists):
    from evaluations.models import EvaluationSettings
    from evaluations.services import settings_save

    org = world.school_b
    if first_exists:
        settings_save(organization=org, weight_self=20, weight_poll=30, weight_org=50)
    page = action = reverse("evaluations:settings", args=[org.pk])
    one, two = _client(world, "school_b_secretary"), _client(world, "school_b_secretary")
    data_one, data_two = _opened(one, page, action, "fingerprint"), _opened(two, page, action, "fingerprint")
    assert one.post(action, {**data_one, "scale_text": ["甲档=100\n乙档=0"]}).status_code == 302
    r = two.post(action, {**data_two, "weight_self": ["30"], "weight_poll": ["20"], "scale_text": ["丙档=100"]})
    body = r.content.decode()
    assert r.status_code == 400 and STALE in body
    assert "丙档=100" in body and "甲档=100" in body  # the user's input and the newer scale
    stored = EvaluationSettings.objects.get(organization=org)
    assert (stored.weight_self, [o["label"] for o in stored.poll_scale]) == (20, ["甲档", "乙档"])

