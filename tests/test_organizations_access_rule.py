"""The one access rule, asked directly: who sees which organizations (their subtree, never a sibling's), who may
change what, who sees a phone number or a record's history, and who judges whose work (never their own)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from organizations import access
from organizations.enums import Role
from organizations.models import Member, Organization, RoleAssignment
from targets.enums import PlanTheme, TargetCategory
from targets.models import AnnualPlan, TargetItem
from tests.world import make_user

ALL = {"city", "county_a", "school_a", "branch_a", "county_b", "school_b", "branch_b", "unit", "unit_branch"}


def names(world, orgs) -> set[str]:
    by_pk = {getattr(world, n).pk: n for n in ALL}
    return {by_pk[o.pk] for o in orgs}


def superuser():
    user = make_user("root")
    user.is_superuser = True
    user.save()
    return user


def grant(user, org, role):
    RoleAssignment.objects.create(user=user, organization=org, role=role)
    access.forget(user)
    return user


# ---- which organizations a user sees -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, expected",
    [
        ("city_staff", ALL),
        ("county_a_staff", {"county_a", "school_a", "branch_a"}),
        ("county_b_staff", {"county_b", "school_b", "branch_b"}),
        ("unit_staff", {"unit", "unit_branch"}),
        ("school_a_secretary", {"school_a", "branch_a"}),
        ("branch_a_secretary", {"branch_a"}),
        ("member_a", set()),
    ],
)
def test_each_role_sees_its_own_subtree_and_nothing_of_a_sibling(world, who, expected):
    user = world.user(who)
    assert names(world, access.visible_organizations(user)) == expected
    assert access.sees_organizations(user) is bool(expected)
    for name in ALL:
        org = getattr(world, name)
        assert access.is_visible(user, org) is (name in expected), name
        assert access.can_edit(user, org) is (name in expected), name


def test_nobody_signed_in_sees_nothing_and_a_superuser_sees_everything(world):
    for user in (None, AnonymousUser()):
        assert access.grants(user) == []
        assert not access.visible_organizations(user).exists()
        assert access.sees_organizations(user) is False
        assert access.is_visible(user, world.branch_a) is False
        assert access.is_superuser(user) is False
    root = superuser()
    assert access.is_superuser(root) is True
    assert names(world, access.visible_organizations(root)) == ALL
    assert access.sees_organizations(root) is True
    assert access.organization_filter(root) is None
    assert access.is_visible(root, world.branch_b) and access.can_edit(root, world.branch_b)


def test_roles_in_two_subtrees_add_up_and_a_nested_one_adds_nothing(world):
    both = grant(world.user("county_a_staff"), world.school_b, Role.SECRETARY)
    assert names(world, access.visible_organizations(both)) == {"county_a", "school_a", "branch_a", "school_b", "branch_b"}
    nested = grant(world.user("school_a_secretary"), world.branch_a, Role.BRANCH_SECRETARY)
    assert names(world, access.visible_organizations(nested)) == {"school_a", "branch_a"}
    assert access.is_visible(nested, world.branch_a) and not access.is_visible(nested, world.county_a)


def test_a_member_role_alone_opens_no_organization(world):
    user = grant(make_user("teacher"), world.school_a, Role.MEMBER)
    assert not access.visible_organizations(user).exists() and not access.sees_organizations(user)
    assert access.is_visible(user, world.school_a) is False


def test_a_path_that_merely_starts_like_another_is_a_sibling_not_a_child(world):
    # treebeard paths have fixed-length steps: county_a is "0001…", county_b "0002…"; a new 10th child of the city
    # would be "000A"; none of them may be mistaken for a child of another
    county_a, county_b = world.county_a.path, world.county_b.path
    assert len(county_a) == len(county_b) == 2 * Organization.steplen
    user = world.user("county_a_staff")
    assert not any(access.is_visible(user, o) for o in Organization.objects.filter(path__startswith=county_b))


# ---- grants are read once per request ------------------------------------------------------------------------------


def test_roles_are_read_once_and_forgotten_on_request(world, django_assert_num_queries):
    user = make_user("newcomer")
    with django_assert_num_queries(1):
        assert access.grants(user) == []
        assert access.grants(user) == []
    RoleAssignment.objects.create(user=user, organization=world.school_a, role=Role.SECRETARY)
    assert access.is_visible(user, world.school_a) is False  # still the roles read at the start
    access.forget(user)
    access.forget(user)  # forgetting twice is harmless
    (g,) = access.grants(user)
    assert (g.organization_id, g.path, g.role, g.depth) == (
        world.school_a.pk, world.school_a.path, Role.SECRETARY, world.school_a.depth,
    )
    assert access.is_visible(user, world.branch_a) is True


# ---- querysets restricted to the user's subtree --------------------------------------------------------------------


def _plans(world):
    out = {}
    for name in ("school_a", "school_b"):
        plan = AnnualPlan.objects.create(organization=getattr(world, name), year=2026, theme=PlanTheme.DEDICATION)
        item = TargetItem.objects.create(
            plan=plan, category=TargetCategory.PARTY, content=f"{name}目标", indicator="1", role="party_member",
            responsible="李老师", deadline=datetime.date(2026, 12, 31),
        )
        out[name] = (plan, item)
    return out


def test_scope_keeps_only_rows_of_the_users_subtree_through_any_foreign_key(world):
    rows = _plans(world)
    items = TargetItem.objects.all()
    user = world.user("county_a_staff")
    assert list(access.scope(items, user, "plan__organization")) == [rows["school_a"][1]]
    assert list(access.scope(AnnualPlan.objects.all(), user)) == [rows["school_a"][0]]
    assert set(access.scope(items, world.user("city_staff"), "plan__organization")) == {r[1] for r in rows.values()}
    assert set(access.scope(items, superuser(), "plan__organization")) == {r[1] for r in rows.values()}
    assert not access.scope(items, world.user("member_a"), "plan__organization").exists()
    assert not access.scope(items, None, "plan__organization").exists()


def test_an_object_outside_the_subtree_does_not_exist_and_one_inside_is_returned(world):
    rows = _plans(world)
    user = world.user("school_a_secretary")
    plan_a, item_a = rows["school_a"]
    plan_b, item_b = rows["school_b"]
    assert access.get_for_user(AnnualPlan.objects.all(), user, plan_a.pk) == plan_a
    assert access.get_for_user(AnnualPlan.objects.all(), user, plan_a.pk, to_edit=True) == plan_a
    got = access.get_for_user(TargetItem.objects.all(), user, item_a.pk, field="plan__organization", to_edit=True)
    assert got == item_a
    with pytest.raises(Http404):
        access.get_for_user(AnnualPlan.objects.all(), user, plan_b.pk)
    with pytest.raises(Http404):
        access.get_for_user(TargetItem.objects.all(), user, item_b.pk, field="plan__organization", to_edit=True)
    assert access.get_organization_for_user(user, world.branch_a.pk) == world.branch_a
    assert access.get_organization_for_user(user, world.branch_a.pk, to_edit=True) == world.branch_a
    with pytest.raises(Http404):
        access.get_organization_for_user(user, world.branch_b.pk)
    with pytest.raises(Http404):
        access.get_organization_for_user(user, world.county_a.pk, to_edit=True)


def test_an_object_seen_but_not_changeable_is_refused_with_403(world, monkeypatch):
    # the rule's second answer: seen (scope) yet not editable (can_edit) → 403, not 404
    rows = _plans(world)
    user = world.user("school_a_secretary")
    monkeypatch.setattr(access, "can_edit", lambda u, org: org.pk != world.school_a.pk)
    with pytest.raises(PermissionDenied):
        access.get_for_user(TargetItem.objects.all(), user, rows["school_a"][1].pk, field="plan__organization", to_edit=True)
    assert access.get_for_user(TargetItem.objects.all(), user, rows["school_a"][1].pk, field="plan__organization")
    with pytest.raises(PermissionDenied):
        access.get_organization_for_user(user, world.school_a.pk, to_edit=True)
    assert access.get_organization_for_user(user, world.school_a.pk) == world.school_a  # viewing stays allowed
    assert access.get_organization_for_user(user, world.branch_a.pk, to_edit=True) == world.branch_a


def test_require_refuses_with_403_only_when_the_condition_fails():
    access.require(True)
    with pytest.raises(PermissionDenied):
        access.require(False)


# ---- secretaries, staff and the city committee ---------------------------------------------------------------------


def test_a_secretary_is_secretary_of_their_organization_and_below_only(world):
    school = world.user("school_a_secretary")
    assert access.is_secretary_of(school, world.school_a) and access.is_secretary_of(school, world.branch_a)
    assert not access.is_secretary_of(school, world.county_a)
    assert not access.is_secretary_of(school, world.school_b)
    branch = world.user("branch_a_secretary")
    assert access.is_secretary_of(branch, world.branch_a) and not access.is_secretary_of(branch, world.school_a)
    # staff are not secretaries, whatever they see
    assert not access.is_secretary_of(world.user("city_staff"), world.branch_a)
    assert not access.is_secretary_of(world.user("member_a"), world.branch_a)
    assert access.is_secretary_of(superuser(), world.branch_b)


def test_staff_are_staff_of_their_subtree_and_secretaries_are_not_staff(world):
    county = world.user("county_a_staff")
    assert access.is_staff_of(county, world.county_a) and access.is_staff_of(county, world.branch_a)
    assert not access.is_staff_of(county, world.branch_b) and not access.is_staff_of(county, world.city)
    assert access.is_staff_of(world.user("city_staff"), world.branch_b)
    assert access.is_staff_of(world.user("unit_staff"), world.unit_branch)
    assert not access.is_staff_of(world.user("school_a_secretary"), world.branch_a)
    assert access.is_staff_of(superuser(), world.branch_b)


def test_only_the_city_committees_staff_are_city_staff(world):
    assert access.is_city_staff(world.user("city_staff")) is True
    for who in ("county_a_staff", "unit_staff", "school_a_secretary", "member_a"):
        assert access.is_city_staff(world.user(who)) is False, who
    assert access.is_city_staff(AnonymousUser()) is False
    assert access.is_city_staff(superuser()) is True


def test_has_role_looks_for_any_of_the_roles_named(world):
    user = world.user("school_a_secretary")
    assert access.has_role(user, Role.SECRETARY)
    assert access.has_role(user, Role.COUNTY_STAFF, Role.SECRETARY)
    assert not access.has_role(user, Role.BRANCH_SECRETARY)
    assert not access.has_role(user)
    assert access.has_role(world.user("member_a"), Role.MEMBER)
    assert not access.has_role(AnonymousUser(), Role.MEMBER)
    assert access.has_role(superuser())


# ---- members and their own records ---------------------------------------------------------------------------------


def test_a_member_sees_their_own_record_and_nobody_elses(world):
    me = world.user("member_a")
    assert access.own_member(me) == world.member_a
    assert list(access.visible_members(me)) == [world.member_a]
    assert access.get_member_for_user(me, world.member_a.pk, to_edit=True) == world.member_a
    with pytest.raises(Http404):
        access.get_member_for_user(me, world.member_b.pk)


def test_members_are_seen_within_the_subtree_and_changed_by_those_who_manage_it(world):
    county = world.user("county_a_staff")
    assert list(access.visible_members(county)) == [world.member_a]
    assert access.get_member_for_user(county, world.member_a.pk, to_edit=True) == world.member_a
    with pytest.raises(Http404):
        access.get_member_for_user(county, world.member_b.pk, to_edit=True)
    assert set(access.visible_members(superuser())) == {world.member_a, world.member_b}
    assert not access.visible_members(AnonymousUser()).exists()
    assert not access.visible_members(None).exists()


def test_a_member_seen_but_not_changeable_is_refused_with_403(world, monkeypatch):
    county = world.user("county_a_staff")
    monkeypatch.setattr(access, "can_edit", lambda u, org: False)
    assert access.get_member_for_user(county, world.member_a.pk) == world.member_a
    with pytest.raises(PermissionDenied):
        access.get_member_for_user(county, world.member_a.pk, to_edit=True)
    me = world.user("member_a")  # one's own record stays changeable
    assert access.get_member_for_user(me, world.member_a.pk, to_edit=True) == world.member_a


def test_opening_a_member_to_change_reads_the_member_and_its_branch_in_one_query(world, django_assert_num_queries):
    county = world.user("county_a_staff")
    access.grants(county)  # the roles are read once per request, before
    with django_assert_num_queries(1):
        member = access.get_member_for_user(county, world.member_a.pk, to_edit=True)
        assert member.organization.name == world.branch_a.name


def test_a_login_without_a_member_record_has_none(world):
    assert access.own_member(world.user("county_a_staff")) is None
    assert access.own_member(AnonymousUser()) is None
    assert access.own_member(None) is None


def test_a_phone_number_is_seen_by_the_member_and_the_secretaries_above_only(world):
    m = world.member_a
    assert access.can_see_phone(world.user("member_a"), m)
    assert access.can_see_phone(world.user("branch_a_secretary"), m)
    assert access.can_see_phone(world.user("school_a_secretary"), m)
    assert not access.can_see_phone(world.user("county_a_staff"), m)  # staff see the member, not the phone
    assert not access.can_see_phone(world.user("city_staff"), m)
    assert not access.can_see_phone(world.user("branch_b_secretary"), m)
    assert not access.can_see_phone(world.user("member_b"), m)
    assert not access.can_see_phone(AnonymousUser(), m)
    assert not access.can_see_phone(None, m)
    unlinked = Member.objects.create(organization=world.branch_a, name="未绑定", phone="13900000009", user=None)
    assert not access.can_see_phone(world.user("member_a"), unlinked)


def test_a_records_history_is_for_its_secretaries_and_the_staff_above(world):
    org = world.branch_a
    for who in ("branch_a_secretary", "school_a_secretary", "county_a_staff", "city_staff"):
        assert access.can_see_history(world.user(who), org), who
    for who in ("member_a", "branch_b_secretary", "county_b_staff", "unit_staff"):
        assert not access.can_see_history(world.user(who), org), who
    assert not access.can_see_history(world.user("branch_a_secretary"), world.school_a)


# ---- nobody judges their own work ----------------------------------------------------------------------------------


def test_a_members_work_is_judged_in_their_own_organization(world):
    assert access.judging_organization(None, world.branch_a) == world.branch_a
    assert access.judging_organization(world.user("member_a").pk, world.branch_a) == world.branch_a
    # a secretary elsewhere is an ordinary author here
    assert access.judging_organization(world.user("school_b_secretary").pk, world.branch_a) == world.branch_a


def test_a_secretarys_own_work_goes_one_level_above_the_top_they_lead(world):
    assert access.judging_organization(world.user("branch_a_secretary").pk, world.branch_a) == world.school_a
    assert access.judging_organization(world.user("school_a_secretary").pk, world.school_a) == world.county_a
    # the school secretary's work in the branch: above the school, not above the branch
    assert access.judging_organization(world.user("school_a_secretary").pk, world.branch_a) == world.county_a
    both = grant(world.user("branch_a_secretary"), world.school_a, Role.SECRETARY)
    assert access.judging_organization(both.pk, world.branch_a) == world.county_a


def test_the_top_of_the_tree_has_nobody_above_to_judge_it(world):
    top = grant(make_user("city_secretary"), world.city, Role.SECRETARY)
    assert access.judging_organization(top.pk, world.county_a) is None
    assert access.judging_organization(top.pk, world.city) is None
    county = grant(make_user("county_secretary"), world.county_a, Role.SECRETARY)
    assert access.judging_organization(county.pk, world.branch_a) == world.city
    assert access.can_judge(world.user("city_staff"), author_id=top.pk, org=world.county_a) is False
    assert access.can_judge(superuser(), author_id=top.pk, org=world.county_a) is True


def test_a_members_work_is_judged_by_the_secretaries_of_the_branch_or_above(world):
    author = world.user("member_a").pk
    org = world.branch_a
    assert access.can_judge(world.user("branch_a_secretary"), author_id=author, org=org)
    assert access.can_judge(world.user("school_a_secretary"), author_id=author, org=org)
    assert not access.can_judge(world.user("county_a_staff"), author_id=author, org=org)
    assert not access.can_judge(world.user("branch_b_secretary"), author_id=author, org=org)
    assert not access.can_judge(world.user("member_a"), author_id=author, org=org)  # their own
    assert not access.can_judge(AnonymousUser(), author_id=author, org=org)
    assert not access.can_judge(None, author_id=author, org=org)
    assert access.can_judge(world.user("branch_a_secretary"), author_id=None, org=org)


def test_a_secretarys_own_work_is_judged_above_by_its_secretaries_or_staff_never_by_themselves(world):
    author = world.user("branch_a_secretary")
    org = world.branch_a
    assert not access.can_judge(author, author_id=author.pk, org=org)
    assert access.can_judge(world.user("school_a_secretary"), author_id=author.pk, org=org)
    assert access.can_judge(world.user("county_a_staff"), author_id=author.pk, org=org)
    assert not access.can_judge(world.user("county_b_staff"), author_id=author.pk, org=org)
    assert not access.can_judge(world.user("member_a"), author_id=author.pk, org=org)
    school = world.user("school_a_secretary")
    assert not access.can_judge(school, author_id=school.pk, org=world.school_a)
    assert access.can_judge(world.user("county_a_staff"), author_id=school.pk, org=world.school_a)
    assert not access.can_judge(world.user("branch_a_secretary"), author_id=school.pk, org=world.school_a)


def test_nobody_judges_their_own_work_not_even_a_superuser_or_someone_holding_two_roles(world):
    root = superuser()
    assert access.can_judge(root, author_id=world.user("member_a").pk, org=world.branch_a)
    assert not access.can_judge(root, author_id=root.pk, org=world.branch_a)
    # a school secretary who is also the county's staff: the county judges the school secretary's work, but not theirs
    both = grant(world.user("school_a_secretary"), world.county_a, Role.COUNTY_STAFF)
    assert access.judging_organization(both.pk, world.school_a) == world.county_a
    assert access.can_judge(world.user("county_a_staff"), author_id=both.pk, org=world.school_a)
    assert not access.can_judge(both, author_id=both.pk, org=world.school_a)
