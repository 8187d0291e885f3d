import pytest
from django.urls import reverse

from guide.content import GUIDES


def test_it_is_reachable_from_the_navigation(world, login):
    body = login(world.user("branch_a_secretary")).get(reverse("home")).content.decode()
    assert reverse("guide:index") in body and "使用说明" in body


def test_it_marks_the_readers_own_guide(world, login):
    r = login(world.user("branch_a_secretary")).get(reverse("guide:index"))
    assert r.context["mine"].slug == "branch"
    body = r.content.decode()
    badge = body.index('badge text-bg-danger">您的身份')
    assert body.rfind("支部书记", 0, badge) > body.rfind("学校党组织书记", 0, badge)


@pytest.mark.parametrize(
    "role,slug",
    [
        ("city_staff", "city"),
        ("county_a_staff", "unit"),
        ("unit_staff", "unit"),
        ("school_a_secretary", "school"),
        ("branch_a_secretary", "branch"),
        ("member_a", "member"),
    ],
)
def test_every_step_links_into_the_readers_own_organization(world, login, role, slug):
    r = login(world.user(role)).get(reverse("guide:role", args=[slug]))
    assert r.status_code == 200
    body = r.content.decode()
    for phase in ("年初布置", "年中巡查", "年终讲评"):
        assert phase in body
    # each linked page opens for this reader (no 404, no 403)
    links = [row["url"] for _, rows in r.context["phases"] for row in rows if row["url"]]
    assert links, "the guide links into the app"
    client = login(world.user(role))
    for url in links:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "role", ["city_staff", "county_a_staff", "unit_staff", "school_a_secretary", "branch_a_secretary", "member_a"]
)
def test_every_link_of_every_guide_opens_for_any_reader(world, login, role):
    client = login(world.user(role))
    for guide in GUIDES:
        r = client.get(reverse("guide:role", args=[guide.slug]))
        assert r.status_code == 200
        for _, rows in r.context["phases"]:
            for row in rows:
                if row["url"]:
                    assert client.get(row["url"]).status_code == 200, (guide.slug, row["url"])


def test_it_covers_every_kind_of_user():
    assert {g.slug for g in GUIDES} == {"city", "unit", "school", "branch", "member"}


def test_an_unknown_guide_is_404(world, login):
    assert login(world.user("city_staff")).get("/guide/nobody/").status_code == 404
