"""Two gunicorn instances on different loopback ports, sharing one PostgreSQL (the test database), one Redis and one
shared files directory, with a real Celery worker on the exports queue: what one instance writes, the other serves.

- a session opened on A is valid on B (sessions in the shared database);
- evidence uploaded through A is downloaded through B (the shared MEDIA_ROOT);
- an export asked for on A is made by the worker, followed and downloaded on B;
- the login lockout tripped on A refuses the right password on B (django-axes in the shared database);
- the password-reset rate limit counts requests on both (django-ratelimit in the shared Redis cache).

PostgreSQL and Redis are required (CI has both); on SQLite the test is skipped.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from posts import services as post_services
from posts.models import DutyLogEntry
from reports.models import ExportJob
from tests.posts_fixtures import approved, make_post, pdf
from tests.real_services import redis_url
from tests.reports_fixtures import YEAR, posts_with_claims
from tests.test_notifications_celery import SharedDatabase, Worker
from tests.test_scale_queues import worker_env

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
PASSWORD = "Quanzhou-168-instances"
FAILURE_LIMIT = 3
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    """`gunicorn config.wsgi` on its own port, in its own process group."""

    def __init__(self, name: str, env: dict, log: Path):
        self.name, self.env, self.log = name, env, log
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(gunicorn), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{self.port}", "--timeout", "60",
                 "--graceful-timeout", "5"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"instance {self.name} exited:\n{self.tail()}")
            try:
                if requests.get(self.base + reverse("login"), timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        pytest.fail(f"instance {self.name} did not answer:\n{self.tail()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)

    def tail(self) -> str:
        return self.log.read_bytes()[-4000:].decode("utf-8", "replace")


def _token(session: requests.Session, url: str) -> str:
    r = session.get(url, timeout=30)
    assert r.status_code == 200, (url, r.status_code)
    return CSRF.search(r.text).group(1)


def _login(session: requests.Session, instance: Instance, username: str, password: str) -> requests.Response:
    url = instance.base + reverse("login")
    data = {"csrfmiddlewaretoken": _token(session, url), "username": username, "password": password}
    return session.post(url, data=data, allow_redirects=False, timeout=30)


def _signed_in(session: requests.Session, instance: Instance) -> bool:
    r = session.get(instance.base + reverse("home"), allow_redirects=False, timeout=30)
    return r.status_code == 200


@pytest.fixture
def two_instances(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the instances share the PostgreSQL test database")
    shared = tmp_path / "shared-media"
    broker = redis_url("redis://127.0.0.1:6379/15")
    # the instances' Redis starts empty: rate-limit counts of an earlier run (kept an hour) and cached pages keyed by
    # ids the test database reuses would otherwise be read
    redis.Redis.from_url(broker).flushdb()
    env = worker_env(SharedDatabase(tmp_path).url, broker, tmp_path)
    env.update(MEDIA_ROOT=str(shared), DEBUG="1", SECRET_KEY="one-secret-key-shared-by-every-instance-" + "q" * 24,
               ALLOWED_HOSTS="127.0.0.1,localhost", AXES_FAILURE_LIMIT=str(FAILURE_LIMIT), LOG_LEVEL="WARNING")
    a = Instance("A", env, tmp_path / "a.log")
    b = Instance("B", env, tmp_path / "b.log")
    worker = Worker(env, "exports", tmp_path / "exports.log", concurrency=1)
    try:
        a.start()
        b.start()
        worker.start()
        a.wait_ready()
        b.wait_ready()
        yield a, b, shared
    finally:
        worker.stop()
        a.stop()
        b.stop()
        connection.close()


def _password(user) -> None:
    """A password the instances check with their own (default) hashers; the test process uses a faster one."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "instancesalt", iterations=1000)
    user.save(update_fields=["password"])


def test_what_one_instance_writes_the_other_serves(world, two_instances):
    a, b, shared = two_instances
    member, secretary, target = world.user("member_a"), world.user("school_a_secretary"), world.user("member_b")
    for user in (member, secretary, target):
        _password(user)
    claim = post_services.post_claim(post=make_post(world.branch_a), member=world.member_a, by=None)
    commitment = approved(claim, None)
    posts_with_claims(world.branch_a, 150)  # Annex 2 of school A runs to several pages: made in the background

    # a session opened on A is valid on B
    as_member = requests.Session()
    assert _login(as_member, a, member.username, PASSWORD).status_code == 302
    assert _signed_in(as_member, b), "B did not accept the session opened on A"

    # evidence uploaded through A, downloaded through B
    upload = pdf("公开课照片.pdf")
    content = upload.read()
    page = a.base + commitment.get_absolute_url()
    r = as_member.post(
        a.base + reverse("posts:duty_log_add", args=[commitment.pk]),
        data={"csrfmiddlewaretoken": _token(as_member, page), "happened_on": f"{YEAR}-03-02", "content": "公开课"},
        files={"files": ("公开课照片.pdf", content, "application/pdf")}, allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert r.status_code == 302, a.tail()
    evidence = DutyLogEntry.objects.get(commitment=commitment).evidence.get()
    assert (shared / evidence.file.name).read_bytes() == content
    r = as_member.get(b.base + reverse("posts:evidence_download", args=[evidence.pk]), timeout=30)
    assert r.status_code == 200 and r.content == content, b.tail()

    # an export asked for on A, made by the worker, followed and downloaded on B
    as_secretary = requests.Session()
    assert _login(as_secretary, a, secretary.username, PASSWORD).status_code == 302
    r = as_secretary.get(a.base + reverse("reports:annex2_pdf", args=[world.school_a.pk]) + f"?year={YEAR}",
                         allow_redirects=False, timeout=60)  # fmt: skip
    job = ExportJob.objects.get(requested_by=secretary)
    assert r.status_code == 302 and r.headers["Location"].endswith(reverse("reports:export_job", args=[job.pk]))
    download = reverse("reports:export_download", args=[job.pk])
    deadline = time.monotonic() + 180
    while True:
        poll = as_secretary.get(b.base + reverse("reports:export_job", args=[job.pk]), headers={"HX-Request": "true"},
                                timeout=30)  # fmt: skip
        assert poll.status_code == 200
        if download in poll.text:
            break
        assert time.monotonic() < deadline, poll.text[-2000:]
        time.sleep(0.5)
    r = as_secretary.get(b.base + download, timeout=60)
    assert r.status_code == 200 and r.content.startswith(b"%PDF"), b.tail()
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and (shared / job.file.name).read_bytes() == r.content

    # the lockout tripped on A refuses the right password on B
    stranger = requests.Session()
    for _ in range(FAILURE_LIMIT):
        assert _login(stranger, a, target.username, "wrong-password").status_code in (200, 429)
    locked = _login(stranger, b, target.username, PASSWORD)
    assert locked.status_code == 429 and not _signed_in(stranger, b), locked.text[-1000:]

    # the password-reset rate limit (10 an hour per address) counts the requests on both instances
    statuses = []
    for i in range(11):
        instance = (a, b)[i % 2]
        url = instance.base + reverse("accounts:password_reset")
        data = {"csrfmiddlewaretoken": _token(stranger, url), "email": f"nobody{i}@example.edu.cn"}
        statuses.append(stranger.post(url, data=data, allow_redirects=False, timeout=30).status_code)
    assert statuses[:10] == [302] * 10 and statuses[10] == 429, statuses
