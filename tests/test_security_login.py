"""Login: lockout after repeated failures (django-axes), password rules, session expiry."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.world import PASSWORD

LOCKED_TEXT = "登录失败次数过多，账号已暂时锁定"


def _try(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_it_locks_the_account_after_the_failure_limit_with_a_chinese_page(world, client):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        r = _try(client, "school_b_secretary", "wrong-password")
        assert r.status_code == 200 and LOCKED_TEXT not in r.content.decode()
    r = _try(client, "school_b_secretary", "wrong-password")
    assert r.status_code == 429 and LOCKED_TEXT in r.content.decode()
    # even the right password is refused while locked
    r = _try(client, "school_b_secretary", PASSWORD)
    assert r.status_code == 429 and LOCKED_TEXT in r.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_follows_the_configured_failure_limit(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert _try(client, "member_b", "nope").status_code == 200
    assert _try(client, "member_b", "nope").status_code == 429


@pytest.mark.django_db
def test_it_locks_one_account_not_everyone(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "school_b_secretary", "wrong-password")
    r = _try(client, "school_a_secretary", PASSWORD)
    assert r.status_code == 302 and r["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


@pytest.mark.django_db
def test_it_counts_afresh_after_a_successful_login(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "member_a", "wrong-password")
    assert _try(client, "member_a", PASSWORD).status_code == 302
    client.logout()
    assert _try(client, "member_a", "wrong-password").status_code == 200  # not locked: the count was reset


@pytest.mark.parametrize(
    "password",
    ["short1", "12345678901", "password123", "qwertyuiop", "school_b_secretary"],
)
@pytest.mark.django_db
def test_it_refuses_weak_passwords(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=world.user("school_b_secretary"))


@pytest.mark.django_db
def test_it_accepts_a_strong_password(world):
    validate_password("泉州-168-Dangjian!", user=world.user("school_b_secretary"))


@pytest.mark.django_db
def test_it_refuses_a_weak_new_password_on_the_change_page_in_chinese(world, login):
    client = login(world.user("member_b"))
    r = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "密码" in body and ("太常见" in body or "全部为数字" in body)


def test_it_expires_sessions():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_it_gives_a_session_cookie_that_ends_with_the_browser(world, client):
    _try(client, "member_a", PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


@pytest.mark.django_db
def test_it_sends_an_expired_session_back_to_login(world, client):
    assert _try(client, "member_a", PASSWORD).status_code == 302
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    r = client.get(reverse("home"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_it_applies_the_password_rules_to_an_invited_member_and_uses_the_link_once(world, client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from organizations import services
    from tests.world import make_member

    member = make_member(world.branch_b, "乙新成员", phone="13900000009")
    user = services.member_invite(member=member, username="yi_new")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("organizations:invite_accept", args=[uid, default_token_generator.make_token(user)])
    r = client.get(url, follow=True)
    form_url = r.redirect_chain[-1][0] if r.redirect_chain else url
    weak = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    strong = client.post(form_url, {"new_password1": "泉州-168-Dangjian!", "new_password2": "泉州-168-Dangjian!"})
    assert strong.status_code == 302
    user.refresh_from_db()
    assert user.check_password("泉州-168-Dangjian!")
    # the link is spent once the password is set
    again = Client().get(url, follow=True)
    assert "new_password1" not in again.content.decode()


def test_it_answers_a_huge_or_nul_username_with_the_form_not_an_error(client, db):
    for username in ["乙" * 400, "user\x00name"]:
        r = client.post("/accounts/login/", {"username": username, "password": "x"})
        assert r.status_code == 200
        assert r.context["form"].errors  # the login form, with its message, not a server error
