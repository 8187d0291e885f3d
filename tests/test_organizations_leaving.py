"""离任 and 组织关系转接: the login ends or follows, the record and its history stay, open commitments move by the rule
of docs/policy.md (组织关系转接), and a crafted transfer outside the subtree writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organizations.enums import OrgKind, Role
from organizations.models import LeaveKind, Member, MemberTransfer, RoleAssignment
from organizations.services import member_leave, member_transfer, organization_create
from posts import services as post_services
from posts.enums import FulfilmentStatus
from posts.models import Commitment, PostClaim
from tests.posts_fixtures import approved, build_posts, make_commitment, make_post
from tests.world import PASSWORD

TODAY = timezone.localdate


def _second_branch(w):
    return organization_create(
        parent=w.school_b, name="乙校第二支部", kind=OrgKind.BRANCH, code="T-B-S-C", school_name="乙校"
    )


def _other_school_branch(w):
    school = organization_create(
        parent=w.county_b, name="乙县二中党委", kind=OrgKind.SCHOOL_COMMITTEE, code="T-B-T", school_name="乙县二中"
    )
    return organization_create(parent=school, name="乙县二中第一支部", kind=OrgKind.BRANCH, code="T-B-T-B",
                               school_name="乙县二中")


def _snapshot():
    return (
        list(Member.objects.order_by("pk").values_list("pk", "organization_id", "is_active", "leave_kind")),
        Member.history.count(),
        MemberTransfer.objects.count(),
        list(RoleAssignment.objects.order_by("pk").values_list("pk", "organization_id", "role")),
        list(Commitment.objects.order_by("pk").values_list("pk", "claim_id", "status", "status_note")),
        list(PostClaim.objects.order_by("pk").values_list("pk", "post_id", "member_id")),
        list(Member.objects.filter(user__isnull=False).values_list("user__is_active", flat=True)),
    )


def test_leaving_ends_the_login_and_keeps_the_records(world, login, client):
    posts = build_posts(world)["b"]
    member = world.member_b
    r = login(world.user("branch_b_secretary")).post(
        reverse("organizations:member_leave", args=[member.pk]), {"left_on": TODAY().isoformat(), "note": "退休"}
    )
    assert r.status_code == 302
    member.refresh_from_db()
    assert not member.is_active and member.leave_kind == LeaveKind.LEFT and member.left_on == TODAY()
    assert not RoleAssignment.objects.filter(user=world.user("member_b")).exists()
    # the person can no longer sign in
    client.logout()
    r = client.post(reverse("login"), {"username": "member_b", "password": PASSWORD})
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    # the commitments, duty log and the record's history stay; the history says why
    assert Commitment.objects.filter(pk=posts["commitment"].pk, claim__member=member).exists()
    assert posts["commitment"].log_entries.count() == 2
    assert member.history.first().history_change_reason == "退休"
    page = login(world.user("branch_b_secretary")).get(reverse("organizations:member_detail", args=[member.pk]))
    assert page.status_code == 200 and "乙成员" in page.content.decode()


def test_a_leaving_date_in_the_future_is_answered_next_to_the_field_and_nothing_is_written(world, login):
    before = _snapshot()
    r = login(world.user("branch_b_secretary")).post(
        reverse("organizations:member_leave", args=[world.member_b.pk]),
        {"left_on": (TODAY() + datetime.timedelta(days=3)).isoformat()},
    )
    assert r.status_code == 400 and "日期不能晚于今天" in r.content.decode()
    assert _snapshot() == before


def test_a_transfer_between_branches_keeps_history_and_moves_open_commitments(world, login):
    posts = build_posts(world)["b"]
    secretary = world.user("branch_b_secretary")
    # one more commitment on the same post, already fulfilled: it stays where it was made
    done = approved(posts["claim"], secretary, content="b 已兑现的承诺")
    post_services.commitment_status_set(commitment=done, status=FulfilmentStatus.FULFILLED, note="已完成", by=secretary)
    second = _second_branch(world)
    member = world.member_b
    history_before = member.history.count()
    r = login(world.user("school_b_secretary")).post(
        reverse("organizations:member_transfer", args=[member.pk]),
        {"to_organization": second.pk, "transferred_on": TODAY().isoformat(), "note": "工作调动"},
    )
    assert r.status_code == 302, r.content.decode()
    member.refresh_from_db()
    assert member.organization == second and member.is_active and member.user.is_active
    assert RoleAssignment.objects.get(user=member.user, role=Role.MEMBER).organization == second
    # history kept: the old versions are still there, the new one names the move
    assert member.history.count() == history_before + 1
    assert member.history.first().history_change_reason == "组织关系转接：乙校第一支部 → 乙校第二支部"
    assert {h.organization_id for h in member.history.all()} == {world.branch_b.pk, second.pk}
    # open (履诺中) commitments follow to the same post in the new branch; the fulfilled one stays
    moved = Commitment.objects.filter(pk__in=[posts["commitment"].pk, posts["draft"].pk])
    assert {c.claim.post.organization_id for c in moved} == {second.pk}
    assert {c.claim.post.name for c in moved} == {posts["post"].name}
    done.refresh_from_db()
    assert done.claim.post.organization_id == world.branch_b.pk and done.claim.member_id == member.pk
    assert posts["commitment"].history.first().history_change_reason == "随组织关系转接至乙校第二支部"
    transfer = MemberTransfer.objects.get(member=member)
    assert transfer.from_organization == world.branch_b and transfer.commitments_moved == 2
    # the member still finds the moved commitment and its duty log
    assert posts["commitment"].log_entries.count() == 2
    page = login(world.user("school_b_secretary")).get(reverse("organizations:member_transfer", args=[member.pk]))
    assert "乙校第一支部" in page.content.decode() and "乙校第二支部" in page.content.decode()


def test_county_staff_transfer_a_member_to_another_school(world, login):
    build_posts(world)
    target = _other_school_branch(world)
    member = world.member_b
    transfer = member_transfer(by=world.user("county_b_staff"), member=member, transferred_on=TODAY(),
                               to_organization=target)
    member.refresh_from_db()
    assert member.organization == target and transfer.commitments_moved == 2
    # the old school's secretary no longer sees the member; the new school's branch does
    r = login(world.user("school_b_secretary")).get(reverse("organizations:member_detail", args=[member.pk]))
    assert r.status_code == 404


def test_a_commitment_on_a_post_of_the_school_stays_when_the_member_moves_between_its_branches(world):
    secretary = world.user("school_b_secretary")
    school_post = make_post(world.school_b, "学校示范岗", by=secretary)
    claim = post_services.post_claim(post=school_post, member=world.member_b, by=world.user("member_b"))
    c = make_commitment(claim, "学校层面的承诺")
    member_transfer(by=secretary, member=world.member_b, transferred_on=TODAY(), to_organization=_second_branch(world))
    c.refresh_from_db()
    assert c.claim.post == school_post


def test_a_transfer_out_of_the_city_ends_the_login_and_notes_open_commitments(world):
    posts = build_posts(world)["b"]
    member = world.member_b
    member_transfer(by=world.user("branch_b_secretary"), member=member, transferred_on=TODAY(), to_outside="厦门市某中学")
    member.refresh_from_db()
    assert not member.is_active and member.leave_kind == LeaveKind.TRANSFERRED_OUT and member.left_to == "厦门市某中学"
    assert not member.user.is_active
    c = Commitment.objects.get(pk=posts["commitment"].pk)
    assert c.claim.post.organization_id == world.branch_b.pk and "组织关系转出至厦门市某中学" in c.status_note


def test_a_crafted_transfer_outside_the_subtree_writes_nothing(world, login):
    build_posts(world)
    second = _second_branch(world)
    before = _snapshot()
    # a branch secretary may not move a member to a sibling branch (not theirs), nor to another county
    c = login(world.user("branch_b_secretary"))
    for target in (second, world.branch_a):
        r = c.post(reverse("organizations:member_transfer", args=[world.member_b.pk]),
                   {"to_organization": target.pk, "transferred_on": TODAY().isoformat()})
        assert r.status_code == 400
    for target in (second, world.branch_a):
        with pytest.raises(ValidationError):
            member_transfer(by=world.user("branch_b_secretary"), member=world.member_b, transferred_on=TODAY(),
                            to_organization=target)
    # county staff of B cannot move their member into county A, nor reach county A's member at all
    with pytest.raises(ValidationError):
        member_transfer(by=world.user("county_b_staff"), member=world.member_b, transferred_on=TODAY(),
                        to_organization=world.branch_a)
    with pytest.raises(ValidationError):
        member_transfer(by=world.user("county_b_staff"), member=world.member_a, transferred_on=TODAY(),
                        to_organization=world.branch_b)
    r = login(world.user("county_b_staff")).post(
        reverse("organizations:member_transfer", args=[world.member_a.pk]),
        {"to_organization": world.branch_b.pk, "transferred_on": TODAY().isoformat()},
    )
    assert r.status_code == 404
    # nobody moves themselves, nor leaves themselves, nor a member who is already off the roster
    with pytest.raises(ValidationError):
        member_leave(by=world.user("member_b"), member=world.member_b, left_on=TODAY())
    assert _snapshot() == before
