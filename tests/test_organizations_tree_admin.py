"""Committee staff manage the tree and its roles in the app; the access rule holds against crafted POSTs."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations.enums import OrgKind, Role
from organizations.models import Member, Organization, RoleAssignment
from organizations.services import (
    organization_add,
    organization_close,
    organization_merge,
    organization_move,
    role_assign,
    role_revoke,
)
from tests.world import make_member, make_user


def _counts():
    return (
        Organization.objects.count(),
        Organization.history.count(),
        RoleAssignment.objects.count(),
        RoleAssignment.history.count(),
        list(Organization.objects.order_by("pk").values_list("path", "closed_on")),
        list(Member.objects.order_by("pk").values_list("organization_id", flat=True)),
    )


def test_county_staff_add_a_school_and_a_branch_and_appoint_its_secretary(world, login):
    c = login(world.user("county_b_staff"))
    r = c.post(
        reverse("organizations:organization_add", args=[world.county_b.pk]),
        {"name": "乙县实验中学党委", "kind": OrgKind.SCHOOL_COMMITTEE, "school_name": "乙县实验中学"},
    )
    school = Organization.objects.get(name="乙县实验中学党委")
    assert r.status_code == 302 and Organization.objects.get_parent(school).pk == world.county_b.pk
    c.post(
        reverse("organizations:organization_add", args=[school.pk]),
        {"name": "实验中学第一支部", "kind": OrgKind.BRANCH, "school_name": "乙县实验中学"},
    )
    branch = Organization.objects.get(name="实验中学第一支部")
    r = c.post(
        reverse("organizations:roles", args=[branch.pk]),
        {"username": "member_b", "role": Role.BRANCH_SECRETARY, "title": "支部书记"},
    )
    assert r.status_code == 302
    assert RoleAssignment.objects.filter(user=world.user("member_b"), organization=branch).exists()
    assert school.history.count() == 1 and RoleAssignment.history.filter(organization=branch).count() == 1
    body = c.get(reverse("organizations:roles", args=[branch.pk])).content.decode()
    assert "乙成员" in body


def test_a_crafted_post_granting_a_role_outside_the_granters_subtree_is_refused(world, login):
    before = _counts()
    c = login(world.user("county_b_staff"))
    # the page of a unit outside the subtree does not exist for them
    r = c.post(
        reverse("organizations:roles", args=[world.branch_a.pk]), {"username": "member_b", "role": "branch_secretary"}
    )
    assert r.status_code == 404
    # the service refuses it as well, and a role above their own scope, and a person they cannot see
    with pytest.raises(ValidationError):
        role_assign(
            by=world.user("county_b_staff"), organization=world.branch_a, username="member_b", role="branch_secretary"
        )
    with pytest.raises(ValidationError):
        role_assign(by=world.user("county_b_staff"), organization=world.city, username="member_b", role="city_staff")
    with pytest.raises(ValidationError):
        role_assign(
            by=world.user("county_b_staff"), organization=world.branch_b, username="member_a", role="branch_secretary"
        )
    # a secretary is no committee staff: no appointments, even in their own subtree
    r = login(world.user("school_b_secretary")).post(
        reverse("organizations:roles", args=[world.branch_b.pk]), {"username": "member_b", "role": "branch_secretary"}
    )
    assert r.status_code == 403
    assert _counts() == before


def test_a_role_that_does_not_fit_the_kind_is_refused_next_to_the_field(world, login):
    c = login(world.user("county_b_staff"))
    r = c.post(
        reverse("organizations:roles", args=[world.branch_b.pk]), {"username": "member_b", "role": "county_staff"}
    )
    assert r.status_code == 400
    assert "选择一个有效的选项" in r.content.decode() or "不设这个角色" in r.content.decode()
    assert not RoleAssignment.objects.filter(user=world.user("member_b"), role="county_staff").exists()


def test_staff_revoke_a_secretary_but_not_themselves(world, login):
    grant = RoleAssignment.objects.get(user=world.user("branch_b_secretary"), organization=world.branch_b)
    c = login(world.user("county_b_staff"))
    assert c.post(reverse("organizations:role_revoke", args=[grant.pk])).status_code == 302
    assert not RoleAssignment.objects.filter(pk=grant.pk).exists()
    assert RoleAssignment.history.filter(id=grant.pk, history_type="-").exists()
    own = RoleAssignment.objects.get(user=world.user("county_b_staff"))
    with pytest.raises(ValidationError):
        role_revoke(by=world.user("county_b_staff"), assignment=own)
    outside = RoleAssignment.objects.get(user=world.user("branch_a_secretary"))
    assert c.post(reverse("organizations:role_revoke", args=[outside.pk])).status_code == 404
    assert RoleAssignment.objects.filter(pk=outside.pk).exists()


def test_moving_a_node_out_of_scope_is_refused_and_nothing_moves(world, login):
    before = _counts()
    staff = world.user("county_b_staff")
    c = login(staff)
    r = c.post(reverse("organizations:organization_move", args=[world.school_b.pk]), {"new_parent": world.county_a.pk})
    assert r.status_code == 400  # not a unit they may choose
    with pytest.raises(ValidationError):
        organization_move(by=staff, organization=world.school_b, new_parent=world.county_a)
    with pytest.raises(ValidationError):  # their own scope cannot move
        organization_move(by=staff, organization=world.county_b, new_parent=world.unit)
    with pytest.raises(ValidationError):  # nor into its own subtree
        organization_move(by=world.user("city_staff"), organization=world.school_b, new_parent=world.branch_b)
    assert c.post(reverse("organizations:organization_move", args=[world.county_b.pk]), {}).status_code == 403
    assert _counts() == before


def test_moving_within_the_subtree_keeps_the_history(world):
    staff = world.user("county_b_staff")
    school2 = organization_add(by=staff, parent=world.county_b, name="乙二中党委", kind=OrgKind.SCHOOL_COMMITTEE)
    moved = organization_move(by=staff, organization=world.branch_b, new_parent=school2)
    assert Organization.objects.get_parent(moved).pk == school2.pk
    assert moved.path.startswith(school2.path)
    assert Member.objects.get(pk=world.member_b.pk).organization_id == world.branch_b.pk
    assert moved.history.first().history_change_reason == "移至“乙二中党委”之下"


def test_merging_into_a_foreign_unit_is_refused_and_nothing_written(world, login):
    before = _counts()
    staff = world.user("county_b_staff")
    with pytest.raises(ValidationError):
        organization_merge(by=staff, organization=world.branch_b, into=world.branch_a)
    r = login(staff).post(
        reverse("organizations:organization_merge", args=[world.branch_b.pk]), {"into": world.branch_a.pk}
    )
    assert r.status_code == 400
    assert _counts() == before


def test_merge_moves_members_and_children_and_closes_the_unit(world):
    staff = world.user("county_b_staff")
    other = organization_add(by=staff, parent=world.school_b, name="乙校第二支部", kind=OrgKind.BRANCH)
    left = make_member(world.branch_b, "乙离册", phone="13900000009", is_active=False)
    moved = organization_merge(by=staff, organization=world.branch_b, into=other)
    assert moved["members"] == 2
    assert set(Member.objects.filter(organization=other).values_list("pk", flat=True)) == {world.member_b.pk, left.pk}
    assert RoleAssignment.objects.filter(user=world.user("member_b"), organization=other, role=Role.MEMBER).exists()
    assert not RoleAssignment.objects.filter(organization=world.branch_b).exists()  # its secretary's role ended
    closed = Organization.objects.get(pk=world.branch_b.pk)
    assert closed.is_closed and closed.merged_into_id == other.pk
    # a closed unit takes no new work: no appointments, no more children, not offered in choosers
    with pytest.raises(ValidationError):
        role_assign(by=staff, organization=closed, username="member_b", role=Role.BRANCH_SECRETARY)
    with pytest.raises(ValidationError):
        organization_merge(by=staff, organization=other, into=closed)


def test_closing_keeps_records_and_refuses_a_unit_with_members(world, login):
    staff = world.user("county_b_staff")
    with pytest.raises(ValidationError):
        organization_close(by=staff, organization=world.branch_b)
    empty = organization_add(by=staff, parent=world.school_b, name="乙校空支部", kind=OrgKind.BRANCH)
    c = login(staff)
    r = c.post(reverse("organizations:organization_close", args=[empty.pk]), {"closed_on": "2026-01-05"})
    assert r.status_code == 302
    assert Organization.objects.get(pk=empty.pk).closed_on.isoformat() == "2026-01-05"
    assert c.get(empty.get_absolute_url()).status_code == 200  # still readable
    found = c.get(
        reverse("organizations:organization_search", args=[world.county_b.pk]), {"organization_q": "乙校空支部"}
    ).content.decode()
    assert "乙校空支部" not in found


def test_a_secretary_may_not_add_units(world, login):
    before = _counts()
    r = login(world.user("school_b_secretary")).post(
        reverse("organizations:organization_add", args=[world.school_b.pk]), {"name": "x", "kind": "branch"}
    )
    assert r.status_code == 403
    with pytest.raises(ValidationError):
        organization_add(by=make_user("nobody"), parent=world.school_b, name="x", kind=OrgKind.BRANCH)
    assert _counts() == before


def test_an_edit_of_an_organization_renamed_meanwhile_is_refused_and_shows_the_new_name(world, login):
    c = login(world.user("county_b_staff"))
    url = reverse("organizations:organization_edit", args=[world.school_b.pk])
    opened = c.get(url).content.decode().split('name="fingerprint" value="')[1].split('"')[0]
    Organization.objects.filter(pk=world.school_b.pk).update(name="乙校党委（更名）")
    r = c.post(url, {"name": "乙校党委（我改的）", "code": "", "school_name": "乙校", "fingerprint": opened})
    assert r.status_code == 400 and "乙校党委（更名）" in r.content.decode()
    assert Organization.objects.get(pk=world.school_b.pk).name == "乙校党委（更名）"
