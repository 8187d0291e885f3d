"""Organization choosers are search boxes: the form page never lists the subtree, the search stays in the subtree,
and an id from elsewhere is refused."""

import re

from django.urls import reverse

from organizations.models import ContactPoint, DemonstrationUnit, Leader
from organizations.services import leader_create, organization_create
from tests.budget import assert_flat_queries, count_queries

NAV = 5


def _grow(parent, prefix):
    def grow_to(n):
        have = type(parent).objects.get_children(parent).count()
        parent.refresh_from_db()
        for i in range(have, n):
            organization_create(parent=parent, name=f"{prefix}{i}支部", kind="branch", school_name="乙校")
            parent.refresh_from_db()

    return grow_to


def test_the_designation_form_does_not_grow_with_the_subtree(world, login):
    c = login(world.user("county_b_staff"))
    url = reverse("organizations:demonstration_create", args=[world.county_b.pk])
    grow = _grow(world.school_b, "乙校第")
    grow(10)
    small = c.get(url).content.decode()
    assert_flat_queries(c, url, grow_to=grow, budget=NAV + 6)
    large = c.get(url).content.decode()
    assert large.count("<option") == small.count("<option")
    assert "乙校第150支部" not in large
    assert abs(len(large) - len(small)) < 200
    assert 'hx-get="' + reverse("organizations:organization_search", args=[world.county_b.pk]) in large


def test_the_search_finds_only_the_users_subtree(world, login):
    c = login(world.user("county_b_staff"))
    url = reverse("organizations:organization_search", args=[world.county_b.pk])
    body = c.get(url, {"organization_q": "乙校第一支部", "scope": "grassroots"}).content.decode()
    assert f'value="{world.branch_b.pk}"' in body and "乙校第一支部" in body
    body = c.get(url, {"organization_q": "甲校第一支部", "scope": "grassroots"}).content.decode()
    assert f'value="{world.branch_a.pk}"' not in body and "没有找到匹配的单位" in body
    body = c.get(url, {"organization_q": "yxdyzb", "scope": "grassroots"}).content.decode()  # initials
    assert f'value="{world.branch_b.pk}"' in body
    # another county's search endpoint is not reachable at all
    assert c.get(reverse("organizations:organization_search", args=[world.county_a.pk]),
                 {"organization_q": "甲"}).status_code == 404


def test_the_search_lists_at_most_twenty(world, login):
    _grow(world.school_b, "乙校第")(40)
    c = login(world.user("county_b_staff"))
    url = reverse("organizations:organization_search", args=[world.county_b.pk])
    n, _ = count_queries(c, url + "?organization_q=乙校&scope=grassroots")
    body = c.get(url, {"organization_q": "乙校", "scope": "grassroots"}).content.decode()
    assert len(re.findall(r'type="radio"', body)) == 20


def test_a_crafted_sibling_id_is_refused_with_nothing_written(world, login):
    c = login(world.user("county_b_staff"))
    url = reverse("organizations:demonstration_create", args=[world.county_b.pk])
    r = c.post(url, {"organization": world.branch_a.pk, "kind": "comprehensive", "year": 2026, "notes": ""})
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()
    assert not DemonstrationUnit.objects.exists()
    r = c.post(url, {"organization": world.branch_b.pk, "kind": "comprehensive", "year": 2026, "notes": ""})
    assert r.status_code == 302 and DemonstrationUnit.objects.get().organization == world.branch_b
    # the edit form shows the chosen unit, and only it
    demo = DemonstrationUnit.objects.get()
    body = c.get(reverse("organizations:demonstration_edit", args=[demo.pk])).content.decode()
    assert f'value="{world.branch_b.pk}" checked' in body and "乙校第一支部" in body


def test_a_contact_point_outside_the_committee_is_refused(world, login):
    leader = leader_create(organization=world.county_b, name="乙委员", title="委员")
    c = login(world.user("county_b_staff"))
    url = reverse("organizations:leader_detail", args=[leader.pk])
    r = c.post(url, {"organization": world.school_a.pk, "since": "2026-03-01", "note": ""})
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()
    assert not ContactPoint.objects.exists()
    body = c.get(url).content.decode()
    assert "甲校党委" not in body and "<option" not in body.split("联系单位")[-1].split("</form>")[0]
    assert Leader.objects.count() == 1


def test_children_are_listed_fifty_a_page_with_a_next_link(world, login):
    c = login(world.user("county_b_staff"))
    grow = _grow(world.school_b, "乙校第")
    for name in ("detail", "children"):
        url = reverse(f"organizations:{name}", args=[world.school_b.pk])
        assert_flat_queries(c, url, grow_to=grow, budget=NAV + 12)
        body = c.get(url).content.decode()
        assert body.count('class="toggle') == 50
        assert "?page=2" in body and "共 200 个下级" in body
    more = c.get(reverse("organizations:children", args=[world.school_b.pk]), {"page": 4}).content.decode()
    assert more.count('class="toggle') == 50 and "<ul>" not in more and "?page=5" not in more
    page2 = c.get(reverse("organizations:detail", args=[world.school_b.pk]), {"page": 2}).content.decode()
    assert "上一页" in page2 and "第 2 / 4 页" in page2


def test_the_coverage_table_of_units_is_paginated(world, login):
    c = login(world.user("county_b_staff"))
    grow = _grow(world.school_b, "乙校第")
    url = reverse("organizations:coverage", args=[world.school_b.pk])
    assert_flat_queries(c, url, grow_to=grow, budget=NAV + 12)
    body = c.get(url).content.decode()
    table = body.split("各单位推广面")[1].split("尚未推行的基层党组织")[0]
    assert table.count("<tr>") == 51 and "units=2" in table  # header and 50 units
    last = c.get(url, {"units": 4}).content.decode().split("各单位推广面")[1].split("尚未推行的基层党组织")[0]
    assert "乙校第199支部" in last and "units=3" in last


def test_without_javascript_a_submitted_search_lists_the_matches_to_pick(world, login):
    c = login(world.user("county_b_staff"))
    url = reverse("organizations:demonstration_create", args=[world.county_b.pk])
    data = {"organization_q": "第一支部", "kind": "comprehensive", "year": 2026, "notes": ""}
    body = c.post(url, data).content.decode()
    assert f'value="{world.branch_b.pk}"' in body and f'value="{world.branch_a.pk}"' not in body
    assert 'value="第一支部"' in body and not DemonstrationUnit.objects.exists()
    assert c.post(url, {**data, "organization": world.branch_b.pk}).status_code == 302
