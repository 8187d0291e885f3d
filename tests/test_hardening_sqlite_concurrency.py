"""The built-in SQLite database holds concurrent writes: a real server (manage.py runserver, threaded) on a migrated
file database (every table) takes 10 simultaneous applies of one roster import and 10 simultaneous ballots with one vote code.
No request fails with a 500 ("database is locked"), and each takes effect exactly once.

The pytest database is in memory, so this test builds its own temporary file database and runs the server in a
subprocess. It needs no outside service (it runs in `make test`, whatever DATABASE_URL the rest of the suite uses)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

ROOT = Path(settings.BASE_DIR)
CSRF = "c" * 32  # a CSRF secret of the accepted shape, sent as cookie and as form field
N = 10


def build_schema() -> None:
    """The tables of every model, built at once (as pytest's --nomigrations does: running the migrations one by one
    on a file takes a minute on a busy machine)."""
    from django.apps import apps
    from django.db import connection

    with connection.schema_editor() as editor:  # one transaction
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                editor.create_model(model)


def build_fixture() -> None:
    """Run inside the server's database (a subprocess): the test world, a checked roster import of five new members
    and an open poll with one code. Prints what the requests need, as JSON."""
    from django.db import transaction

    with transaction.atomic():  # one commit: quick on a busy machine
        print(json.dumps(_fixture()))


def _fixture() -> dict:
    from django.test import Client
    from django.utils import timezone

    from evaluations import services as evaluations
    from evaluations.models import Poll
    from organizations import services as organizations
    from tests.evaluations_fixtures import open_period
    from tests.organizations_fixtures import five_rows, xlsx_upload
    from tests.world import build_world

    world = build_world()
    secretary = world.user("branch_b_secretary")
    record = organizations.roster_import_check(
        organization=world.branch_b, uploaded_by=secretary, upload=xlsx_upload(five_rows())
    )
    period = open_period(world.branch_a, year=timezone.localdate().year)
    poll, _ = Poll.objects.get_or_create(period=period)
    code = evaluations.poll_codes_generate(poll=poll, count=1)[0].code
    members = list(evaluations.period_members(period))
    client = Client()
    client.force_login(secretary)
    return {
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "record": record.pk, "record_state": record.state, "branch": world.branch_b.pk,
        "poll": poll.pk, "key": poll.public_key, "code": code, "members": [m.pk for m in members],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, data: dict, cookies: dict) -> int:
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}, doseq=True).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Cookie": "; ".join(f"{k}={v}" for k, v in {**cookies, "csrftoken": CSRF}.items()),
        "Content-Type": "application/x-www-form-urlencoded",
    })

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=40) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _all_at_once(url: str, data: dict, cookies: dict) -> list[int]:
    statuses: list[int] = []
    start = threading.Barrier(N)

    def one():
        start.wait()
        try:
            statuses.append(_post(url, data, cookies))
        except Exception as exc:  # a dropped connection counts as a failure, like a 500
            statuses.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=one) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return statuses


@pytest.fixture
def server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", VAR_DIR=str(tmp_path), DEBUG="1",
               DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT))
    python = sys.executable
    built = subprocess.run(
        [python, "-c", "import django; django.setup(); from tests.test_hardening_sqlite_concurrency import "
                       "build_fixture, build_schema; build_schema(); build_fixture()"],
        cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True,
    )
    fixture = json.loads(built.stdout.strip().splitlines()[-1])
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115  (closed below)
    proc = subprocess.Popen([python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        yield base, fixture, tmp_path / "db.sqlite3"
    finally:
        proc.terminate()
        proc.wait(15)
        log.close()


def test_it_takes_concurrent_applies_and_ballots_without_error(server):
    base, fixture, db = server
    assert fixture["record_state"] == "ready"
    session = {settings.SESSION_COOKIE_NAME: fixture["session"]}

    apply_url = base + reverse("organizations:roster_import_detail", args=[fixture["record"]])
    applies = _all_at_once(apply_url, {}, session)
    choices = {f"m{pk}": "0" for pk in fixture["members"]}
    try:  # the code travels in the POST body; an older URL shape also carried it in the path
        vote_url = base + reverse("evaluations:vote", args=[fixture["key"]])
    except NoReverseMatch:
        vote_url = base + reverse("evaluations:vote", args=[fixture["key"], fixture["code"]])
    votes = _all_at_once(vote_url, {"code": fixture["code"], **choices}, {})

    log = (db.parent / "server.log").read_text(errors="replace")[-3000:]
    assert all(isinstance(s, int) and s < 500 for s in applies), (applies, log)
    assert all(isinstance(s, int) and s < 500 for s in votes), (votes, log)
    with sqlite3.connect(db) as con:
        state = con.execute("SELECT state FROM organizations_rosterimport WHERE id = ?", [fixture["record"]]).fetchone()
        members = con.execute("SELECT COUNT(*) FROM organizations_member WHERE organization_id = ? AND name LIKE ?",
                              [fixture["branch"], "新成员%"]).fetchone()[0]
        used = con.execute("SELECT COUNT(*) FROM evaluations_pollcode WHERE poll_id = ? AND used",
                           [fixture["poll"]]).fetchone()[0]
        tallies = con.execute("SELECT member_id, SUM(count) FROM evaluations_polltally WHERE poll_id = ? "
                              "GROUP BY member_id", [fixture["poll"]]).fetchall()
    assert state[0] != "ready" and members == 5, (applies, log)  # applied once: five new members, not fifty
    assert sorted(votes).count(200) == 1, votes  # one "thank you" page; the others are told the code is used
    assert used == 1 and tallies and all(total == 1 for _m, total in tallies), tallies  # one ballot counted
