import pytest

from tests.browser.conftest import sign_in
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def test_branch_secretary_opens_the_tree(page, browser_world, tmp_path):
    sign_in(page, "school_a_secretary", PASSWORD)
    assert page.get_by_text("您好").is_visible()
    page.get_by_role("link", name="组织").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="组织架构").is_visible()
    # expand the school: its branch is loaded with htmx
    page.get_by_role("button", name="展开").first.click()
    page.get_by_role("link", name="甲校第一支部").wait_for()
    assert page.get_by_role("link", name="甲校第一支部").is_visible()
    assert page.get_by_text("乙校").count() == 0
    page.screenshot(path=str(tmp_path / "tree.png"), full_page=True)
    assert (tmp_path / "tree.png").stat().st_size > 10_000


def test_branch_secretary_uses_the_tree_on_a_phone(phone_page, browser_world, tmp_path):
    sign_in(phone_page, "branch_a_secretary", PASSWORD)
    phone_page.get_by_role("button", name="菜单").click()
    phone_page.get_by_role("link", name="组织").first.click()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.get_by_role("link", name="甲校第一支部").is_visible()
    phone_page.screenshot(path=str(tmp_path / "tree-phone.png"), full_page=True)
