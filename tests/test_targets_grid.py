"""The Annex 1 table edited on one page: add, change, reorder, delete in one save; copy last year's rows."""

import datetime

import pytest
from django.urls import reverse

from targets import services
from targets.models import TargetItem
from tests.budget import assert_flat_queries
from tests.targets_fixtures import make_item, make_plan

pytestmark = pytest.mark.django_db

SEC = "school_a_secretary"


def _plan(world, **kw):
    return make_plan(world.school_a, world.user(SEC), **kw)


def _row(item=None, **fields):
    base = {
        "category": "party", "content": "新目标", "indicator": "≥1次", "measures": "", "role": "party_member",
        "office": "", "responsible": "王老师", "deadline": "2026-12-31",
    }  # fmt: skip
    if item is not None:
        base.update(
            {name: getattr(item, name) for name in services.ITEM_FIELDS}, item=item.pk, version=item.version
        )
        base["deadline"] = item.deadline.isoformat()
    base.update(fields)
    return base


def _post(rows, initial_count):
    data = {
        "rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": str(initial_count),
        "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "500",
    }  # fmt: skip
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "DELETE":
                if value:
                    data[f"rows-{i}-DELETE"] = "on"
            else:
                data[f"rows-{i}-{key}"] = "" if value is None else str(value)
    return data


def _contents(plan):
    return list(TargetItem.objects.filter(plan=plan).order_by("position", "pk").values_list("content", flat=True))


def test_it_adds_edits_reorders_and_deletes_in_one_save(world, login):
    plan = _plan(world)
    by = world.user(SEC)
    a, b, c = (make_item(plan, by, content=name) for name in ("甲项", "乙项", "丙项"))
    client = login(by)
    url = reverse("targets:items_grid", args=[plan.pk])
    rows = [
        _row(c, order=1),
        _row(a, order=2, indicator="每月一次"),
        _row(b, order=3, DELETE=True),
        _row(order=4, content="丁项"),
    ]
    r = client.post(url, _post(rows, 3))
    assert r.status_code == 302, [s for s in r.content.decode().splitlines() if "error" in s or "alert" in s]
    assert _contents(plan) == ["丙项", "甲项", "丁项"]
    a.refresh_from_db()
    assert (a.indicator, a.version) == ("每月一次", 2)
    assert list(TargetItem.objects.filter(plan=plan).order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    # the page lists them in that order
    body = client.get(url).content.decode()
    assert body.index("丙项") < body.index("甲项") < body.index("丁项")


def test_a_row_left_as_it_was_keeps_its_version(world, login):
    plan = _plan(world)
    by = world.user(SEC)
    a = make_item(plan, by, content="甲项")
    b = make_item(plan, by, content="乙项")
    r = login(by).post(reverse("targets:items_grid", args=[plan.pk]), _post([_row(a, order=1), _row(b, order=2, office="初二")], 2))
    assert r.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.version, b.version) == (1, 2)


def test_an_invalid_row_shows_its_error_in_place_and_writes_nothing(world, login):
    plan = _plan(world)
    by = world.user(SEC)
    a = make_item(plan, by, content="甲项")
    url = reverse("targets:items_grid", args=[plan.pk])
    rows = [_row(a, order=2, content="甲项改"), _row(order=1, content="", responsible=""), _row(order=3, content="丙项")]
    r = login(by).post(url, _post(rows, 1))
    assert r.status_code == 400
    body = r.content.decode()
    assert 'data-field-error="content"' in body and 'data-field-error="responsible"' in body
    assert _contents(plan) == ["甲项"]
    a.refresh_from_db()
    assert a.version == 1
    # a deadline outside the plan's year is the service's refusal, shown next to that row's deadline
    rows = [_row(a, order=1, content="甲项改"), _row(order=2, content="乙项", deadline="2030-01-01")]
    r = login(by).post(url, _post(rows, 1))
    assert r.status_code == 400
    body = r.content.decode()
    assert "完成时限应在计划年度内" in body and 'data-field-error="deadline"' in body
    assert _contents(plan) == ["甲项"]


def test_it_refuses_a_stale_row_and_writes_nothing(world, login):
    plan = _plan(world)
    by = world.user(SEC)
    a = make_item(plan, by, content="甲项")
    b = make_item(plan, by, content="乙项")
    opened = [_row(a, order=1, content="甲项（我改）"), _row(b, order=2, content="乙项（我改）")]
    services.item_update(item=b, expected_version=1, by=by, content="乙项（他人先改）")
    r = login(by).post(reverse("targets:items_grid", args=[plan.pk]), _post(opened, 2))
    assert r.status_code == 400
    body = r.content.decode()
    assert "此记录已被他人修改" in body and "乙项（他人先改）" in body
    assert _contents(plan) == ["甲项", "乙项（他人先改）"]
    # the page now carries the newer version: saving again is a deliberate overwrite
    assert 'name="rows-1-version" value="2"' in body


def test_it_refuses_a_row_of_another_plan(world, login):
    plan = _plan(world)
    other = make_plan(world.school_b, world.user("school_b_secretary"))
    foreign = make_item(other, world.user("school_b_secretary"), content="乙校目标")
    by = world.user(SEC)
    a = make_item(plan, by, content="甲项")
    crafted = [_row(a, order=1, content="甲项改"), _row(foreign, order=2, content="改了乙校")]
    r = login(by).post(reverse("targets:items_grid", args=[plan.pk]), _post(crafted, 2))
    assert r.status_code == 404
    foreign.refresh_from_db()
    a.refresh_from_db()
    assert (foreign.content, a.content) == ("乙校目标", "甲项")


def test_it_refuses_deleting_a_published_row(world, login):
    plan = _plan(world)
    by = world.user(SEC)
    a = make_item(plan, by, content="甲项")
    TargetItem.objects.filter(pk=a.pk).update(published_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
    a.refresh_from_db()
    r = login(by).post(reverse("targets:items_grid", args=[plan.pk]), _post([_row(a, order=1, DELETE=True), _row(order=2)], 1))
    assert r.status_code == 400
    assert "已公开或已有进展的目标任务不能删除" in r.content.decode()
    assert _contents(plan) == ["甲项"]


def test_it_copies_last_years_rows_once(world, login):
    by = world.user(SEC)
    last = _plan(world, year=2025)
    make_item(last, by, content="去年甲", deadline=datetime.date(2025, 6, 30))
    make_item(last, by, content="去年乙", responsible="已离开的人", deadline=datetime.date(2025, 12, 31))
    plan = _plan(world)
    make_item(plan, by, content="今年已有")
    client = login(by)
    page = client.get(reverse("targets:items_grid", args=[plan.pk])).content.decode()
    assert "沿用2025年度的目标任务" in page
    assert client.post(reverse("targets:items_copy", args=[plan.pk])).status_code == 302
    copies = list(TargetItem.objects.filter(plan=plan).order_by("position"))
    assert [i.content for i in copies] == ["今年已有", "去年甲", "去年乙"]
    assert copies[1].deadline == datetime.date(2026, 6, 30) and copies[2].responsible == ""
    assert copies[1].copied_from.plan == last
    # a second click copies nothing more
    client.post(reverse("targets:items_copy", args=[plan.pk]))
    assert TargetItem.objects.filter(plan=plan).count() == 3


def test_it_offers_no_copy_without_last_years_plan(world, login):
    plan = _plan(world)
    client = login(world.user(SEC))
    assert "沿用" not in client.get(reverse("targets:items_grid", args=[plan.pk])).content.decode()
    client.post(reverse("targets:items_copy", args=[plan.pk]))
    assert not TargetItem.objects.filter(plan=plan).exists()


def test_the_grid_keeps_its_query_count_flat(world, login):
    plan = _plan(world)
    by = world.user(SEC)
    client = login(by)

    def grow_to(n):
        have = plan.items.count()
        TargetItem.objects.bulk_create(
            TargetItem(plan=plan, category="party", content=f"目标{i}", indicator="1", role="party_member",
                       responsible="李老师", deadline=datetime.date(2026, 12, 31), position=i + 1)
            for i in range(have, n)
        )  # fmt: skip

    n = assert_flat_queries(client, reverse("targets:items_grid", args=[plan.pk]), grow_to=grow_to, budget=12)
    print("items_grid queries:", n)


def test_a_blank_new_row_with_only_its_number_is_skipped(world, login):
    plan = _plan(world)
    by = world.user(SEC)
    a = make_item(plan, by, content="甲项")
    blank = dict.fromkeys(services.ITEM_FIELDS, "") | {"order": 2}
    r = login(by).post(reverse("targets:items_grid", args=[plan.pk]), _post([_row(a, order=1), blank], 1))
    assert r.status_code == 302
    assert _contents(plan) == ["甲项"]


def test_the_grid_widgets_render_as_the_templates_would():
    """targets.widgets writes the grid's widgets without the template engine: the same markup, byte for byte, as
    Django's own widget templates, unbound and bound with errors, escaped alike."""
    from django import forms
    from django.forms.renderers import DjangoTemplates
    from django.utils.safestring import mark_safe

    from targets.grid import ItemGridFormSet, ItemRowForm
    from targets.widgets import RENDERER

    plain = DjangoTemplates()

    def both(form):
        fast = [str(bf) for bf in form]
        form.renderer = plain
        slow = [str(bf) for bf in form]
        form.renderer = RENDERER
        return fast, slow

    tricky = {"content": '<b>"x" & \'y\'</b>', "indicator": "≥1次", "measures": "a\n<script>", "office": "",
              "responsible": "王&老师", "deadline": "2026-13-45", "category": "party", "role": "bogus",
              "order": "x", "item": "", "version": ""}  # fmt: skip
    formset = ItemGridFormSet(prefix="rows")
    for form in (ItemRowForm(), ItemRowForm(data=tricky), ItemRowForm(initial={"content": mark_safe("<i>ok</i>")}),
                 formset.forms[0], formset.empty_form):
        fast, slow = both(form)
        assert fast == slow

    class Other(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A&B"), ("Group", [("b", "B"), ("c", "C")])])
        many = forms.MultipleChoiceField(choices=[(1, 1), (2, "two")])
        flag = forms.BooleanField(required=False, initial=True)
        n = forms.IntegerField(initial=1234567)
        text = forms.CharField(widget=forms.Textarea, initial="x < y")
        when = forms.DateField(initial="2026-01-02")
        secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial='p"w')

    for form in (Other(renderer=RENDERER), Other(data={"pick": "b", "n": "x"}, renderer=RENDERER)):
        fast, slow = both(form)
        assert fast == slow
