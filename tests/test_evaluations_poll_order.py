"""Poll ballots cannot be put back in voting order.

An access log (or anyone watching) knows when each one-time code was used. If the database kept a row per ballot,
inserted as people vote, its order (ids, SQLite rowid, PostgreSQL ctid/xmin) would follow the voting order and, side
by side with those times, name each code's ballot. Ballots are kept as tallies only: these tests cast the same 30
ballots in two different orders, at a different minute each, and find the database the same, row for row.
"""

from __future__ import annotations

import datetime
import logging
import random
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.urls import reverse

from evaluations import services
from evaluations.models import Poll, PollCode, PollTally
from tests.evaluations_fixtures import FROZEN_TODAY, add_members, evaluation_today, open_period  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db

VOTES = 30


class _Rollback(Exception):
    pass


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def _dump() -> dict[str, list[tuple]]:
    """Every row of every table. On SQLite in storage order with its rowid; on PostgreSQL by content without the ids (a
    rolled-back run leaves dead tuples and used sequence numbers, so ctid and ids differ between two runs whatever
    they stored)."""
    out = {}
    with connection.cursor() as cur:
        for table in _tables():
            if connection.vendor == "sqlite":
                cur.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid')
                rows = [tuple(str(v) for v in row) for row in cur.fetchall()]
            else:  # ids come from sequences, which a rollback does not wind back: compare without them
                columns = [c.name for c in connection.introspection.get_table_description(cur, table)]
                listed = ", ".join("NULL" if c == "id" else f'"{c}"' for c in columns)
                cur.execute(f'SELECT 0 AS rowid, {listed} FROM "{table}"')
                rows = sorted(tuple(str(v) for v in row) for row in cur.fetchall())
            out[table] = rows
    return out


def _row_counts() -> dict[str, int]:
    return {table: len(rows) for table, rows in _dump().items()}


def _cast_in_order(client, poll, ballots: list[dict], codes: list[str], after_first=None) -> dict:
    """Cast ballots[i] with codes[i] through the voting page, each at its own minute of the day (inside the rating
    window), then read the whole database and roll everything back."""
    url = reverse("evaluations:vote", args=[poll.public_key])
    state = {}
    try:
        with transaction.atomic():
            for i, (ballot, code) in enumerate(zip(ballots, codes, strict=True)):
                moment = datetime.datetime.combine(FROZEN_TODAY, datetime.time(9, i), tzinfo=ZoneInfo("Asia/Shanghai"))
                with mock.patch("django.utils.timezone.now", return_value=moment):
                    r = client.post(url, {"code": code, **{f"m{pk}": str(index) for pk, index in ballot.items()}})
                assert r.status_code == 200 and "投票成功" in r.content.decode(), r.content.decode()[:500]
                if i == 0 and after_first is not None:
                    after_first.update(_row_counts())
            state = _dump()
            raise _Rollback
    except _Rollback:
        pass
    return state


@pytest.fixture
def poll_with_ballots(world):
    period = open_period(world.branch_a)
    add_members(world.branch_a, 4)
    members = list(services.period_members(period))
    codes = [c.code for c in services.poll_codes_generate(poll=period.poll, count=VOTES)]
    poll = Poll.objects.get(pk=period.poll.pk)
    rng = random.Random(168)
    ballots = [{m.pk: rng.randrange(len(poll.scale)) for m in members} for _ in range(VOTES)]
    return poll, members, codes, ballots


def test_the_same_ballots_cast_in_another_order_leave_the_same_database(client, poll_with_ballots, caplog):
    poll, members, codes, ballots = poll_with_ballots
    caplog.set_level(logging.DEBUG)
    before = _dump()
    after_first: dict[str, int] = {}
    first = _cast_in_order(client, poll, ballots, codes, after_first)
    assert _dump() == before  # rolled back
    order = list(range(VOTES))
    random.Random(2026).shuffle(order)
    shuffled_codes = list(codes)
    random.Random(7).shuffle(shuffled_codes)
    second = _cast_in_order(client, poll, [ballots[i] for i in order], shuffled_codes)

    # ids, rowids, storage order, every column of every table (history tables included): equal, whichever order
    assert first == second
    assert first != before  # the votes were stored
    # no table holds a row per ballot: nothing grew between the first ballot and the thirtieth
    assert {table: len(rows) for table, rows in first.items()} == after_first
    # the tallies still say what was voted: per member and option, how many ballots chose it
    by_label = {i: str(o["label"]) for i, o in enumerate(poll.scale)}
    expected = {(m.pk, label): 0 for m in members for label in by_label.values()}
    for ballot in ballots:
        for pk, index in ballot.items():
            expected[(pk, by_label[index])] += 1
    tally_table = PollTally._meta.db_table
    columns = [c.name for c in connection.introspection.get_table_description(connection.cursor(), tally_table)]
    got = {}
    for row in first[tally_table]:
        values = dict(zip(["rowid", *columns], row, strict=True))
        got[(int(values["member_id"]), values["label"])] = int(values["count"])
    assert got == expected
    # no log line pairs a code with anything (the code travels in the POST body, never in a URL)
    for record in caplog.records:
        assert not any(code in record.getMessage() for code in codes), record.getMessage()


def test_no_history_and_no_per_ballot_table_follows_the_votes(poll_with_ballots):
    poll, members, codes, ballots = poll_with_ballots
    # no simple-history on the poll's tables: a history row would carry the time of each vote
    for model in (Poll, PollCode, PollTally):
        assert getattr(model._meta, "simple_history_manager_attribute", None) is None, model.__name__
    assert not [t for t in _tables() if "historical" in t and ("poll" in t or "ballot" in t)]
    # the old per-ballot tables are gone
    assert not [t for t in _tables() if "ballot" in t]
    # the admin lists tallies in poll, member and option order, never by id (and cannot add one)
    tally_admin = admin.site._registry[PollTally]
    assert "id" not in tally_admin.list_display and not tally_admin.has_add_permission(None)
    assert PollTally._meta.ordering == ["poll", "member", "label"]


def test_the_voting_page_url_carries_no_code(world, client, login):
    period = open_period(world.branch_a)
    code = services.poll_codes_generate(poll=period.poll, count=1)[0]
    page = reverse("evaluations:vote", args=[period.poll.public_key])
    assert page == f"/evaluations/vote/{period.poll.public_key}/"
    body = client.get(page).content.decode()
    assert 'name="code"' in body and "evaluations/vote.js" in body and "<script>" not in body
    # the secretary's links carry the code in the #fragment, which browsers never send
    sheet = login(world.user("branch_a_secretary")).get(reverse("evaluations:poll", args=[period.pk])).content.decode()
    assert f"{page}#{code.code}" in sheet and f"{page}{code.code}" not in sheet
    # the old address with the code in its path no longer exists
    assert client.get(f"{page}{code.code}/").status_code == 404
