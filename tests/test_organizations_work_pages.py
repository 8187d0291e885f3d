import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from organizations import services
from organizations.enums import DemoKind
from organizations.models import ContactPoint, DemonstrationUnit, Honour, HonourTitle, Leader, Member
from tests.budget import assert_flat_queries
from tests.organizations_fixtures import org_extras
from tests.world import make_member

pytestmark = pytest.mark.django_db
NAV = 5


def _fingerprint(page) -> str:
    """The hidden token the member form carries (what the record held when the form was opened)."""
    import re

    return re.search(r'name="fingerprint" value="([^"]*)"', page.content.decode()).group(1)


def test_a_secretary_records_an_honour_and_the_page_shows_the_highest(world, login):
    c = login(world.user("school_a_secretary"))
    url = reverse("organizations:honours", args=[world.school_a.pk])
    title = HonourTitle.objects.get(name="先进基层党组织")
    for level in ["county", "province"]:
        r = c.post(url, {"title": title.pk, "level": level, "year": 2022, "conferred_by": "某委"})
        assert r.status_code == 302
    body = c.get(reverse("organizations:detail", args=[world.school_a.pk])).content.decode()
    assert "省级先进基层党组织" in body
    r = c.post(url, {"title": title.pk, "level": "province", "year": 2022, "conferred_by": "某委"})
    assert "已登记同一年度" in r.content.decode() and Honour.objects.count() == 2


def test_only_committee_staff_add_honour_titles(world, login):
    url = reverse("organizations:honour_titles")
    assert login(world.user("school_a_secretary")).post(url, {"name": "新称号", "track": "school"}).status_code == 403
    assert login(world.user("county_a_staff")).post(url, {"name": "新称号", "track": "school"}).status_code == 302
    assert HonourTitle.objects.filter(name="新称号", is_builtin=False).exists()


def test_county_staff_designate_a_typical_unit_naming_its_aspect(world, login):
    c = login(world.user("county_a_staff"))
    url = reverse("organizations:demonstration_create", args=[world.county_a.pk])
    data = {"organization": world.school_a.pk, "kind": DemoKind.SINGLE, "year": 2026, "notes": ""}
    r = c.post(url, data)
    assert r.status_code == 200 and "只选一项" in r.content.decode()
    assert not DemonstrationUnit.objects.exists()
    r = c.post(url, {**data, "role": "counsellor"})
    assert r.status_code == 302
    demo = DemonstrationUnit.objects.get()
    assert demo.aspect == "单项典型：辅导员班主任"
    c.post(reverse("organizations:demonstration_detail", args=[demo.pk]),
           {"published_on": "2026-05-01", "channel": "bulletin", "title": "甲校经验"})
    list_body = login(world.user("city_staff")).get(
        reverse("organizations:demonstrations", args=[world.city.pk])).content.decode()
    assert "甲校党委" in list_body and "单项典型：辅导员班主任" in list_body
    school_view = login(world.user("school_a_secretary")).get(reverse("organizations:demonstration_detail",
                                                                     args=[demo.pk]))
    assert "甲校经验" in school_view.content.decode() and "登记宣传报道" not in school_view.content.decode()


def test_leaders_without_a_contact_point_are_listed_until_they_have_one(world, login):
    c = login(world.user("county_a_staff"))
    r = c.post(reverse("organizations:contacts", args=[world.county_a.pk]), {"name": "甲委员", "title": "委员"})
    leader = Leader.objects.get(name="甲委员")
    missing = reverse("organizations:contacts_missing", args=[world.county_a.pk])
    assert "甲委员" in c.get(missing).content.decode()
    r = c.post(reverse("organizations:leader_detail", args=[leader.pk]),
               {"organization": world.school_a.pk, "since": "2026-03-01", "note": ""})
    assert r.status_code == 302
    assert "甲委员" not in c.get(missing).content.decode()
    point = ContactPoint.objects.get(leader=leader)
    r = c.post(reverse("organizations:contact_point", args=[point.pk]),
               {"visited_on": "2026-04-02", "guidance": "指导制定目标", "problems_solved": "协调场地"})
    assert r.status_code == 302 and point.visits.count() == 1
    r = c.post(reverse("organizations:leader_detail", args=[leader.pk]),
               {"organization": world.school_b.pk, "since": "2026-03-01"})
    assert r.status_code == 200 and not ContactPoint.objects.filter(organization=world.school_b).exists()


def test_staff_correct_a_leader_and_record_that_they_left_office(world, login):
    c = login(world.user("county_a_staff"))
    c.post(reverse("organizations:contacts", args=[world.county_a.pk]), {"name": "甲委员", "title": "委员"})
    leader = Leader.objects.get(name="甲委员")
    edit = reverse("organizations:leader_edit", args=[leader.pk])
    missing = reverse("organizations:contacts_missing", args=[world.county_a.pk])
    assert edit in c.get(reverse("organizations:leader_detail", args=[leader.pk])).content.decode()

    r = c.post(edit, {"name": "甲副书记", "title": "", "is_active": "on", "fingerprint": _fingerprint(c.get(edit))})
    assert r.status_code == 200 and "必填" in r.content.decode()  # the title is required: nothing saved
    assert Leader.objects.get(pk=leader.pk).name == "甲委员"
    r = c.post(edit, {"name": "甲副书记", "title": "副书记", "is_active": "on",
                      "fingerprint": _fingerprint(c.get(edit))})
    assert r.status_code == 302
    assert "甲副书记" in c.get(missing).content.decode()

    r = c.post(edit, {"name": "甲副书记", "title": "副书记", "fingerprint": _fingerprint(c.get(edit))})
    assert r.status_code == 302
    leader.refresh_from_db()
    assert not leader.is_active and "甲副书记" not in c.get(missing).content.decode()
    assert "已离任" in c.get(reverse("organizations:leader_detail", args=[leader.pk])).content.decode()
    assert leader.history.count() == 3  # added, corrected, left office

    # another county's staff: the leader does not exist for them
    assert login(world.user("county_b_staff")).get(edit).status_code == 404


def test_two_staff_editing_one_leader_do_not_overwrite_each_other(world, login):
    c = login(world.user("county_a_staff"))
    c.post(reverse("organizations:contacts", args=[world.county_a.pk]), {"name": "甲委员", "title": "委员"})
    leader = Leader.objects.get(name="甲委员")
    edit = reverse("organizations:leader_edit", args=[leader.pk])
    first, second = _fingerprint(c.get(edit)), _fingerprint(c.get(edit))
    assert c.post(edit, {"name": "甲委员", "title": "副书记", "is_active": "on", "fingerprint": first}).status_code == 302
    r = c.post(edit, {"name": "甲委员", "title": "组织委员", "is_active": "on", "fingerprint": second})
    assert r.status_code == 200 and "此记录已被他人修改" in r.content.decode()
    leader.refresh_from_db()
    assert leader.title == "副书记"


def test_coverage_shows_the_gap_to_the_end_of_the_year_and_filters_by_county(world, login):
    services.organization_launch(organization=world.school_a, launched_on=datetime.date(2026, 3, 1))
    c = login(world.user("city_staff"))
    body = c.get(reverse("organizations:coverage", args=[world.city.pk])).content.decode()
    assert "20.0%" in body and "12月31日" in body
    body = c.get(reverse("organizations:coverage", args=[world.city.pk]) + f"?county={world.county_a.pk}").content
    body = body.decode()
    assert "50.0%" in body and "甲校第一支部" in body and "乙校第一支部" not in body


def _phone_shown(client, url, phone):
    return phone in client.get(url).content.decode()


def test_phone_numbers_show_only_to_the_member_and_the_branch_secretaries(world, login):
    detail = reverse("organizations:member_detail", args=[world.member_a.pk])
    listing = reverse("organizations:members", args=[world.school_a.pk])
    phone = "13900000001"
    assert _phone_shown(login(world.user("branch_a_secretary")), detail, phone)
    assert _phone_shown(login(world.user("school_a_secretary")), listing, phone)
    assert _phone_shown(login(world.user("member_a")), detail, phone)
    for role in ["county_a_staff", "city_staff"]:
        c = login(world.user(role))
        assert not _phone_shown(c, detail, phone) and not _phone_shown(c, listing, phone)
        edit = c.get(reverse("organizations:member_edit", args=[world.member_a.pk])).content.decode()
        assert phone not in edit and 'name="phone"' not in edit


def test_staff_edit_a_member_without_touching_the_phone(world, login):
    c = login(world.user("county_a_staff"))
    url = reverse("organizations:member_edit", args=[world.member_a.pk])
    r = c.post(url, {"name": "甲成员", "gender": "female", "political_status": "member", "role_group": "expert",
                     "staff_no": "", "is_active": "on", "fingerprint": _fingerprint(c.get(url))})
    assert r.status_code == 302
    m = Member.objects.get(pk=world.member_a.pk)
    assert m.role_group == "expert" and m.phone == "13900000001"


def test_member_search_by_pinyin_initials_and_filters(world, login):
    make_member(world.branch_a, "张三", phone="13811112222", political_status="masses", role_group="staff")
    c = login(world.user("school_a_secretary"))
    url = reverse("organizations:members", args=[world.school_a.pk])
    assert "张三" in c.get(url + "?q=zs").content.decode()
    body = c.get(url + "?status=masses").content.decode()
    assert "张三" in body and "甲成员" not in body


def test_a_secretary_invites_a_member_who_sets_a_password(world, login, client):
    member = make_member(world.branch_a, "李四", phone="13811113333")
    c = login(world.user("branch_a_secretary"))
    url = reverse("organizations:member_invite", args=[member.pk])
    assert c.post(url, {"username": "lisi"}).status_code == 302
    body = c.get(url).content.decode()
    link = re.search(r'value="(http[^"]+/org/invite/[^"]+)"', body).group(1)
    client.logout()
    r = client.get(link, follow=True)
    set_url = r.redirect_chain[-1][0]
    r = client.post(set_url, {"new_password1": "Quanzhou-168-ok", "new_password2": "Quanzhou-168-ok"})
    assert r.status_code == 302
    user = get_user_model().objects.get(username="lisi")
    assert user.check_password("Quanzhou-168-ok")
    assert user.role_assignments.get().organization == world.branch_a
    assert login(world.user("county_a_staff")).get(url).status_code == 403


def test_lists_keep_their_query_budgets(world, login):
    org_extras(world)
    c = login(world.user("city_staff"))
    title = HonourTitle.objects.first()

    def grow_demos(n):
        from organizations.services import organization_create

        for i in range(DemonstrationUnit.objects.count(), n):
            org = organization_create(parent=world.school_a, name=f"支部{i}", kind="branch")
            services.demonstration_create(designated_by=world.city, organization=org, kind="comprehensive", year=2026)
            Honour.objects.create(organization=org, title=title, level="city", year=2020, conferred_by="x")

    assert_flat_queries(c, reverse("organizations:demonstrations", args=[world.city.pk]) + "?page=1",
                        grow_to=grow_demos, budget=NAV + 6)
    assert_flat_queries(c, reverse("organizations:coverage", args=[world.city.pk]), grow_to=grow_demos,
                        budget=NAV + 9)

    def grow_leaders(n):
        for i in range(Leader.objects.count(), n):
            services.leader_create(organization=world.county_a, name=f"领导{i}", title="委员")

    assert_flat_queries(c, reverse("organizations:contacts", args=[world.city.pk]), grow_to=grow_leaders,
                        budget=NAV + 7)


def test_a_branch_secretary_adds_a_member_with_a_phone(world, login):
    c = login(world.user("branch_a_secretary"))
    url = reverse("organizations:member_create", args=[world.branch_a.pk])
    data = {"name": "王五", "gender": "male", "political_status": "probationary", "role_group": "party_member",
            "phone": "1380", "is_active": "on"}
    r = c.post(url, data)
    assert r.status_code == 200 and "请填写有效的电话号码" in r.content.decode() and 'value="王五"' in r.content.decode()
    r = c.post(url, {**data, "phone": "13800001111", "is_reserve_cadre": "on"})
    assert "请写明理由" in r.content.decode()
    r = c.post(url, {**data, "phone": "13800001111"})
    assert r.status_code == 302 and Member.objects.get(name="王五").phone == "13800001111"
    r = login(world.user("school_a_secretary")).post(
        reverse("organizations:member_create", args=[world.school_a.pk]), data
    )
    assert r.status_code == 200 and "党支部" in r.content.decode()


def test_typical_units_are_found_by_pinyin_initials(world, login):
    org_extras(world)
    services.demonstration_create(designated_by=world.city, organization=world.school_a, kind="comprehensive",
                                  year=2026)
    c = login(world.user("city_staff"))
    body = c.get(reverse("organizations:demonstrations", args=[world.city.pk]) + "?q=jx").content.decode()
    assert "甲校党委" in body and "乙校党委" not in body


def test_a_member_edits_only_their_own_contact_details(world, login):
    c = login(world.user("member_a"))
    url = reverse("organizations:member_edit", args=[world.member_a.pk])
    page = c.get(url).content.decode()
    assert 'name="phone"' in page and 'name="role_group"' not in page
    r = c.post(url, {"phone": "13911112222", "email": "a@example.cn", "office": "高一年段", "role_group": "expert",
                     "fingerprint": _fingerprint(c.get(url))})
    assert r.status_code == 302
    m = Member.objects.get(pk=world.member_a.pk)
    assert (m.phone, m.role_group) == ("13911112222", "party_member")
    other = make_member(world.branch_a, "同支部", phone="13800002222")
    assert c.get(reverse("organizations:member_edit", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_a_member_with_the_longest_name_is_saved_and_found(world, login):
    """A 50-character name reads as some 250 letters of pinyin: the search keys are cut to their columns."""
    member = services.member_create(organization=world.branch_a, name="庄" * 50, gender="male", phone="13700000050")
    member.refresh_from_db()
    assert member.name_initials == "z" * 50 and member.name_pinyin == "zhuang" * 33 + "zh"
    client = login(world.user("branch_a_secretary"))
    body = client.get(reverse("organizations:members", args=[world.branch_a.pk]) + "?q=zzz").content.decode()
    assert "庄庄庄" in body
