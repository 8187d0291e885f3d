"""The access-matrix cases, built tolerantly: one app's broken fixture must not hide every other app's pages from the
hardening tests (tests/test_access_matrix.py still fails loudly on it)."""

from __future__ import annotations

from django.db import transaction

from tests.matrix import load_all

BROKEN: list[str] = []


def cases_of(make, world) -> list:
    try:
        with transaction.atomic():
            cases = make(world)
    except Exception as exc:  # noqa: BLE001
        BROKEN.append(f"{make.__module__}.{make.__name__}: {type(exc).__name__}: {exc}")
        return []
    return cases if isinstance(cases, list) else [cases]


def all_cases(world):
    """(url name, case) for every entry of the matrix whose fixture builds."""
    for name, make in sorted(load_all().items()):
        for case in cases_of(make, world):
            yield name, case
