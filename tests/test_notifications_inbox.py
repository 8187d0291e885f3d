import pytest
from django.urls import reverse

from notifications.models import Notice
from notifications.services import notice_send
from tests.budget import assert_flat_queries


def _notice(user, subject="季报表还有7天截止", url=""):
    return Notice.objects.create(recipient=user, subject=subject, body="请及时报送", url=url)


def test_it_lists_only_the_users_own_notices(world, login):
    _notice(world.user("unit_staff"), "丙高校的提醒")
    _notice(world.user("school_b_secretary"), "乙校的提醒")
    body = login(world.user("unit_staff")).get(reverse("notifications:inbox")).content.decode()
    assert "丙高校的提醒" in body
    assert "乙校的提醒" not in body


def test_it_shows_the_unread_count_in_the_navigation(world, login):
    user = world.user("unit_staff")
    for _ in range(3):
        _notice(user)
    Notice.objects.filter(pk=_notice(user).pk).update(read_at="2026-01-01T00:00:00Z")
    client = login(user)
    body = client.get(reverse("home")).content.decode()
    assert f'bi-bell"></i> 通知 <span hx-get="{reverse("notifications:badge")}" hx-trigger="load"' in body
    badge = client.get(reverse("notifications:badge")).content.decode()
    assert '<span class="badge bg-warning text-dark" data-unread-count="3"' in badge and ">3</span>" in badge


def test_it_shows_no_badge_when_all_is_read(world, login):
    body = login(world.user("unit_staff")).get(reverse("notifications:badge")).content.decode()
    assert "badge" not in body and body.strip() == ""


def test_it_marks_one_notice_read(world, login):
    user = world.user("unit_staff")
    notice, other = _notice(user), _notice(user)
    r = login(user).post(reverse("notifications:mark_read", args=[notice.pk]))
    assert r.status_code == 302
    notice.refresh_from_db()
    other.refresh_from_db()
    assert notice.read_at is not None and other.read_at is None


def test_it_marks_one_read_in_place_with_htmx(world, login):
    user = world.user("unit_staff")
    notice = _notice(user)
    r = login(user).post(reverse("notifications:mark_read", args=[notice.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "标为已读" not in r.content.decode()


def test_it_marks_all_read(world, login):
    user = world.user("unit_staff")
    for _ in range(4):
        _notice(user)
    theirs = _notice(world.user("city_staff"))
    c = login(user)
    r = c.post(reverse("notifications:mark_all_read"), follow=True)
    assert "已将 4 条通知标为已读" in r.content.decode()
    assert not Notice.objects.filter(recipient=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_follows_a_notice_to_the_thing_and_marks_it_read(world, login):
    user = world.user("unit_staff")
    notice = _notice(user, url=reverse("organizations:detail", args=[world.unit.pk]))
    r = login(user).get(reverse("notifications:open", args=[notice.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("organizations:detail", args=[world.unit.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_it_shows_a_notice_without_a_link_on_its_own_page(world, login):
    user = world.user("unit_staff")
    notice = _notice(user, subject="没有链接的通知")
    r = login(user).get(reverse("notifications:open", args=[notice.pk]))
    assert r.status_code == 200 and "没有链接的通知" in r.content.decode()


def test_it_never_redirects_off_site(world, login):
    user = world.user("unit_staff")
    notice = _notice(user, url="https://evil.example.com/")
    r = login(user).get(reverse("notifications:open", args=[notice.pk]))
    assert r.status_code == 200


def test_it_hides_another_users_notice(world, login):
    notice = _notice(world.user("unit_staff"))
    c = login(world.user("city_staff"))
    assert c.get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert c.post(reverse("notifications:mark_read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_it_filters_unread(world, login):
    user = world.user("unit_staff")
    _notice(user, "未读的那条")
    Notice.objects.filter(pk=_notice(user, "已读的那条").pk).update(read_at="2026-01-01T00:00:00Z")
    body = login(user).get(reverse("notifications:inbox") + "?unread=1").content.decode()
    assert "未读的那条" in body and "已读的那条" not in body


def test_it_keeps_the_inbox_query_count_flat(world, login):
    user = world.user("unit_staff")
    c = login(user)

    def grow_to(n):
        missing = n - Notice.objects.filter(recipient=user).count()
        Notice.objects.bulk_create([Notice(recipient=user, subject=f"提醒{i}") for i in range(missing)])

    assert_flat_queries(c, reverse("notifications:inbox"), grow_to=grow_to, budget=10)


def test_it_sends_a_keyed_notice_once(world, django_capture_on_commit_callbacks, mailoutbox):
    user = world.user("unit_staff")
    user.email = "unit@example.edu.cn"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = notice_send(recipient=user, subject="承诺已退回", body="请修改", key="posts.returned|c1|v1")
        second = notice_send(recipient=user, subject="承诺已退回", body="请修改", key="posts.returned|c1|v1")
    assert first is not None and second is None
    assert Notice.objects.filter(recipient=user).count() == 1
    assert len(mailoutbox) == 1


def test_it_refuses_a_notice_without_subject(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        notice_send(recipient=world.user("unit_staff"), subject=" ", body="")
    assert "通知标题不能为空" in str(exc.value)


def test_the_demo_gives_the_demo_logins_something_to_read(db):
    import io
    import random

    from notifications import demo
    from tests.world import make_user

    member = make_user("member")
    demo.load(stdout=io.StringIO(), rng=random.Random(1), with_logins=True)
    demo.load(stdout=io.StringIO(), rng=random.Random(1), with_logins=True)
    assert Notice.objects.filter(recipient=member).count() == 2
