"""Uploaded files under MEDIA_ROOT are never served directly; downloads go through views that check access."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.views import static

from tests.matrix import load_all


@pytest.fixture
def stored_file(settings):
    path = settings.MEDIA_ROOT / "evidence" / "2026" / "secret.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("%PDF-1.4 乙校 13900000002".encode())
    return "evidence/2026/secret.pdf"


def _callbacks(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _callbacks(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_it_routes_no_url_to_the_static_file_server():
    served = [route for route, callback in _callbacks() if callback in (static.serve, static.directory_index)]
    assert not served, f"URLs serving files straight from disk: {served}"


def test_it_keeps_media_url_apart_from_static():
    assert settings.MEDIA_URL != settings.STATIC_URL
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    assert all(not str(settings.MEDIA_ROOT).startswith(str(d)) for d in settings.STATICFILES_DIRS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, "member_b", "school_b_secretary", "city_staff"])
def test_it_serves_no_stored_file_by_its_path(world, client, stored_file, role):
    if role:
        client.force_login(world.user(role))
    for prefix in [settings.MEDIA_URL, "/media/", "/static/", "/uploads/", "/var/media/", "/"]:
        r = client.get(prefix + stored_file)
        assert r.status_code in (302, 404), f"{prefix}{stored_file}: {r.status_code}"
        assert b"%PDF" not in b"".join(getattr(r, "streaming_content", [r.content]))


@pytest.mark.django_db
def test_it_resists_path_traversal_through_static(world, client):
    for url in ["/static/../var/db.sqlite3", "/static/%2e%2e/config/settings.py", "/static/..%2fmanage.py"]:
        r = client.get(url)
        assert r.status_code in (301, 302, 400, 404), url
        assert b"SECRET_KEY" not in r.content and b"SQLite format" not in r.content


DOWNLOAD_WORDS = ("download", "xlsx", "pdf", "export", "file", "evidence", "attachment", "print")


def test_it_has_access_checked_cases_for_every_download_url():
    """Every URL that looks like a download has a matrix entry pointing at an object of subtree B (not just a scan)."""
    from tests.test_access_matrix import project_urls

    matrix = load_all()
    downloads = [n for n in project_urls() if any(w in n.lower() for w in DOWNLOAD_WORDS)]
    # entries are checked in test_access_matrix; here only that they exist and name an object
    missing = [n for n in downloads if n not in matrix]
    assert not missing, f"download URLs with no access-matrix entry: {missing}"
    print(f"\ndownload URLs under the access matrix: {len(downloads)}")
