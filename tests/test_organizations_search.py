"""Searching organizations and members: any part of the name, its short form (安海一中 = 安海第一中学, 实小, 职专),
full pinyin anywhere and pinyin initials anywhere; whole matches first, then prefixes, then the rest; never anything
outside the user's subtree; a flat number of queries, and the member list pages without counting the subtree."""

from __future__ import annotations

import importlib
import random
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from machinery.search import query_terms, search_key
from organizations import demo, services
from organizations.enums import OrgKind
from organizations.models import Member, Organization
from organizations.services import organization_create
from tests.budget import assert_flat_queries
from tests.world import make_member

pytestmark = pytest.mark.django_db

NAV = 5  # the navigation bar's queries (see test_organizations_pages)


def found(client, text: str) -> list[str]:
    """The organizations the tree search lists for `text`, in the order shown."""
    body = client.get(reverse("organizations:tree"), {"q": text}).content.decode()
    return re.findall(r'list-group-item-action" href="/[^"]*">([^<]+?) <span', body)


def members_found(client, org, text: str, **params) -> list[str]:
    body = client.get(reverse("organizations:members", args=[org.pk]), {"q": text, **params}).content.decode()
    return re.findall(r'<tr><td><a href="[^"]*">([^<]+)</a>', body)


@pytest.fixture
def schools(world):
    """Schools of county A with the long names a city really uses (created in the opposite of the ranking order)."""
    names = ["晋江市安海第一中学党委", "晋江市实验小学党总支", "晋江市英林职业中专学校党总支", "晋江市进修学校党支部",
             "安海第一中学", "安海"]
    made = {n: organization_create(parent=world.county_a, name=n, kind=OrgKind.SCHOOL_COMMITTEE) for n in names}
    made["乙县安海第二中学党委"] = organization_create(parent=world.county_b, name="乙县安海第二中学党委",
                                                    kind=OrgKind.SCHOOL_COMMITTEE)
    return made


@pytest.mark.parametrize(
    "text, expected",
    [
        ("安海一中", "晋江市安海第一中学党委"),
        ("安海第一中学", "晋江市安海第一中学党委"),
        ("安海1中", "晋江市安海第一中学党委"),
        ("anhai", "晋江市安海第一中学党委"),
        ("ahyz", "晋江市安海第一中学党委"),
        ("ahdyz", "晋江市安海第一中学党委"),
        ("AHYZ", "晋江市安海第一中学党委"),
        ("一中", "晋江市安海第一中学党委"),
        ("实小", "晋江市实验小学党总支"),
        ("sx", "晋江市实验小学党总支"),
        ("职专", "晋江市英林职业中专学校党总支"),
        ("进修校", "晋江市进修学校党支部"),
        ("晋江 实小", "晋江市实验小学党总支"),
    ],
)
def test_it_finds_a_school_by_its_short_form_pinyin_or_initials(world, login, schools, text, expected):
    assert expected in found(login(world.user("county_a_staff")), text)


def test_it_does_not_find_what_the_name_does_not_hold(world, login, schools):
    c = login(world.user("county_a_staff"))
    assert found(c, "实小") == ["晋江市实验小学党总支"]
    assert found(c, "二中") == []  # 乙县安海第二中学 lies outside county A
    assert found(c, "晋江 职专 实小") == []  # every term must match
    assert c.get(reverse("organizations:tree"), {"q": "|"}).status_code == 200
    assert c.get(reverse("organizations:members", args=[world.county_a.pk]), {"q": "%_|"}).status_code == 200


def test_a_name_typed_in_full_finds_the_school_stored_by_its_short_form(world, login):
    organization_create(parent=world.county_a, name="石狮一中党委", kind=OrgKind.SCHOOL_COMMITTEE)
    assert found(login(world.user("county_a_staff")), "石狮第一中学") == ["石狮一中党委"]


def test_whole_matches_come_first_then_prefixes_then_the_rest(world, login, schools):
    c = login(world.user("county_a_staff"))
    order = ["安海", "安海第一中学", "晋江市安海第一中学党委"]
    assert found(c, "安海") == order
    assert found(c, "anhai") == order
    assert found(c, "ah")[:2] == ["安海", "安海第一中学"]


def test_it_never_finds_organizations_outside_the_users_subtree(world, login, schools):
    assert found(login(world.user("county_b_staff")), "安海") == ["乙县安海第二中学党委"]
    assert found(login(world.user("school_a_secretary")), "安海") == []
    assert "乙县安海第二中学党委" in found(login(world.user("city_staff")), "ahez")


def test_members_are_found_by_name_pinyin_and_initials_ranked(world, login):
    for name in ["李张晓东", "张晓东旭", "张晓东"]:
        make_member(world.branch_a, name, phone="13800000001")
    make_member(world.branch_b, "张晓东", phone="13800000002")
    c = login(world.user("school_a_secretary"))
    assert members_found(c, world.school_a, "zxd") == ["张晓东", "张晓东旭", "李张晓东"]
    assert members_found(c, world.school_a, "zhangxiaodong") == ["张晓东", "张晓东旭", "李张晓东"]
    assert members_found(c, world.school_a, "xiaodong") == ["张晓东", "张晓东旭", "李张晓东"]  # pinyin anywhere
    assert members_found(c, world.school_a, "晓东") == ["张晓东", "张晓东旭", "李张晓东"]
    assert members_found(c, world.school_a, "xdx") == ["张晓东旭"]
    # one or two characters: of the name or initials anywhere, of full pinyin at a syllable's start
    assert members_found(c, world.school_a, "xd") == ["张晓东", "张晓东旭", "李张晓东"]  # all “rest”: by name
    assert members_found(c, world.school_a, "do") == ["张晓东", "张晓东旭", "李张晓东"]  # all “rest”: by name
    assert members_found(c, world.school_a, "东") == ["张晓东", "张晓东旭", "李张晓东"]  # all “rest”: by name
    # the sibling school's 张晓东 is never listed, and its list is not there at all
    assert c.get(reverse("organizations:members", args=[world.school_b.pk]), {"q": "zxd"}).status_code == 404
    assert members_found(login(world.user("city_staff")), world.city, "zxd").count("张晓东") == 2


def test_a_renamed_member_is_found_by_the_new_name_only(world, login):
    member = make_member(world.branch_a, "张三", phone="13800000003")
    services.member_update(member=member, name="王五")
    c = login(world.user("branch_a_secretary"))
    assert members_found(c, world.branch_a, "ww") == ["王五"]
    assert members_found(c, world.branch_a, "zs") == []


def test_the_member_list_pages_on_without_counting_the_subtree(world, login):
    for i in range(35):
        make_member(world.branch_a, f"安海{i:02d}", phone="13800000004")
    c = login(world.user("city_staff"))
    url = reverse("organizations:members", args=[world.city.pk])
    with CaptureQueriesContext(connection) as ctx:
        first = c.get(url, {"q": "anhai"}).content.decode()
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "organizations_member" in q["sql"]]
    assert len(re.findall(r"<tr><td><a ", first)) == 30 and "下一页" in first and "第 1 页" in first
    second = c.get(url, {"q": "anhai", "page": 2}).content.decode()
    assert len(re.findall(r"<tr><td><a ", second)) == 5 and "上一页" in second and "下一页" not in second
    assert members_found(c, world.city, "anhai", page="x")[:1] == ["安海00"]


def test_searches_keep_a_flat_query_count(world, login):
    c = login(world.user("city_staff"))

    def grow_members(n):
        for i in range(Member.objects.filter(name__startswith="张晓").count(), n):
            make_member(world.branch_a, f"张晓{i}", phone="13800000005")

    assert_flat_queries(c, reverse("organizations:members", args=[world.city.pk]) + "?q=zx", grow_to=grow_members,
                        budget=NAV + 6)

    def grow_orgs(n):
        for i in range(Organization.objects.filter(name__startswith="安海").count(), n):
            organization_create(parent=world.county_a, name=f"安海{i}号党支部", kind=OrgKind.BRANCH)

    assert_flat_queries(c, reverse("organizations:tree") + "?q=ah", grow_to=grow_orgs, budget=NAV + 3)


def test_the_roster_import_demo_and_scale_data_carry_search_keys(world):
    from tests.organizations_fixtures import check, good_row

    services.roster_import_apply(record=check(world, [good_row("R1", "欧阳安海")]))
    assert Member.objects.get(staff_no="R1").search_key == search_key("欧阳安海")
    builder = demo.Builder(StringIO(), random.Random(1))
    assert demo.build_members(builder, per_branch=(2, 2)) > 0
    from django.core.management import call_command

    call_command("generate_scale", orgs=30, members=60, json=True, stdout=StringIO())
    assert not Member.objects.filter(search_key="").exists()
    assert not Organization.objects.filter(search_key="").exists()
    some = Member.objects.order_by("-pk").first()
    assert some.search_key == search_key(some.name)


def test_the_migration_fills_the_keys_of_existing_rows(world):
    Member.objects.update(search_key="")
    Organization.objects.update(search_key="")
    migration = importlib.import_module("organizations.migrations.0006_search_key_fill")
    migration.fill(django_apps, SimpleNamespace(connection=connection))
    assert Organization.objects.get(pk=world.school_a.pk).search_key == search_key("甲校党委")
    assert Member.objects.get(pk=world.member_a.pk).search_key == search_key("甲成员")


def test_the_key_holds_name_short_form_pinyin_and_initials():
    key = search_key("安海第一中学")
    assert key.startswith(" 安海第一中学 anhaidiyizhongxue ahdyzx 安海一中 anhaiyizhong ahyz |")
    # what serves terms shorter than a trigram: two characters from every character, initial and syllable
    assert {"|一中", "|中学", "|yz", "|zh", "|ha"} <= set(key.split())
    assert "|nh" not in key.split()  # full pinyin in the middle of a syllable: only from 3 letters on
    assert query_terms("安海第一中学  ahyz") == [("安海第一中学", "安海一中"), ("ahyz",)]
    assert query_terms("|a") == [("a",)] and query_terms("  ") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_on_postgresql_the_trigram_indexes_serve_the_search(world, schools):
    from organizations import selectors
    from organizations.models import fill_search_keys

    rows = [Member(organization=world.branch_a, name=f"{s}{g}", gender="male") for s in "王陈林黄张李吴刘蔡郑"
            for g in "志明 丽华 建国 秀英 文杰 雅琴 振华 惠玲 国强 美玲".split() for _ in range(20)]  # 2,000
    for row in rows:
        fill_search_keys(row)
    Member.objects.bulk_create(rows)
    make_member(world.branch_a, "安海英", phone="13800000007")
    county = world.county_a
    orgs = [Organization(name=f"{town}第{n}小学", kind=OrgKind.BRANCH, depth=county.depth + 1,
                         path=Organization._get_path(county.path, county.depth + 1, 100 + i))
            for i, (town, n) in enumerate((t, n) for t in "城关 城东 城西 东湖 江南 海滨 山腰 洪濑".split()
                                          for n in "一二三四五六七八九十" for _ in range(20))]  # 1,600
    for org in orgs:
        fill_search_keys(org)
    Organization.objects.bulk_create(orgs)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%search_trgm'")
        indexes = dict(cursor.fetchall())
        for name in indexes:  # what VACUUM does to an index that rows were just written to
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert set(indexes) == {"organizations_org_search_trgm", "organizations_member_search_trgm"}
    assert all("gin_trgm_ops" in definition for definition in indexes.values())
    staff = world.user("city_staff")
    for text in ("anhai", "ahy", "安海一中", "实小", "ah", "海"):
        members = selectors.members_of(staff, world.city, text)
        assert "organizations_member_search_trgm" in members.explain(), text
        orgs = selectors.search_organizations(staff, text)
        assert "organizations_org_search_trgm" in orgs.explain(), text
    assert [m.name for m in selectors.members_of(staff, world.city, "ahy")] == ["安海英"]
