"""Dashboard figures cached per subtree and quarter, dropped as soon as any data they count changes.

The figures of a subtree (coverage, Annex 5 counts, target progress, grades, demonstration units, contact points) are
aggregates over the whole subtree: at province size they cost hundreds of milliseconds, and they are the same for
everyone who may see that subtree. They are cached under a generation number; saving or deleting any row of a model
the figures count bumps the generation, so the next request computes them afresh. Writes that bypass model signals
(bulk_create, queryset.update) send organizations.signals.rows_changed, which does the same; and the entries expire
after TIMEOUT in any case.

The cache must be shared by every process that serves or writes (Redis in production); the embedded default's
in-process cache is right for its single process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "reports:dashboard:generation"
TIMEOUT = 15 * 60
# every model whose rows the dashboard counts
WATCHED = [
    "organizations.Organization",
    # the quarter's due dates come from the year's calendar
    "years.CalendarWindow",
    # the dashboard's scope list is cached per user: a role given or taken changes it
    "organizations.RoleAssignment",
    "organizations.Member",
    "organizations.DemonstrationUnit",
    "organizations.ContactPoint",
    "organizations.Leader",
    "organizations.Honour",
    # a roster import writes members in bulk (no post_save per member); its record is saved when it is applied
    "organizations.RosterImport",
    "targets.AnnualPlan",
    "targets.TargetItem",
    # progress_record() moves an item's status and percent with queryset.update(); its entry is saved with it
    "targets.ProgressEntry",
    # public opinions unanswered past their reply days, per organization
    "targets.Opinion",
    "posts.Post",
    "posts.PostClaim",
    "posts.Commitment",
    "evaluations.EvaluationPeriod",
    "evaluations.Rating",
    # the home page's rating progress counts self-evaluations and assessments
    "evaluations.SelfEvaluation",
    "evaluations.Assessment",
    "evaluations.MemberHonour",
    "evaluations.Rectification",
    "reports.QuarterlyReport",
    "organizations.ContactVisit",
    "posts.AnnualAim",
    "posts.MassContact",
    "inspections.Inspection",
    "inspections.FixItem",
    # besides the above, the home page's work list reads these (tests/test_home_todo_cache.py)
    "posts.CommitmentVersion",
    "evaluations.Poll",
    "evaluations.PollCode",
    "targets.StepCompletion",
    "inspections.FollowUp",
    "bulletins.Brief",
]


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted: any new value differs from what cached entries were keyed under
        cache.add(GENERATION_KEY, 1, timeout=None)
        cache.incr(GENERATION_KEY)


def invalidate(**_signal_kwargs) -> None:
    """Make every cached dashboard figure stale: now, and again once the current transaction commits (so that a
    request computing figures while the write is in flight cannot keep the old ones)."""
    _bump()
    transaction.on_commit(_bump)


def cached(parts: tuple, compute: Callable[[], Any]) -> Any:
    """compute() once per generation for these key parts (e.g. ("figures", root.pk, year, quarter))."""
    key = "reports:dashboard:{}:{}".format(generation(), ":".join(str(p) for p in parts))
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def cached_many(computes: dict[tuple, Callable[[], Any]]) -> dict[tuple, Any]:
    """cached() for several entries in one round trip to the cache: {parts: compute} → {parts: value}."""
    gen = generation()
    keys = {parts: "reports:dashboard:{}:{}".format(gen, ":".join(str(p) for p in parts)) for parts in computes}
    found = cache.get_many(list(keys.values()))
    values, missing = {}, {}
    for parts, key in keys.items():
        if key in found:
            values[parts] = found[key]
        else:
            values[parts] = missing[key] = computes[parts]()
    if missing:
        cache.set_many(missing, TIMEOUT)
    return values


def _rows_changed(sender=None, **_kwargs) -> None:
    if sender is None or sender._meta.label in WATCHED:
        invalidate()


def connect() -> None:
    """Bump the generation on every save and delete of a watched model, and on rows_changed for one (called from
    ReportsConfig.ready)."""
    from treebeard.mp_tree import nodes_deleted, path_updated

    from organizations.signals import rows_changed

    rows_changed.connect(_rows_changed, weak=False, dispatch_uid="dashboard-cache-rows-changed")
    # moving or deleting a subtree rewrites paths with queryset updates (no post_save)
    path_updated.connect(invalidate, weak=False, dispatch_uid="dashboard-cache-path-updated")
    nodes_deleted.connect(invalidate, weak=False, dispatch_uid="dashboard-cache-nodes-deleted")
    for label in WATCHED:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(invalidate, sender=model, weak=False, dispatch_uid=f"dashboard-cache-save-{label}")
        post_delete.connect(invalidate, sender=model, weak=False, dispatch_uid=f"dashboard-cache-delete-{label}")
