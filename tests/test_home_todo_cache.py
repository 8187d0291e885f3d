"""The home page's work list is cached per user and day, and is never staler than the records it is read from: every
table it reads belongs to a model whose writes drop the cache (reports.dashboard_cache.WATCHED)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from posts import services as post_services
from posts.enums import CommitmentState
from posts.models import Commitment
from reports import dashboard_cache
from reports.views.home import work_items
from tests.browser.test_phone_widths import SIGNED_IN, crawl
from tests.evaluations_fixtures import approved_commitment

pytestmark = pytest.mark.django_db

TABLE = re.compile(r'(?:FROM|JOIN)\s+"([a-z0-9_]+)"', re.IGNORECASE)


def _tables_read(user) -> set[str]:
    with CaptureQueriesContext(connection) as ctx:
        work_items(user, today=timezone.localdate())
    return {table for q in ctx.captured_queries for table in TABLE.findall(q["sql"])}


def test_every_table_the_work_list_reads_is_watched_by_the_cache(world):
    crawl(world)  # every app's objects of the access matrix: periods, polls, plans, inspections, briefs, reports …
    watched = set()
    for label in dashboard_cache.WATCHED:
        model = apps.get_model(label)
        watched.add(model._meta.db_table)
    by_table = {m._meta.db_table: m._meta.label for m in apps.get_models()}
    read = set()
    for role in SIGNED_IN:
        read |= _tables_read(world.user(role))
    assert len(read) >= 10, read  # the list reads many apps' records: a capture that found nothing proves nothing
    # users are joined through for their ids only (a role's user is a member's user): no column of theirs is read
    watched.add(apps.get_model("auth.User")._meta.db_table)
    unwatched = sorted(by_table.get(t, t) for t in read - watched)
    assert not unwatched, f"the cached work list reads rows whose writes do not drop it: {unwatched}"


def _draft_commitment(member) -> Commitment:
    commitment = approved_commitment(member, content="每月走访两户困难学生家庭并记录")
    commitment.state = CommitmentState.DRAFT
    commitment.save()
    return commitment


def test_a_commitment_submitted_by_a_member_reaches_the_secretarys_next_page(world, login):
    dashboard_cache.connect()
    secretary = world.user("branch_b_secretary")
    client = login(secretary)
    commitment = _draft_commitment(world.member_b)
    before = client.get(reverse("home")).content.decode()
    badge_before = client.get(reverse("home_badge")).content.decode()
    assert commitment.content[:20] not in before
    post_services.commitment_submit(commitment=commitment, by=world.member_b.user)
    after = client.get(reverse("home")).content.decode()
    assert commitment.content[:20] in after
    assert client.get(reverse("home_badge")).content.decode() != badge_before


def test_the_cached_list_is_kept_until_something_changes(world, login):
    dashboard_cache.connect()
    client = login(world.user("city_staff"))
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home"))
    dashboard_cache.invalidate()
    with CaptureQueriesContext(connection) as fresh:
        client.get(reverse("home"))
    assert len(first) < len(fresh)
