import pytest
from playwright.sync_api import expect

from notifications.models import Notice
from tests.browser.conftest import sign_in
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def test_unit_staff_reads_reminders_on_a_phone(phone_page, browser_world, tmp_path):
    user = browser_world.user("unit_staff")
    Notice.objects.create(recipient=user, subject="2026年第一季度季报表还有7天截止", body="请及时报送")
    Notice.objects.create(recipient=user, subject="2026年第一季度季报表还有3天截止", body="请及时报送")
    page = phone_page
    sign_in(page, "unit_staff", PASSWORD)
    page.get_by_role("button", name="菜单").click()
    bell = page.get_by_role("link", name="通知 2")
    assert bell.is_visible()
    bell.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="通知").is_visible()
    # mark one read in place (htmx): its row loses the “未读” mark, the other keeps it
    page.get_by_role("button", name="标为已读", exact=True).first.click()
    expect(page.get_by_role("button", name="标为已读", exact=True)).to_have_count(1)
    assert Notice.objects.filter(recipient=user, read_at__isnull=True).count() == 1
    page.screenshot(path=str(tmp_path / "inbox-phone.png"), full_page=True)
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已将 1 条通知标为已读").is_visible()
    assert not Notice.objects.filter(recipient=user, read_at__isnull=True).exists()
