"""Generated data for the apps standing on the tree: each part runs only when its app's models exist."""

from __future__ import annotations

import random
import time

from django.apps import apps

from organizations.models import Member

from .tree import Tree


def model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def build_all(*, tree: Tree, members: list[Member], rng: random.Random, year: int, timings: dict, **sizes) -> dict:
    counts: dict[str, int] = {}
    for name, builder in BUILDERS:
        t = time.perf_counter()
        made = builder(tree=tree, members=members, rng=rng, year=year, counts=counts, **sizes)
        if made:
            counts.update(made)
            timings[name] = round(time.perf_counter() - t, 2)
    return counts


BUILDERS: list = []
