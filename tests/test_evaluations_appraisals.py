"""民主评议党员 recorded for all members in one form: 全部设为合格, the done count, one save, errors in place."""

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.enums import PeriodKind
from evaluations.models import DemocraticAppraisal
from organizations.models import Member
from tests.budget import assert_flat_queries
from tests.evaluations_fixtures import add_members, evaluation_today, window_around_today  # noqa: F401
from tests.world import make_member

pytestmark = pytest.mark.django_db

SEC = "branch_a_secretary"


@pytest.fixture
def in_window(world):
    window_around_today(world.branch_a, kind=PeriodKind.YEAR)


def _url(world, name="appraisals"):
    return reverse(f"evaluations:{name}", args=[world.branch_a.pk, 2026])


def _form(members, **rows):
    data = {"member": [str(m.pk) for m in members]}
    for m in members:
        data[f"conclusion_{m.pk}"], data[f"notes_{m.pk}"] = rows.get(str(m.pk), ("", ""))
        existing = DemocraticAppraisal.objects.filter(member=m, year=2026).first()
        data[f"fp_{m.pk}"] = services.appraisal_fingerprint(existing)
    return data


def _conclusions():
    return dict(DemocraticAppraisal.objects.values_list("member__name", "conclusion"))


def test_it_records_every_row_in_one_save_and_counts_them(world, login, in_window):
    members = [world.member_a, *add_members(world.branch_a, 3)]
    client = login(world.user(SEC))
    page = client.get(_url(world, "year_end")).content.decode()
    assert "已记录 <span data-done>0</span> / 4" in page and page.count("<select") == 4
    data = _form(members, **{str(members[0].pk): ("excellent", "带头示范"), str(members[1].pk): ("basic", "")})
    assert client.post(_url(world), data).status_code == 302
    assert _conclusions() == {"甲成员": "excellent", "成员0": "basic"}
    assert DemocraticAppraisal.objects.get(member=members[0]).notes == "带头示范"
    page = client.get(_url(world, "year_end")).content.decode()
    assert "已记录 <span data-done>2</span> / 4" in page


def test_set_all_fills_only_the_members_without_a_conclusion(world, login, in_window):
    members = [world.member_a, *add_members(world.branch_a, 3)]
    client = login(world.user(SEC))
    client.post(_url(world), _form(members, **{str(world.member_a.pk): ("unqualified", "长期不参加组织生活")}))
    data = _form(members, **{str(world.member_a.pk): ("unqualified", "长期不参加组织生活")})
    data["action"] = "fill"
    assert client.post(_url(world), data).status_code == 302
    assert _conclusions() == {"甲成员": "unqualified", "成员0": "qualified", "成员1": "qualified", "成员2": "qualified"}
    page = client.get(_url(world, "year_end")).content.decode()
    assert "已记录 <span data-done>4</span> / 4" in page
    assert 'data-fill-all="qualified"' in page and "未评的全部设为合格" in page


def test_an_invalid_row_is_shown_in_place_and_nothing_is_written(world, login, in_window):
    members = [world.member_a, *add_members(world.branch_a, 2)]
    client = login(world.user(SEC))
    data = _form(members, **{str(members[0].pk): ("excellent", ""), str(members[1].pk): ("perfect", "")})
    r = client.post(_url(world), data)
    assert r.status_code == 400
    body = r.content.decode()
    row = body[body.index(f'data-member="{members[1].pk}"'):]
    assert "table-danger" in body and "请选择评议结论" in row[: row.index("</tr>")]
    assert not DemocraticAppraisal.objects.exists()
    # the user's choice for the valid row is still on the page
    assert 'value="excellent" selected' in body


def test_a_stale_row_is_refused_and_nothing_is_written(world, login, in_window):
    members = [world.member_a, *add_members(world.branch_a, 1)]
    client = login(world.user(SEC))
    opened = _form(members, **{str(members[0].pk): ("qualified", ""), str(members[1].pk): ("excellent", "")})
    services.appraisal_record(organization=world.branch_a, member=members[0], year=2026, conclusion="basic",
                              notes="他人先记录", by=world.user("school_a_secretary"))  # fmt: skip
    r = client.post(_url(world), opened)
    assert r.status_code == 400 and "此记录已被他人修改" in r.content.decode()
    assert _conclusions() == {"甲成员": "basic"}


def test_nobody_records_their_own_conclusion(world, login, in_window):
    sec = world.user(SEC)
    own = make_member(world.branch_a, "支部书记本人", phone="13900000077", user=sec)
    client = login(sec)
    page = client.get(_url(world, "year_end")).content.decode()
    assert "不能记录本人的民主评议结论" in page and f'name="conclusion_{own.pk}"' not in page
    r = client.post(_url(world), _form([own], **{str(own.pk): ("excellent", "")}))
    assert r.status_code == 400 and not DemocraticAppraisal.objects.exists()
    # 全部设为合格 passes over the secretary: the others are filled
    data = _form([own, world.member_a])
    data["action"] = "fill"
    assert login(sec).post(_url(world), data).status_code == 302
    assert _conclusions() == {"甲成员": "qualified"}
    # the school's secretary, above the branch, records it
    school = login(world.user("school_a_secretary"))
    url = reverse("evaluations:appraisals", args=[world.school_a.pk, 2026])
    assert school.post(url, _form([own], **{str(own.pk): ("excellent", "")})).status_code == 302
    assert _conclusions()["支部书记本人"] == "excellent"


def test_it_refuses_outside_the_year_end_window(world, login):
    client = login(world.user(SEC))
    page = client.get(_url(world, "year_end")).content.decode()
    assert "data-window-refusal" in page and "不能记录民主评议结论" in page and "<select" not in page
    r = client.post(_url(world), _form([world.member_a], **{str(world.member_a.pk): ("excellent", "")}))
    assert r.status_code == 400 and not DemocraticAppraisal.objects.exists()


def test_it_refuses_a_member_of_another_subtree(world, login, in_window):
    client = login(world.user(SEC))
    crafted = _form([world.member_a, world.member_b], **{str(world.member_a.pk): ("excellent", ""),
                                                        str(world.member_b.pk): ("unqualified", "")})  # fmt: skip
    assert client.post(_url(world), crafted).status_code == 404
    assert not DemocraticAppraisal.objects.exists()
    # the service refuses it too, whatever the view lets through
    row = services.AppraisalRow(member=Member.objects.get(pk=world.member_b.pk), conclusion="unqualified")
    with pytest.raises(Member.DoesNotExist):
        services.appraisals_record(organization=world.branch_a, year=2026, rows=[row], by=world.user(SEC))
    assert not DemocraticAppraisal.objects.exists()


def test_the_page_keeps_its_query_count_flat(world, login, in_window):
    client = login(world.user(SEC))

    def grow_to(n):
        have = Member.objects.filter(organization=world.branch_a).count()
        made = add_members(world.branch_a, n - have, prefix=f"批{n}-")
        DemocraticAppraisal.objects.bulk_create(
            DemocraticAppraisal(organization=world.branch_a, member=m, year=2026, conclusion="qualified",
                                by=world.user(SEC))
            for m in made[::2]
        )  # fmt: skip

    n = assert_flat_queries(client, _url(world, "year_end"), grow_to=grow_to, budget=16)
    print("year_end queries:", n)
