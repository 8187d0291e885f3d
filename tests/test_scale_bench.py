"""The bench's yardstick view and its report: what `make bench` writes into docs/performance.md."""

from django.test import override_settings

from bench import report
from tests.budget import count_queries


@override_settings(ROOT_URLCONF="bench.urls")
def test_it_serves_the_bare_view_to_a_signed_in_user_with_one_query_of_its_own(world, login):
    client = login(world.user("city_staff"))

    n, sql = count_queries(client, "/bench/bare/")

    # the session and the user, then the view's own query
    assert n == 3 and "organizations_organization" in sql[-1]


@override_settings(ROOT_URLCONF="bench.urls")
def test_it_sends_an_anonymous_visitor_of_the_bare_view_to_the_login(client, db):
    response = client.get("/bench/bare/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_product_has_no_bare_view(client, db):
    assert client.get("/bench/bare/").status_code == 404


def result(*, city_ratio=1.5, small_q=9, large_q=9, cold=9, annex2=1.5, import_ratio=3.0) -> dict:
    page = {"page": "city dashboard", "url": "/reports/", "status": 200, "note": ""}
    return {
        "machine": {"cpus": 2, "memory_gb": 4, "python": "3.11", "django": "5.2", "postgresql": "15",
                    "system": "Linux", "date": "2026-11-25 14:00 UTC", "cache": "RedisCache"},
        "sizes": {"small": {"counts": {"organizations": 200}, "seconds": 1},
                  "large": {"counts": {"organizations": 20000}, "seconds": 100}},
        "queries": {"small": [{**page, "queries": small_q, "cold": cold}],
                    "large": [{**page, "queries": large_q, "cold": cold}]},
        "latency": [
            {"page": "bare view (1 query)", "url": "/bench/bare/", "median_ms": 10, "p95_ms": 12, "rps": 100,
             "ratio": 1.0, "errors": 0, "note": ""},
            {**page, "median_ms": 10 * city_ratio, "p95_ms": 20, "rps": 50, "ratio": city_ratio, "errors": 0},
        ],
        "benches": [
            {"name": "Annex 2 xlsx, 5,000 rows", "figure": "1 s", "baseline": "1 s", "ratio": annex2, "note": ""},
            {"name": "roster import (check + apply)", "figure": "3 s", "baseline": "1 s", "ratio": import_ratio,
             "note": ""},
        ],
        "command": "bench/run.py",
    }


def verdicts(r: dict) -> dict:
    return {target: ok for target, _measured, ok in report.targets(r)}


def test_it_says_which_targets_are_met():
    v = verdicts(result())

    assert v["city dashboard: queries equal at both sizes and ≤ 15"] is True
    assert v["city dashboard median ≤ 2.0× bare"] is True
    assert v["Annex 2 xlsx ≥ 50% of bare openpyxl's speed (time ≤ 2× bare)"] is True
    assert v["roster import ≤ 2× a bare openpyxl read"] is False
    assert v["Annex 1 PDF ≤ 1.3× bare WeasyPrint"] is None  # not measured: neither met nor failed


def test_it_fails_a_page_whose_queries_grow_with_the_data():
    v = verdicts(result(small_q=9, large_q=10, cold=10))

    assert v["city dashboard: queries equal at both sizes and ≤ 15"] is False


def test_it_checks_the_first_request_after_a_change_on_its_own():
    v = verdicts(result(cold=26))

    assert v["city dashboard: queries equal at both sizes and ≤ 15"] is True
    assert v["city dashboard, first request after a change (cold cache): queries equal and ≤ 15"] is False


def test_it_writes_the_machine_the_figures_and_how_to_reproduce():
    text = report.render(result(city_ratio=3.0))

    assert "2 CPUs" in text and "PostgreSQL 15" in text and "2026-11-25" in text
    assert "| city dashboard median ≤ 2.0× bare | 3.0× | **not met** |" in text
    assert "make bench" in text and "## How to reproduce" in text
