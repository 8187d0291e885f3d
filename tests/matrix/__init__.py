"""The access-matrix registry.

Every URL pattern of the project must have an entry here (tests/test_access_matrix.py fails on a URL without one).
An entry is a function of the test World returning the Case(s) to try: objects of the *sibling* subtree B, which
outsiders (roles in subtree A, the other reporting unit, a member, the anonymous public) must never reach.

Each app keeps its entries in tests/matrix/<app>.py; every module in this package is imported automatically.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

OUTSIDERS = ("anonymous", "county_a_staff", "unit_staff", "school_a_secretary", "branch_a_secretary", "member_a")


@dataclass
class Case:
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
    # a role that may legitimately reach the object: it must get neither 404 nor 403 (proves the fixture is real)
    owner: str | None = "school_b_secretary"
    # no object in the URL (lists, dashboards, forms): outsiders get the page, which must not show B's markers
    scan: bool = False
    # open to everyone by design (published pages, voting links): never shows a private phone number
    public: bool = False
    outsiders: tuple[str, ...] = OUTSIDERS
    query: str = ""


MATRIX: dict[str, Callable] = {}


def entry(*url_names: str):
    """Register the function that makes the Case(s) for these URL names."""

    def register(fn: Callable) -> Callable:
        for name in url_names:
            if name in MATRIX:
                raise ValueError(f"duplicate matrix entry for {name}")
            MATRIX[name] = fn
        return fn

    return register


def load_all() -> dict[str, Callable]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return MATRIX
