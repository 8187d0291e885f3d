import pytest
from django.urls import reverse

from organizations import access
from organizations.models import Organization
from organizations.services import organization_create
from tests.budget import assert_flat_queries
from tests.world import make_member

# queries the navigation bar costs on every page (apps' nav_items: visible organizations, unread notices, own member)
NAV = 5  # leaves room for two more apps; the flatness (10 vs 200 rows) is the real check


def test_it_shows_the_whole_city_to_city_staff(world, login):
    r = login(world.user("city_staff")).get(reverse("organizations:tree"))
    assert r.status_code == 200
    assert "泉州市委教育工委" in r.content.decode()


def test_it_starts_the_tree_at_the_users_own_organization(world, login):
    body = login(world.user("school_a_secretary")).get(reverse("organizations:tree")).content.decode()
    assert "甲校党委" in body
    assert "泉州市委教育工委" not in body


def test_it_expands_children_lazily(world, login):
    c = login(world.user("county_a_staff"))
    body = c.get(reverse("organizations:children", args=[world.county_a.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "甲校党委" in body


def test_it_finds_organizations_by_pinyin_initials(world, login):
    body = login(world.user("city_staff")).get(reverse("organizations:tree"), {"q": "yxdy"}).content.decode()
    assert "乙校第一支部" in body
    assert "甲校第一支部" not in body


def test_it_returns_404_for_a_sibling_organization(world, login):
    r = login(world.user("school_a_secretary")).get(reverse("organizations:detail", args=[world.school_b.pk]))
    assert r.status_code == 404


def test_it_sends_anonymous_users_to_login(world, client):
    r = client.get(reverse("organizations:detail", args=[world.school_a.pk]))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_it_shows_breadcrumbs_only_within_scope(world, login):
    body = login(world.user("school_a_secretary")).get(
        reverse("organizations:detail", args=[world.branch_a.pk])
    ).content.decode()
    assert "甲校党委" in body  # the visible parent
    assert "甲县委教育工委" not in body  # above the user's scope


def test_it_shows_a_phone_only_to_secretaries_and_the_member(world, login, client):
    url = reverse("organizations:member_detail", args=[world.member_a.pk])
    assert "13900000001" in login(world.user("branch_a_secretary")).get(url).content.decode()
    assert "13900000001" in login(world.user("member_a")).get(url).content.decode()
    assert "13900000001" not in login(world.user("county_a_staff")).get(url).content.decode()


def test_it_lets_members_see_only_themselves(world, login):
    c = login(world.user("member_a"))
    other = make_member(world.branch_a, "甲同事", phone="13900000009")
    assert c.get(reverse("organizations:member_detail", args=[other.pk])).status_code == 404
    assert c.get(reverse("organizations:members", args=[world.branch_a.pk])).status_code == 404


def test_a_members_own_edit_page_links_nowhere_they_cannot_go(world, login):
    import re

    c = login(world.user("member_a"))
    page = c.get(reverse("organizations:member_edit", args=[world.member_a.pk])).content.decode()
    links = {h for h in re.findall(r'href="(/[^"#]*)"', page) if not h.startswith("/static/")}
    assert reverse("organizations:member_detail", args=[world.member_a.pk]) in links
    dead = [h for h in links if c.get(h).status_code == 404]
    assert not dead, dead
    secretary = login(world.user("branch_a_secretary"))
    page = secretary.get(reverse("organizations:member_edit", args=[world.member_a.pk])).content.decode()
    assert reverse("organizations:members", args=[world.branch_a.pk]) in page


def test_visible_organizations_is_the_union_of_subtrees(world):
    user = world.user("unit_staff")
    names = set(access.visible_organizations(user).values_list("name", flat=True))
    assert names == {"丙高校党委", "丙高校教工支部"}


def test_member_list_keeps_its_query_budget(world, login):
    c = login(world.user("school_a_secretary"))

    def grow_to(n):
        have = world.branch_a.members.count()
        for i in range(have, n):
            make_member(world.branch_a, f"成员{i}", phone=f"1380000{i:04d}")

    assert_flat_queries(c, reverse("organizations:members", args=[world.school_a.pk]), grow_to=grow_to, budget=NAV + 7)


def test_tree_children_keep_their_query_budget(world, login):
    c = login(world.user("county_a_staff"))

    def grow_to(n):
        county = Organization.objects.get(pk=world.county_a.pk)
        for i in range(Organization.objects.get_children_count(county), n):
            organization_create(parent=county, name=f"学校{i}", kind="school_committee")

    assert_flat_queries(c, reverse("organizations:children", args=[world.county_a.pk]), grow_to=grow_to, budget=6)


def test_search_keeps_its_query_budget(world, login):
    c = login(world.user("city_staff"))

    def grow_to(n):
        for i in range(Organization.objects.filter(name__startswith="搜索").count(), n):
            city = Organization.objects.get(pk=world.city.pk)
            organization_create(parent=city, name=f"搜索学校{i}", kind="school_committee")

    assert_flat_queries(c, reverse("organizations:tree") + "?q=搜索", grow_to=grow_to, budget=NAV + 5)


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_refuses_logins_in_production(settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from organizations.models import Member

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    orgs, members = Organization.objects.count(), Member.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert (Organization.objects.count(), Member.objects.count()) == (orgs, members)
    assert orgs > 500
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
