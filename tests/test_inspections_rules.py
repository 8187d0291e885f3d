"""年中巡查: who may record an inspection, its items to fix and their closing; crafted requests write nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections import reminders
from inspections.enums import CheckArea
from inspections.models import FixItem, FollowUp, Inspection, YearReview
from inspections.services import fix_item_add, fix_item_close, follow_up_add, inspection_record, year_review_save
from tests.inspections_fixtures import build_inspections

TODAY = datetime.date.today()


def _record(w, by, committee, unit, **extra):
    fields = dict(inspected_on=TODAY, inspectors="巡查组", checked=[CheckArea.COVERAGE], findings="发现")
    fields.update(extra)
    return inspection_record(committee=committee, organization=unit, by=by, **fields)


def test_it_records_an_inspection_of_a_unit_in_the_subtree(world):
    i = _record(world, world.user("county_a_staff"), world.county_a, world.school_a)
    assert i.year == TODAY.year and i.checked == ["coverage"]


def test_it_refuses_a_unit_outside_the_committees_subtree(world):
    with pytest.raises(ValidationError):
        _record(world, world.user("county_a_staff"), world.county_a, world.school_b)
    with pytest.raises(ValidationError):
        _record(world, world.user("county_a_staff"), world.county_a, world.county_a)
    assert not Inspection.objects.exists()


def test_it_refuses_a_secretary_or_staff_of_another_committee(world):
    with pytest.raises(PermissionDenied):
        _record(world, world.user("school_a_secretary"), world.school_a, world.branch_a)
    with pytest.raises(PermissionDenied):
        _record(world, world.user("county_b_staff"), world.county_a, world.school_a)
    assert not Inspection.objects.exists()


def test_it_requires_what_was_checked_and_a_date_not_in_the_future(world):
    staff = world.user("county_a_staff")
    with pytest.raises(ValidationError) as e:
        _record(world, staff, world.county_a, world.school_a, checked=["nonsense"])
    assert "checked" in e.value.error_dict
    with pytest.raises(ValidationError):
        _record(world, staff, world.county_a, world.school_a, inspected_on=TODAY + datetime.timedelta(days=1))
    assert not Inspection.objects.exists()


def test_only_the_committee_closes_an_item_and_the_unit_reports_progress(world):
    b = build_inspections(world)
    item = b["item"]
    with pytest.raises(PermissionDenied):
        fix_item_close(item=item, by=world.user("school_b_secretary"), closing_note="自己销号")
    follow_up_add(item=item, by=world.user("school_b_secretary"), happened_on=TODAY, note="已补公开")
    with pytest.raises(PermissionDenied):
        follow_up_add(item=item, by=world.user("school_a_secretary"), happened_on=TODAY, note="x")
    with pytest.raises(ValidationError):
        fix_item_close(item=item, by=world.user("county_b_staff"), closing_note="  ")
    fix_item_close(item=item, by=world.user("county_b_staff"), closing_note="已核实公开栏")
    item.refresh_from_db()
    assert item.closed_on == TODAY and item.closing_note == "已核实公开栏"
    with pytest.raises(ValidationError):
        follow_up_add(item=item, by=world.user("school_b_secretary"), happened_on=TODAY, note="再写")
    assert FollowUp.objects.count() == 1


def test_it_refuses_a_deadline_before_the_inspection(world):
    i = build_inspections(world)["inspection"]
    with pytest.raises(ValidationError):
        fix_item_add(inspection=i, by=world.user("county_b_staff"), content="x", responsible="y",
                     due_on=i.inspected_on - datetime.timedelta(days=1))  # fmt: skip
    assert FixItem.objects.count() == 1


def test_crafted_posts_outside_the_subtree_write_nothing(world, login):
    b = build_inspections(world)
    client = login(world.user("county_a_staff"))
    data = {"organization": world.school_b.pk, "inspected_on": TODAY.isoformat(), "inspectors": "x",
            "checked": ["posts"], "findings": "x"}  # fmt: skip
    r = client.post(reverse("inspections:create", args=[world.county_a.pk]), data)
    assert r.status_code == 400  # 乙校 is not a unit of 甲县: the chooser refuses it
    r = client.post(reverse("inspections:item_close", args=[b["item"].pk]), {"closing_note": "x"})
    assert r.status_code == 404
    client = login(world.user("school_b_secretary"))
    r = client.post(reverse("inspections:item_close", args=[b["item"].pk]), {"closing_note": "x"})
    assert r.status_code == 403
    r = client.post(reverse("inspections:review_save", args=[world.school_b.pk]), {"text": "x"})
    assert r.status_code == 403
    assert Inspection.objects.count() == 1 and not FixItem.objects.filter(closed_on__isnull=False).exists()
    assert not YearReview.objects.exists()


def test_the_year_page_shows_the_closure_rate_and_the_review(world, login):
    b = build_inspections(world)
    fix_item_add(inspection=b["inspection"], by=world.user("county_b_staff"), content="乙校第二项", responsible="乙",
                 due_on=TODAY + datetime.timedelta(days=5))  # fmt: skip
    fix_item_close(item=b["item"], by=world.user("county_b_staff"), closing_note="已核实")
    year_review_save(organization=world.county_b, year=TODAY.year, by=world.user("county_b_staff"), text="乙县讲评全文")
    client = login(world.user("county_b_staff"))
    url = reverse("inspections:year", args=[world.county_b.pk])
    page = client.get(url).content.decode()
    assert "50.0%" in page and "乙校党委" in page
    assert "乙县讲评全文" in client.get(url + "?tab=review").content.decode()


def test_open_items_are_on_the_unit_secretarys_home_page(world, login):
    build_inspections(world)
    page = login(world.user("school_b_secretary")).get(reverse("home")).content.decode()
    assert "乙校补公开承诺" in page
    page = login(world.user("school_a_secretary")).get(reverse("home")).content.decode()
    assert "乙校补公开承诺" not in page


def test_it_reminds_the_unit_before_the_deadline_and_the_committee_after_it(world):
    item = build_inspections(world)["item"]
    before = list(reminders._fix_items(item.due_on - datetime.timedelta(days=3)))
    assert [r.organization_id for r in before] == [world.school_b.pk]
    after = list(reminders._fix_items(item.due_on + datetime.timedelta(days=1)))
    assert {r.organization_id for r in after} == {world.school_b.pk, world.county_b.pk}
    fix_item_close(item=item, by=world.user("county_b_staff"), closing_note="已核实")
    assert not list(reminders._fix_items(item.due_on + datetime.timedelta(days=1)))


def test_the_year_page_keeps_its_query_count_flat(world, login):
    from tests.budget import assert_flat_queries

    staff = world.user("county_b_staff")
    client = login(staff)

    def grow_to(n):
        for _ in range(Inspection.objects.count(), n):
            i = _record(world, staff, world.county_b, world.school_b)
            fix_item_add(inspection=i, by=staff, content="整改", responsible="甲", due_on=TODAY)

    url = reverse("inspections:year", args=[world.county_b.pk])
    assert_flat_queries(client, url, grow_to=grow_to, budget=12)


def test_a_follow_up_without_text_is_answered_next_to_the_field(world, login):
    item = build_inspections(world)["item"]
    r = login(world.user("school_b_secretary")).post(
        reverse("inspections:follow_up", args=[item.pk]), {"happened_on": TODAY.isoformat(), "note": ""}
    )
    assert r.status_code == 400 and "这个字段是必填项" in r.content.decode()
    assert not FollowUp.objects.exists()


def test_a_review_saved_by_someone_else_meanwhile_is_not_overwritten(world, login):
    by = world.user("county_b_staff")
    year_review_save(organization=world.county_b, year=TODAY.year, by=by, text="第一稿")
    client = login(by)
    url = reverse("inspections:year", args=[world.county_b.pk]) + f"?year={TODAY.year}&tab=review"
    page = client.get(url).content.decode()
    opened = page.split('name="fingerprint" value="')[1].split('"')[0]
    year_review_save(organization=world.county_b, year=TODAY.year, by=by, text="同事改过的第二稿")
    save = reverse("inspections:review_save", args=[world.county_b.pk]) + f"?year={TODAY.year}"
    r = client.post(save, {"text": "我的修改", "fingerprint": opened})
    assert r.status_code == 400 and "同事改过的第二稿" in r.content.decode() and "我的修改" in r.content.decode()
    assert YearReview.objects.get(organization=world.county_b, year=TODAY.year).text == "同事改过的第二稿"
    again = r.content.decode().split('name="fingerprint" value="')[1].split('"')[0]
    assert client.post(save, {"text": "我的修改", "fingerprint": again}).status_code == 302
    assert YearReview.objects.get(organization=world.county_b, year=TODAY.year).text == "我的修改"


def test_the_first_review_of_a_year_needs_no_fingerprint(world, login):
    client = login(world.user("county_b_staff"))
    save = reverse("inspections:review_save", args=[world.county_b.pk]) + f"?year={TODAY.year}"
    assert client.post(save, {"text": "首次讲评"}).status_code == 302
    assert YearReview.objects.get(organization=world.county_b, year=TODAY.year).text == "首次讲评"
