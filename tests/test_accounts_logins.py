"""Logins in bulk: a secretary issues one-time activation codes; a member activates with one; codes are single-use,
expire, are stored hashed and locked like the login form; a login can be stopped."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import IssueBatch, OneTimeCode
from organizations.models import Member
from tests.world import make_member

GOOD = "Hongqi-2026-good"


def issue(world, *members, by="branch_b_secretary", org=None, send=False):
    batch, issued = services.logins_issue(
        by=world.user(by), organization=org or world.branch_b, member_ids=[m.pk for m in members], send=send
    )
    return batch, issued


@pytest.fixture
def newcomer(world):
    return make_member(world.branch_b, "乙新人", phone="13900000051", staff_no="B051", email="")


def signs_in(client, username, password) -> bool:
    r = client.post(reverse("login"), {"username": username, "password": password})
    client.logout()
    return r.status_code == 302


def activate(client, username, code, **extra):
    data = {"username": username, "code": code, "password1": GOOD, "password2": GOOD, "phone": "", "email": ""}
    data.update(extra)
    return client.post(reverse("accounts:activate"), data)


def test_it_issues_codes_stored_only_as_hashes(world, newcomer):
    batch, [item] = issue(world, newcomer)
    newcomer.refresh_from_db()
    assert item.username == "b051" and newcomer.user.username == "b051" and not newcomer.user.has_usable_password()
    row = OneTimeCode.objects.get(member=newcomer)
    plain = item.code.replace("-", "")
    assert len(plain) == 10 and plain not in row.code_hash and row.batch == batch
    assert row.expires_at > timezone.now() + datetime.timedelta(days=13)


def test_a_crafted_post_for_a_member_outside_the_subtree_writes_nothing(world, login, newcomer):
    client = login(world.user("branch_b_secretary"))
    url = reverse("accounts:logins_issue", args=[world.branch_b.pk])
    r = client.post(url, {"member": [newcomer.pk, world.member_a.pk]}, follow=True)
    assert "不属于本单位" in r.content.decode()
    assert not IssueBatch.objects.exists() and not OneTimeCode.objects.exists()
    newcomer.refresh_from_db()
    assert newcomer.user is None
    # and for an organization outside the subtree: 404
    r = client.post(reverse("accounts:logins_issue", args=[world.branch_a.pk]), {"member": [world.member_a.pk]})
    assert r.status_code == 404 and not OneTimeCode.objects.exists()


def test_a_member_cannot_issue_codes(world, login, newcomer):
    r = login(world.user("member_b")).post(
        reverse("accounts:logins_issue", args=[world.branch_b.pk]), {"member": [newcomer.pk]}
    )
    assert r.status_code == 404 and not OneTimeCode.objects.exists()


def test_the_sheet_shows_the_codes_to_their_issuer_once(world, login, newcomer):
    client = login(world.user("branch_b_secretary"))
    r = client.post(reverse("accounts:logins_issue", args=[world.branch_b.pk]), {"member": [newcomer.pk]})
    sheet = r.url
    page = client.get(sheet).content.decode()
    assert "b051" in page and "data:image/svg+xml" in page and "13900000051" not in page
    other = login(world.user("school_b_secretary")).get(sheet)
    assert other.status_code == 404


def test_a_member_activates_with_the_code_once(world, client, newcomer):
    _batch, [item] = issue(world, newcomer)
    r = activate(client, "b051", item.code.lower(), phone="13900000052", email="xin@example.edu.cn")
    assert r.status_code == 302
    user = get_user_model().objects.get(username="b051")
    assert user.check_password(GOOD) and user.email == "xin@example.edu.cn" and user.is_active
    newcomer.refresh_from_db()
    assert newcomer.phone == "13900000052" and newcomer.email == "xin@example.edu.cn"
    assert signs_in(client, "b051", GOOD)
    again = activate(client, "b051", item.code, password1="Another-2026-x", password2="Another-2026-x")
    assert again.status_code == 400 and "已使用" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(GOOD)


def test_an_expired_or_replaced_code_is_refused(world, client, newcomer):
    _b, [first] = issue(world, newcomer)
    _b, [second] = issue(world, newcomer)  # a new code replaces the old one
    assert activate(client, "b051", first.code).status_code == 400
    OneTimeCode.objects.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    r = activate(client, "b051", second.code)
    assert r.status_code == 400 and not get_user_model().objects.get(username="b051").has_usable_password()


def test_the_password_rules_apply(world, client, newcomer):
    _b, [item] = issue(world, newcomer)
    r = activate(client, "b051", item.code, password1="12345678", password2="12345678")
    assert r.status_code == 400 and OneTimeCode.objects.get().used_at is None


def test_wrong_codes_lock_like_the_login(world, client, newcomer, settings):
    _b, [item] = issue(world, newcomer)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        activate(client, "b051", "WRONGWRONG")
    r = activate(client, "b051", item.code)
    assert r.status_code in (403, 429) and "锁定" in r.content.decode()
    assert not get_user_model().objects.get(username="b051").has_usable_password()


def test_codes_go_by_email_where_the_member_has_one(world, newcomer):
    newcomer.email = "xin@example.edu.cn"
    newcomer.save()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        _b, [item] = issue(world, newcomer, send=True)
    [message] = mail.outbox
    assert message.to == ["xin@example.edu.cn"] and item.code in message.body and item.sent_via == "email"


def test_staff_stop_a_login_and_a_new_code_lets_the_member_back(world, client, login):
    member = world.member_b
    staff = login(world.user("county_b_staff"))
    r = staff.post(reverse("accounts:login_state", args=[member.pk]), {"action": "deactivate"})
    assert r.status_code == 302
    member.user.refresh_from_db()
    assert not member.user.is_active
    staff.logout()
    assert not signs_in(client, member.user.username, "pw-168-test")
    _b, [item] = issue(world, Member.objects.get(pk=member.pk))
    assert activate(client, member.user.username, item.code).status_code == 302
    assert signs_in(client, member.user.username, GOOD)


def test_outsiders_cannot_stop_a_login(world, login):
    r = login(world.user("county_a_staff")).post(
        reverse("accounts:login_state", args=[world.member_b.pk]), {"action": "deactivate"}
    )
    assert r.status_code == 404
    world.member_b.user.refresh_from_db()
    assert world.member_b.user.is_active


def test_the_logins_page_keeps_its_query_count_flat(world, login, django_assert_max_num_queries):
    client = login(world.user("branch_b_secretary"))
    url = reverse("accounts:logins", args=[world.branch_b.pk])
    for i in range(10):
        make_member(world.branch_b, f"乙甲{i}", phone=f"1390000{i:04d}")
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    for i in range(10, 200):
        make_member(world.branch_b, f"乙甲{i}", phone=f"1390000{i:04d}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert "13900000150" not in page  # phone numbers never shown
