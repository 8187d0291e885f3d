"""Dashboard figures are computed once and recomputed as soon as data they count changes."""

import pytest
from django.core.cache import cache

from reports import dashboard_cache
from tests.world import make_member


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def counter():
    calls = []

    def compute():
        calls.append(1)
        return {"members": len(calls)}

    return compute, calls


def test_it_computes_the_figures_once_while_nothing_changes(db):
    compute, calls = counter()

    first = dashboard_cache.cached(("figures", 1, 2026, 4), compute)
    second = dashboard_cache.cached(("figures", 1, 2026, 4), compute)

    assert first == second and len(calls) == 1


def test_it_keeps_subtrees_and_quarters_apart(db):
    compute, calls = counter()

    dashboard_cache.cached(("figures", 1, 2026, 4), compute)
    dashboard_cache.cached(("figures", 2, 2026, 4), compute)
    dashboard_cache.cached(("figures", 1, 2026, 3), compute)

    assert len(calls) == 3


def test_it_recomputes_after_a_member_is_added(world):
    dashboard_cache.connect()
    compute, calls = counter()
    dashboard_cache.cached(("figures", world.city.pk, 2026, 4), compute)

    make_member(world.branch_a, "新党员", phone="13900000009")
    dashboard_cache.cached(("figures", world.city.pk, 2026, 4), compute)

    assert len(calls) == 2


def test_it_recomputes_after_a_row_is_deleted(world):
    dashboard_cache.connect()
    compute, calls = counter()
    dashboard_cache.cached(("figures", world.city.pk, 2026, 4), compute)

    world.member_b.delete()
    dashboard_cache.cached(("figures", world.city.pk, 2026, 4), compute)

    assert len(calls) == 2


def test_it_survives_the_generation_key_being_evicted(db):
    compute, calls = counter()
    dashboard_cache.cached(("figures", 9, 2026, 4), compute)
    cache.delete(dashboard_cache.GENERATION_KEY)
    dashboard_cache.invalidate()
    dashboard_cache.cached(("figures", 9, 2026, 4), compute)

    assert len(calls) == 2


def test_it_recomputes_after_a_bulk_write_is_announced(db):
    from organizations.models import Member
    from organizations.signals import rows_changed

    dashboard_cache.connect()
    compute, calls = counter()
    dashboard_cache.cached(("figures", 7, 2026, 4), compute)

    rows_changed.send(sender=Member)
    dashboard_cache.cached(("figures", 7, 2026, 4), compute)

    assert len(calls) == 2


def test_it_ignores_bulk_writes_of_rows_it_does_not_count(db):
    from notifications.models import Notice
    from organizations.signals import rows_changed

    dashboard_cache.connect()
    compute, calls = counter()
    dashboard_cache.cached(("figures", 8, 2026, 4), compute)

    rows_changed.send(sender=Notice)
    dashboard_cache.cached(("figures", 8, 2026, 4), compute)

    assert len(calls) == 1


def test_it_recomputes_after_a_roster_import_is_applied(world):
    from organizations import services
    from tests.organizations_fixtures import good_row, xlsx_upload

    dashboard_cache.connect()
    record = services.roster_import_check(
        organization=world.branch_a,
        uploaded_by=world.user("branch_a_secretary"),
        upload=xlsx_upload([good_row(f"A{i}", f"新成员{i}", phone=f"1381234567{i}") for i in range(3)]),
    )
    compute, calls = counter()
    dashboard_cache.cached(("figures", world.city.pk, 2026, 4), compute)

    services.roster_import_apply(record=record)
    dashboard_cache.cached(("figures", world.city.pk, 2026, 4), compute)

    assert len(calls) == 2


def test_it_recomputes_after_progress_moves_a_target_item(world):
    from targets import services
    from tests.targets_fixtures import DAY, make_item, make_plan

    dashboard_cache.connect()
    by = world.user("school_a_secretary")
    item = make_item(make_plan(world.school_a, by), by)
    compute, calls = counter()
    dashboard_cache.cached(("progress", world.city.pk, 2026), compute)

    services.progress_record(item=item, by=by, recorded_on=DAY, status="done", percent=100, note="完成")
    dashboard_cache.cached(("progress", world.city.pk, 2026), compute)

    assert len(calls) == 2


def test_the_dashboard_renders_its_body_once_until_a_counted_row_changes(world, login):
    from django.urls import reverse

    from tests.budget import count_queries

    dashboard_cache.connect()
    client = login(world.user("city_staff"))
    url = reverse("reports:dashboard")
    client.get(reverse("home"))  # per-process caches (content types and the like) are not the dashboard's
    dashboard_cache.invalidate()
    first, sql = count_queries(client, url)
    warm, _sql = count_queries(client, url)
    assert warm < first and warm <= 12
    assert first <= 15, "\n".join(sql)  # computing everything afresh stays within the page budget

    make_member(world.branch_a, "新党员", phone="13900000009")
    after, _sql = count_queries(client, url)
    assert after == first  # computed again: the new member is counted


def test_the_cached_dashboard_body_is_never_served_outside_the_subtree(world, login):
    from django.urls import reverse

    url = reverse("reports:dashboard") + f"?org={world.county_b.pk}"
    assert login(world.user("city_staff")).get(url).status_code == 200  # county B's body is now cached

    client = login(world.user("county_a_staff"))
    assert client.get(url).status_code == 404
    assert "乙校" not in client.get(reverse("reports:dashboard")).content.decode()
