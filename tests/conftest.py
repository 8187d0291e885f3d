import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


@pytest.fixture
def login(client):
    """login(user) → the test client signed in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    """Tests run Celery tasks in-process even when REDIS_URL is set (CI); the worker test starts its own worker."""
    from config.celery import app

    # the settings' own key (CELERY_TASK_ALWAYS_EAGER, read through the CELERY namespace) wins over task_always_eager
    before = app.conf.task_always_eager
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    assert app.conf.task_always_eager
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = before


@pytest.fixture(autouse=True)
def _project_celery_app_is_current():
    """Shared tasks and `current_app` resolve to the project's app in every test, whatever Celery app another test
    made to talk to a worker of its own."""
    from config.celery import app

    app.set_current()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back rows reuse their ids, so a page cached by an earlier test
    could otherwise be served for another test's world."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def uncached(monkeypatch):
    """The home page's work list and subtree figures computed on every request (a query budget counts the work, not
    the cache)."""
    monkeypatch.setattr("reports.todo.cached", lambda key, compute: compute())
    monkeypatch.setattr("reports.views.home.dashboard_cache.cached", lambda key, compute: compute())

