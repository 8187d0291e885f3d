"""The demo city as each kind of user sees it. The screenshots land in static/guide/ (shown by the 使用说明 pages)
and docs/screenshots/ (shown by the README), so they are current after every test run."""

import datetime
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from organizations.demo import DEMO_PASSWORD
from organizations.models import Organization
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "static" / "guide"
DOCS = ROOT / "docs" / "screenshots"


def shoot(page, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000


def test_it_photographs_the_demo_city_for_the_guide(chromium, live_server, transactional_db, client):
    from posts.models import Post  # noqa: F401  (the demo city has every app's data)
    from reports.models import QuarterlyReport
    from targets.models import AnnualPlan

    call_command("load_demo", with_demo_logins=True, stdout=StringIO())
    school = Organization.objects.get(code="QZ-JJ-S01")
    branch = Organization.objects.get(code="QZ-JJ-S01-B1")
    unit = Organization.objects.get(code="QZ-U1")
    plan = AnnualPlan.objects.filter(organization=school).order_by("-year").first()
    report = QuarterlyReport.objects.filter(organization=unit).order_by("-year", "-quarter").first()

    def visit(username: str, url: str, name: str, *, phone: bool = False, text: str = "") -> None:
        size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
        context = chromium.new_context(locale="zh-CN", viewport=size, is_mobile=phone)
        page = context.new_page()
        page.base_url = live_server.url
        sign_in(page, username, DEMO_PASSWORD)
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        if text:
            assert page.locator("main").get_by_text(text).first.is_visible()
        shoot(page, GUIDE / name)
        if name == "city-dashboard.png":
            shoot(page, DOCS / "dashboard.png")
        context.close()

    visit("city", reverse("reports:dashboard"), "city-dashboard.png", text="推广面")
    visit("unit", reverse("reports:quarterly_detail", args=[report.pk]), "unit-quarterly.png", text="季报表")
    visit("school", reverse("targets:plan_detail", args=[plan.pk]), "school-plan.png", text="征求意见")
    visit("branch", reverse("posts:org_posts", args=[branch.pk]), "branch-posts.png")
    visit("member", reverse("posts:mine"), "member-mine.png", phone=True, text="我的岗位")
    # the pages that edit many rows at once, as a secretary sees them on a phone: one card a row
    visit("school", reverse("targets:items_grid", args=[plan.pk]), "school-grid-phone.png", phone=True,
          text="目标分解表")
    visit("branch", reverse("evaluations:year_end", args=[branch.pk, plan.year]), "branch-appraisal-phone.png",
          phone=True, text="民主评议党员")

    # an Annex 1 PDF page, as the README shows it
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="school"))
    r = client.get(reverse("reports:annex1_pdf", args=[school.pk]) + f"?year={plan.year}")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = DOCS.parent / "annex1.pdf.tmp"
    pdf.write_bytes(b"".join(r.streaming_content) if r.streaming else r.content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(DOCS / "annex1-pdf")], check=True)
    pdf.unlink()
    assert (DOCS / "annex1-pdf.png").stat().st_size > 10_000
    assert datetime.date.today().year >= plan.year
