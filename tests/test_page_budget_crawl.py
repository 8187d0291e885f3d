"""Every page in budget: the access matrix's crawl (every URL pattern; the pages of objects each role owns, lists and
dashboards as every signed-in role, public pages anonymously — the same visits as the phone-width and accessibility
crawls) with Django's test client, each GET answering in at most 15 SQL queries. A new URL gets its matrix entry
(tests/test_access_matrix.py insists) and is thereby counted here too.

The count is taken on the second request of each page, as tests/budget.py does: the first one warms what is cached
per process (content types and the like). Query counts that stay flat as the data grow are asserted page by page in
the other budget tests (tests/test_*budget*.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.browser.test_phone_widths import SIGNED_IN, crawl

BUDGET = 15
pytestmark = pytest.mark.django_db


def test_every_page_each_role_reaches_answers_within_the_query_budget(world):
    clients: dict[str, Client] = {}
    counted: dict[str, int] = {}
    over: list[str] = []
    errors: list[str] = []
    for role, name, url in crawl(world):
        if role not in clients:
            clients[role] = Client(raise_request_exception=False)
            if role != "anonymous":
                clients[role].force_login(world.user(role))
        client = clients[role]
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{name} {url} as {role}: {response.status_code}")
            continue
        counted[role] = counted.get(role, 0) + 1
        if len(ctx) > BUDGET:
            sql = "\n      ".join(q["sql"][:160] for q in ctx.captured_queries)
            over.append(f"{name} {url} as {role}: {len(ctx)} queries\n      {sql}")
    print(f"\npage budget crawl: {sum(counted.values())} pages, per role {counted}")
    assert not errors, "\n".join(errors)
    assert set(counted) >= set(SIGNED_IN) | {"anonymous"} and sum(counted.values()) >= 300, counted
    assert not over, f"{len(over)} pages over {BUDGET} queries:\n" + "\n".join(over)


def test_the_crawl_includes_the_evaluation_period_page_for_its_secretary(world):
    visits = crawl(world)
    assert any(name == "evaluations:period_detail" and role == "branch_b_secretary" for role, name, _url in visits)
    assert {name for _role, name, _url in visits} >= {"home", "reports:dashboard", "organizations:members",
                                                       "organizations:children", "organizations:coverage"}
