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
    from organizations.models import RosterImport
    from organizations.signals import rows_changed

    dashboard_cache.connect()
    compute, calls = counter()
    dashboard_cache.cached(("figures", 8, 2026, 4), compute)

    rows_changed.send(sender=RosterImport)
    dashboard_cache.cached(("figures", 8, 2026, 4), compute)

    assert len(calls) == 1
