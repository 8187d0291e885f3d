"""年中巡查 in Chromium on a 390-px phone: the county's staff record an inspection of a school with an item to fix,
the school's secretary finds it on the home page and reports progress, the county closes it and the year page shows
the closure rate."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inspections.models import FixItem
from tests.browser.conftest import go, open_signed_in
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 392, "the page scrolls sideways on a phone"


def test_county_staff_record_an_inspection_and_the_school_follows_up(chromium, live_server, browser_world):
    w = browser_world
    today = datetime.date.today()
    ctx, county = open_signed_in(chromium, live_server.url, "county_a_staff", PASSWORD, phone=True)
    go(county, reverse("inspections:year", args=[w.county_a.pk]))
    county.click("#new-inspection")
    county.fill("input[name=organization_q]", "甲校")
    county.check("input[name=organization][type=radio]")
    county.fill("input[name=inspected_on]", today.isoformat())
    county.fill("input[name=inspectors]", "甲县巡查组")
    county.check("input[name=checked][value=six_steps]")
    county.check("input[name=checked][value=posts]")
    county.fill("textarea[name=findings]", "承诺不够具体")
    _fits(county)
    county.click("#save-inspection")
    county.wait_for_load_state("networkidle")
    assert "承诺不够具体" in county.inner_text("#findings")
    county.fill("textarea[name=content]", "修改笼统的承诺")
    county.fill("input[name=responsible]", "组织委员")
    county.fill("input[name=due_on]", (today + datetime.timedelta(days=10)).isoformat())
    county.click("#add-item")
    county.wait_for_load_state("networkidle")
    _fits(county)
    item = FixItem.objects.get()

    ctx2, school = open_signed_in(chromium, live_server.url, "school_a_secretary", PASSWORD, phone=True)
    go(school, "/")
    school.locator("[data-todo-kind='inspections.fix'] a:has-text('登记整改进展')").click()
    school.wait_for_load_state("networkidle")
    card = school.locator(f"#item-{item.pk}")
    card.locator("textarea[name=note]").fill("已逐条修改承诺")
    card.locator("button:has-text('登记整改进展')").click()
    school.wait_for_load_state("networkidle")
    assert "已逐条修改承诺" in school.inner_text(f"#item-{item.pk}")
    assert school.locator(f"#item-{item.pk} textarea[name=closing_note]").count() == 0  # the unit cannot close it
    ctx2.close()

    go(county, reverse("inspections:detail", args=[item.inspection_id]))
    card = county.locator(f"#item-{item.pk}")
    card.locator("textarea[name=closing_note]").fill("已核实")
    card.locator("button:has-text('核实销号')").click()
    county.wait_for_load_state("networkidle")
    assert "已销号" in county.inner_text(f"#item-{item.pk}")
    go(county, reverse("inspections:year", args=[w.county_a.pk]))
    assert county.inner_text("#closure-rate") == "100.0%"
    _fits(county)
    ctx.close()
