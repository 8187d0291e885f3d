"""Each dashboard chart is a picture (role="img") whose name says its figures in words, and each has its table."""

from __future__ import annotations

import html as htmllib
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from organizations.enums import DemoKind
from reports import chart_summaries
from tests.reports_fixtures import YEAR, demonstration, launch, plan_with_items, posts_with_claims, rate

URL = reverse("reports:dashboard") + f"?year={YEAR}&quarter=4"
TABLES = {"coverage": "coverage-table", "status": "status-table", "progress": "progress-table",
          "grades": "grades-table", "demos": "demos-table"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def charts(page: str) -> dict[str, tuple[str, dict]]:
    """chart name → (its container's aria-label, the data the chart draws)."""
    found = {}
    for tag in re.findall(r"<div class=\"chart\"[^>]*>", page):
        name = re.search(r'data-chart="(\w+)"', tag)[1]
        assert 'role="img"' in tag, tag
        label = htmllib.unescape(re.search(r'aria-label="([^"]*)"', tag)[1])
        raw = page.split(f'id="chart-{name}" type="application/json">', 1)[1].split("</script>", 1)[0]
        found[name] = (label, json.loads(raw))
    return found


@pytest.mark.django_db
def test_every_chart_is_named_by_its_figures_in_words_and_has_its_table(world, login):
    launch(world.branch_a)
    plan_with_items(world.school_a, 3)
    claims = posts_with_claims(world.branch_a, 2)
    rate(world.branch_a, claims[0].member, grade="excellent")
    demonstration(world.branch_a, by=world.city, kind=DemoKind.SINGLE)
    page = login(world.user("city_staff")).get(URL).content.decode()
    found = charts(page)
    assert set(found) == set(TABLES)
    for name, table in TABLES.items():
        assert f'id="{table}"' in page, f"{name} has no table"

    coverage_label, coverage = found["coverage"]
    assert coverage_label.startswith("推广面图表（目标 100%），")
    for unit, value in zip(coverage["labels"], coverage["values"], strict=True):
        assert f"{unit} {value:g}%" in coverage_label, (unit, coverage_label)
    assert "甲县委教育工委 50%" in coverage_label and "最高 甲县委教育工委 50%" in coverage_label

    for name in ("status", "progress", "demos"):
        label, data = found[name]
        for text, value in zip(data["labels"], data["values"], strict=True):
            assert f"{text} {value} " in label, (name, text, value, label)
    assert "合计 3 项" in found["progress"][0]
    assert "典型示范单位（单项） 1 个" in found["demos"][0]

    grades_label, _grades = found["grades"]
    assert "年终总评 优秀 1 人、良好 0 人" in grades_label, grades_label
    assert "一季一评 尚无评定" in grades_label, grades_label


def test_a_long_coverage_list_is_summed_up_not_read_out_whole():
    data = {"labels": [f"单位{i}" for i in range(30)], "values": [float(i * 3) for i in range(30)]}
    label = chart_summaries.coverage(data, more=12)
    assert label == ("推广面图表（目标 100%），30 个下级单位（推广面最低的 30 个，另有 12 个未画出），0 个达到 100%，"
                     "最低 单位0 0%，最高 单位29 87%。")
    assert chart_summaries.coverage({"labels": [], "values": []}) == "推广面图表：没有下级单位"
