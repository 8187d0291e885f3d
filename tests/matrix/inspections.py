from tests.inspections_fixtures import build_inspections
from tests.matrix import Case, entry


@entry("inspections:year")
def _year(w):
    build_inspections(w)
    return [Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff"),
            Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff", query="tab=review"),
            Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff", query="tab=plan")]  # fmt: skip


@entry("inspections:review_save")
def _review(w):
    return Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff", method="post", data={"text": "乙县讲评"})


@entry("inspections:create")
def _create(w):
    data = {"organization": w.school_b.pk, "inspected_on": "2026-01-05", "inspectors": "乙组", "checked": ["posts"],
            "findings": "乙校"}  # fmt: skip
    return [Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff"),
            Case(kwargs={"org_pk": w.county_b.pk}, owner="county_b_staff", method="post", data=data)]  # fmt: skip


@entry("inspections:detail")
def _detail(w):
    i = build_inspections(w)["inspection"]
    return [Case(kwargs={"pk": i.pk}, owner="county_b_staff"), Case(kwargs={"pk": i.pk}, owner="school_b_secretary")]


@entry("inspections:item_add")
def _item_add(w):
    i = build_inspections(w)["inspection"]
    data = {"content": "乙项", "responsible": "乙人", "due_on": "2099-01-01"}
    return Case(kwargs={"pk": i.pk}, owner="county_b_staff", method="post", data=data)


@entry("inspections:follow_up")
def _follow_up(w):
    item = build_inspections(w)["item"]
    return Case(kwargs={"pk": item.pk}, owner="school_b_secretary", method="post",
                data={"happened_on": "2026-01-06", "note": "乙校已整改"})  # fmt: skip


@entry("inspections:item_close")
def _close(w):
    item = build_inspections(w)["item"]
    return Case(kwargs={"pk": item.pk}, owner="county_b_staff", method="post", data={"closing_note": "乙已核实"})
