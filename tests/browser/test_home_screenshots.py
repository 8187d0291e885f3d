"""Each demo login's home page (the work list), photographed from the demo city into docs/screenshots/home-<role>.png,
and checked on a phone (390 px): items are cards, nothing scrolls sideways."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from organizations.demo import DEMO_PASSWORD
from tests.browser.conftest import go, open_signed_in

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ROLES = ("city", "county", "unit", "school", "branch", "member", "other")


def test_it_photographs_each_demo_roles_home_page(chromium, live_server, transactional_db):
    call_command("load_demo", with_demo_logins=True, stdout=StringIO())
    counts = {}
    for role in ROLES:
        for phone in (False, True):
            size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
            context, page = open_signed_in(chromium, live_server.url, role, DEMO_PASSWORD, phone=phone, viewport=size)
            go(page, "/")
            assert page.get_by_role("heading", name="待办").is_visible()
            if phone:
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, role
            else:
                counts[role] = page.locator("[data-todo-list] li").count()
                path = DOCS / f"home-{role}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(path), full_page=False)
                assert path.stat().st_size > 10_000
            context.close()
    # the demo city gives the people who run it something to do
    assert counts["school"] > 0 and counts["branch"] > 0 and counts["city"] > 0, counts
    print(counts)
