"""Single sign-on end to end against a real provider in a second process (tests/sso_provider.py): OpenID Connect with
django-oidc-provider and CAS 3.0 with django-mama-cas. A person is matched by 工号 or mobile number to the roster;
the provider creates nobody and grants nothing; with no provider configured the login page is as before."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from organizations.enums import Role
from organizations.models import AuditEvent, AuditKind, Member, RoleAssignment
from tests.sso_provider import IdentityProvider
from tests.world import make_member

PEOPLE = [
    ("T1002", "乙成员", "13900000002"),  # member_b, by 工号
    ("X-7781", "甲成员", "+8613900000001"),  # member_a, whose 工号 the provider does not know: by mobile number
    ("T3003", "丙新人", "13900000077"),  # on the roster of branch B, with no login yet
    ("T9999", "陌生人", "13800009999"),  # on no roster
]


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    with IdentityProvider(tmp_path_factory.mktemp("idp"), PEOPLE) as provider:
        yield provider


@pytest.fixture
def roster(world):
    Member.objects.filter(pk=world.member_b.pk).update(staff_no="T1002")
    newcomer = make_member(world.branch_b, "丙新人", phone="13900000077", staff_no="T3003")
    return newcomer


@pytest.fixture
def oidc(idp, settings):
    for name, value in idp.oidc_settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "accounts.backends.OIDCBackend"]
    return idp


@pytest.fixture
def cas(idp, settings):
    for name, value in idp.cas_settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "accounts.backends.CASSignOnBackend"]
    return idp


def _local(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return parts.path + ("?" + parts.query if parts.query else "")


def _signed_in(client: Client):
    uid = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=uid) if uid else None


def _oidc_sign_in(idp, username: str, next_url: str = "/org/") -> tuple[Client, object]:
    c = Client()
    r = c.get(reverse("accounts:oidc_login"), {"next": next_url})
    assert r.status_code == 302 and r["Location"].startswith(idp.url + "/openid/authorize")
    back = idp.sign_in(r["Location"], username)
    return c, c.get(_local(back))


def _cas_sign_in(idp, username: str, next_url: str = "/org/") -> tuple[Client, object]:
    c = Client()
    r = c.get(reverse("accounts:cas_login"), {"next": next_url})
    assert r.status_code == 302 and r["Location"].startswith(idp.url + "/cas/login?service=")
    back = idp.sign_in(r["Location"], username)
    assert "ticket=ST-" in back
    return c, c.get(_local(back))


def test_with_nothing_configured_single_sign_on_is_off(db, client, settings):
    assert not settings.OIDC_RP_CLIENT_ID and not settings.CAS_SERVER_URL
    assert not any("backends.OIDC" in b or "CAS" in b for b in settings.AUTHENTICATION_BACKENDS)
    body = client.get(reverse("login")).content.decode()
    assert "统一身份认证" not in body and "sso/" not in body
    for name in ("accounts:oidc_login", "accounts:oidc_callback", "accounts:cas_login"):
        assert client.get(reverse(name)).status_code == 404


def test_the_login_page_offers_each_configured_provider(db, client, oidc, cas):
    body = client.get(reverse("login") + "?next=/org/").content.decode()
    assert "统一身份认证登录</a>" in body and "统一身份认证登录（CAS）" in body
    assert reverse("accounts:oidc_login") + "?next=/org/" in body.replace("%2F", "/")


def test_oidc_signs_in_the_member_with_that_staff_number(world, roster, oidc):
    c, r = _oidc_sign_in(oidc, "T1002")
    assert r.status_code == 302 and r["Location"] == "/org/"
    assert _signed_in(c) == world.user("member_b")
    assert c.get("/org/").status_code == 200
    # the login is in the committee's audit log like any other
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN, user=world.user("member_b")).exists()


def test_oidc_matches_by_mobile_number_when_the_staff_number_is_unknown(world, roster, oidc):
    c, r = _oidc_sign_in(oidc, "X-7781")
    assert r.status_code == 302 and _signed_in(c) == world.user("member_a")


def test_cas_signs_in_the_member_with_that_staff_number(world, roster, cas):
    c, r = _cas_sign_in(cas, "T1002")
    assert r.status_code == 302 and r["Location"] == "/org/"
    assert _signed_in(c) == world.user("member_b")


def test_a_roster_member_without_a_login_gets_only_the_member_role_of_the_roster(world, roster, cas):
    users = get_user_model().objects.count()
    c, r = _cas_sign_in(cas, "T3003")
    roster.refresh_from_db()
    assert r.status_code == 302 and _signed_in(c) == roster.user
    assert get_user_model().objects.count() == users + 1
    grants = list(RoleAssignment.objects.filter(user=roster.user).values_list("organization_id", "role"))
    assert grants == [(world.branch_b.pk, Role.MEMBER)]


@pytest.mark.parametrize("flow", ["oidc", "cas"])
def test_an_identity_on_no_roster_is_refused_in_chinese_and_nothing_is_created(world, roster, idp, settings, flow,
                                                                               request):
    request.getfixturevalue(flow)
    users, grants = get_user_model().objects.count(), RoleAssignment.objects.count()
    c, r = (_oidc_sign_in if flow == "oidc" else _cas_sign_in)(idp, "T9999")
    assert r.status_code == 302 and r["Location"] == reverse("login")
    assert _signed_in(c) is None
    page = c.get(r["Location"]).content.decode()
    assert "名册中没有与您的工号或手机号相符的在册人员" in page and "支部书记" in page
    assert (get_user_model().objects.count(), RoleAssignment.objects.count()) == (users, grants)


def test_a_stopped_login_stays_stopped_under_single_sign_on(world, roster, cas):
    user = world.user("member_b")
    user.is_active = False
    user.save(update_fields=["is_active"])
    c, r = _cas_sign_in(cas, "T1002")
    assert _signed_in(c) is None
    assert "您的平台登录已停用" in c.get(r["Location"]).content.decode()


def test_a_staff_number_shared_by_two_members_is_not_guessed(world, roster, oidc):
    # the same 工号 in another branch, with another phone: the provider's phone decides
    twin = make_member(world.branch_a, "同号人", phone="13700000000", staff_no="T1002")
    c, _r = _oidc_sign_in(oidc, "T1002")
    assert _signed_in(c) == world.user("member_b")
    # and when the phone does not tell them apart either, nobody is signed in
    Member.objects.filter(pk=twin.pk).update(phone="13900000002")
    c, r = _oidc_sign_in(oidc, "T1002")
    assert _signed_in(c) is None and "无法确定是哪一位" in c.get(r["Location"]).content.decode()


def test_neither_flow_sends_the_person_on_to_another_site(world, roster, oidc, cas):
    c = Client()
    r = c.get(reverse("accounts:cas_login"), {"next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == reverse("accounts:cas_login")
    c, r = _oidc_sign_in(oidc, "T1002", next_url="https://evil.example/")
    assert _signed_in(c) == world.user("member_b") and r["Location"] == "/"


def test_the_settings_read_each_provider_from_the_environment():
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "CAS_"))}
    env.update(OIDC_RP_CLIENT_ID="168", OIDC_OP_TOKEN_ENDPOINT="https://id.example.edu.cn/token",
               CAS_SERVER_URL="https://cas.example.edu.cn/cas/", CAS_PHONE_ATTRIBUTE="telephoneNumber",
               DJANGO_SETTINGS_MODULE="config.settings")  # fmt: skip
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.AUTHENTICATION_BACKENDS, s.OIDC_OP_TOKEN_ENDPOINT, s.CAS_SERVER_URL, s.CAS_PHONE_ATTRIBUTE]))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=60)
    backends, token, server, phone = json.loads(out.stdout.strip().splitlines()[-1])
    assert backends[-2:] == ["accounts.backends.OIDCBackend", "accounts.backends.CASSignOnBackend"]
    assert (token, server, phone) == ("https://id.example.edu.cn/token", "https://cas.example.edu.cn/cas/", "telephoneNumber")
