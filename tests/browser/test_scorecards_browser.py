"""The 168 scorecard in Chromium: the city committee's staff rank the counties, drill into a county and a school,
download the ranked table (read back with openpyxl) and the school's card as PDF (read back with pdftotext)."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.browser.conftest import go, open_signed_in
from tests.evaluations_fixtures import on_day
from tests.scorecards_fixtures import TODAY, YEAR, build_scorecard_tree
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def test_city_staff_rank_the_counties_drill_into_a_school_and_download(chromium, live_server, browser_world):
    w = browser_world
    with on_day(TODAY):
        build_scorecard_tree(w)
        ctx, page = open_signed_in(chromium, live_server.url, "city_staff", PASSWORD)
        # from the dashboard to the city's ranking of its counties and units
        go(page, reverse("reports:dashboard"))
        page.click("#dashboard-scorecard")
        page.wait_for_load_state("networkidle")
        names = page.locator("#ranking tbody th a.drill").all_inner_texts()
        assert names[0] == "甲县委教育工委" and set(names) == {"甲县委教育工委", "乙县委教育工委", "丙高校党委"}
        assert page.inner_text("#scheme-source").startswith("默认方案")
        # the county, then the school: 甲校 first, its weakest indicators marked
        page.click("#ranking a.drill:has-text('甲县委教育工委')")
        page.wait_for_load_state("networkidle")
        first = page.locator("#ranking tbody tr").first
        assert first.locator("th").inner_text() == "甲校党委" and first.locator(".score").inner_text() == "56.6"
        assert first.locator("td.weakest").count() == 3
        with page.expect_download() as download:
            page.click("#table-xlsx")
        ws = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        assert [r[:3] for r in rows if r[1] in ("甲校党委", "丁校党委")] == [[1, "甲校党委", 56.6], [2, "丁校党委", 0]]
        page.click("#ranking a.drill:has-text('甲校党委')")
        page.wait_for_load_state("networkidle")
        assert page.locator("#ranking tbody th").all_inner_texts() == ["甲校第一支部"]
        page.click("#root-card")
        page.wait_for_load_state("networkidle")
        assert page.inner_text("#card-score") == "56.6"
        assert "再有 2 名党员认领岗位即可达标" in page.inner_text("#raise-list")
        page.locator("#indicators tr[data-code=posts] a").click()
        page.wait_for_load_state("networkidle")
        assert page.url.startswith(live_server.url + reverse("posts:org_posts", args=[w.school_a.pk]))
        page.go_back()
        page.wait_for_load_state("networkidle")
        with page.expect_download() as download:
            page.click("#card-pdf")
        pdf = open(download.value.path(), "rb").read()
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        text = "".join(text.decode().split())
        assert f"甲校党委{YEAR}年“168”机制实施情况考评计分卡" in text and "得分：56.6" in text
        ctx.close()
