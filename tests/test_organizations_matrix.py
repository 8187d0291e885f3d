"""The access matrix restricted to the organizations app's URLs (runs while other apps are still growing)."""

import pytest

from tests import test_access_matrix as matrix_test


@pytest.mark.django_db
def test_it_finds_no_leak_on_organization_urls(world, client, monkeypatch):
    names = [n for n in matrix_test.project_urls() if n.startswith("organizations:")]
    assert len(names) >= 25
    monkeypatch.setattr(matrix_test, "project_urls", lambda: names)
    matrix_test.test_it_finds_no_leak_for_any_role(world, client)
