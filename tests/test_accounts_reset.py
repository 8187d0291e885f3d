"""Getting back in: password reset by email (Django's one-time link) and by a code sent by SMS, both rate-limited
and locked like the login form; the answer never tells whether an address or number has a login."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import OneTimeCode
from tests.channel_servers import TencentSmsFake, sms_settings

GOOD = "Hongqi-2026-reset"


def signs_in(client, username, password) -> bool:
    r = client.post(reverse("login"), {"username": username, "password": password})
    client.logout()
    return r.status_code == 302


@pytest.fixture
def member_user(world):
    user = world.user("member_b")
    user.email = "yi@example.edu.cn"
    user.save()
    return user


def test_it_resets_the_password_by_email(member_user, client, mailoutbox):
    r = client.post(reverse("accounts:password_reset"), {"email": "yi@example.edu.cn"})
    assert r.status_code == 302 and r.url == reverse("accounts:password_reset_done")
    [message] = mailoutbox
    assert "重设密码" in message.subject and "member_b" in message.body
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "设置新密码" in form.content.decode()
    r = client.post(form.redirect_chain[-1][0], {"new_password1": GOOD, "new_password2": GOOD})
    assert r.status_code == 302 and signs_in(client, "member_b", GOOD)
    again = client.get(link, follow=True)
    assert "链接无效" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(world, client, mailoutbox):
    r = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.edu.cn"})
    assert r.status_code == 302 and mailoutbox == []


def test_email_resets_are_rate_limited(member_user, client, mailoutbox):
    for _ in range(5):
        client.post(reverse("accounts:password_reset"), {"email": "yi@example.edu.cn"})
    r = client.post(reverse("accounts:password_reset"), {"email": "yi@example.edu.cn"})
    assert r.status_code == 429 and "太频繁" in r.content.decode() and len(mailoutbox) == 5


@pytest.fixture
def sms(settings):
    with TencentSmsFake() as fake:
        sms_settings(settings, fake)
        yield fake


def test_it_resets_the_password_by_sms_code(world, client, sms):
    r = client.post(reverse("accounts:sms_request"), {"phone": "13900000002"})  # member_b's number
    assert r.status_code == 302
    [sent] = sms.requests
    assert sent["phone"] == "+8613900000002" and sent["template"] == "1003"
    code = sent["params"][0]
    assert code not in OneTimeCode.objects.get().code_hash
    data = {"phone": "13900000002", "code": code, "password1": GOOD, "password2": GOOD}
    assert client.post(reverse("accounts:sms_reset"), data).status_code == 302
    assert signs_in(client, "member_b", GOOD)
    reused = client.post(
        reverse("accounts:sms_reset"), {**data, "password1": "Other-2026-x", "password2": "Other-2026-x"}
    )
    assert reused.status_code == 400 and signs_in(client, "member_b", GOOD)


def test_an_unknown_number_gets_the_same_answer_and_no_sms(world, client, sms):
    r = client.post(reverse("accounts:sms_request"), {"phone": "13900009999"})
    assert r.status_code == 302 and sms.requests == []


def test_wrong_sms_codes_lock_like_the_login(world, client, sms, settings):
    client.post(reverse("accounts:sms_request"), {"phone": "13900000002"})
    code = sms.requests[0]["params"][0]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:sms_reset"), {"phone": "13900000002", "code": "000000", "password1": GOOD,
                                                    "password2": GOOD})  # fmt: skip
    r = client.post(reverse("accounts:sms_reset"), {"phone": "13900000002", "code": code, "password1": GOOD,
                                                    "password2": GOOD})  # fmt: skip
    assert "锁定" in r.content.decode()
    assert not get_user_model().objects.get(username="member_b").check_password(GOOD)


def test_sms_requests_are_rate_limited_per_number(world, client, sms):
    for _ in range(5):
        client.post(reverse("accounts:sms_request"), {"phone": "13900000002"})
    r = client.post(reverse("accounts:sms_request"), {"phone": "13900000002"})
    assert r.status_code == 429 and len(sms.requests) == 5


def test_without_sms_the_page_says_so(world, client):
    page = client.get(reverse("accounts:sms_request")).content.decode()
    assert "未开通短信服务" in page
