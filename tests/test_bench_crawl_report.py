"""`make bench` reports every page of the crawl with its ratio to the bare view and its queries, and fails on a miss
(bench/crawl.py, bench/report.py, bench/run.py)."""

from __future__ import annotations

from bench import report


def _result(crawl: list[dict]) -> dict:
    return {
        "machine": {"cpus": 2, "memory_gb": 4, "system": "Linux", "python": "3.11", "django": "5.2",
                    "postgresql": "16", "cache": "RedisCache", "date": "2026-12-05 09:00 UTC"},
        "sizes": {}, "queries": {"small": [], "large": []}, "latency": [], "benches": [], "crawl": crawl,
        "command": "bench/run.py --only crawl",
    }


BARE = {"page": "bare view (1 query)", "role": "", "url": "/bench/bare/", "median_ms": 4.0, "ratio": 1.0,
        "queries": 1, "status": 200, "miss": ""}


def _page(name: str, ratio: float, queries: int, miss: str = "") -> dict:
    return {"page": name, "role": "city_staff", "url": f"/{name}/", "median_ms": 4.0 * ratio, "ratio": ratio,
            "queries": queries, "status": 200, "miss": miss}


def test_every_page_of_the_crawl_is_listed_worst_first_with_its_target():
    result = _result([BARE, _page("home", 1.4, 11), _page("reports:dashboard", 2.2, 9)])
    text = report.render(result)
    assert "## Every page of the crawl" in text
    assert text.index("`/reports:dashboard/`") < text.index("`/home/`")
    (target,) = [t for t in report.targets(result) if t[0].startswith("every page of the crawl")]
    assert target[2] is True and target[1] == "2 of 2 within; worst page 2.2×, 11 queries"


def test_a_page_over_its_budget_is_named_and_the_target_not_met():
    result = _result([BARE, _page("home", 3.4, 16, miss="16 queries > 15; 3.4× bare > 3.0×")])
    (target,) = [t for t in report.targets(result) if t[0].startswith("every page of the crawl")]
    assert target[2] is False
    assert "**16 queries > 15; 3.4× bare > 3.0×**" in report.render(result)
    assert "[not met] every page of the crawl" in report.terminal(result)
