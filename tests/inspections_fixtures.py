"""An inspection by 乙县委教育工委 of 乙校 with one open item to fix (subtree B), for the access matrix and tests."""

from __future__ import annotations

import datetime

from inspections.enums import CheckArea
from inspections.services import fix_item_add, inspection_record


def build_inspections(w) -> dict:
    if "inspections" in w.extra:
        return w.extra["inspections"]
    day = datetime.date.today() - datetime.timedelta(days=3)
    inspection = inspection_record(
        committee=w.county_b, organization=w.school_b, by=w.user("county_b_staff"), inspected_on=day,
        inspectors="乙县巡查组", checked=[CheckArea.SIX_STEPS, CheckArea.POSTS], findings="乙校承诺公开不及时",
    )  # fmt: skip
    item = fix_item_add(
        inspection=inspection, by=w.user("county_b_staff"), content="乙校补公开承诺", responsible="乙校办公室主任",
        due_on=day + datetime.timedelta(days=30),
    )  # fmt: skip
    w.extra["inspections"] = {"inspection": inspection, "item": item}
    return w.extra["inspections"]
