"""CSRF on every POST: no view of the URLconf is exempt without a written reason, and a POST without a token fails."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.fuzz.cases import all_cases

# URL name → why it may skip CSRF. Empty: no view of 168 is exempt.
CSRF_EXEMPT_ALLOWED: dict[str, str] = {}


def all_patterns(resolver=None, namespace: str = ""):
    """(name, callback) for every URL pattern of the project, the admin's included."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from all_patterns(p, ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>"), p.callback


def _exempt(callback) -> bool:
    seen = set()
    while callback is not None and id(callback) not in seen:
        seen.add(id(callback))
        if getattr(callback, "csrf_exempt", False):
            return True
        view_class = getattr(callback, "view_class", None)
        if view_class is not None and getattr(view_class.dispatch, "csrf_exempt", False):
            return True
        callback = getattr(callback, "__wrapped__", None)
    return False


def test_it_finds_no_view_exempt_from_csrf_without_reason():
    patterns = list(all_patterns())
    assert len(patterns) > 10
    exempt = sorted(name for name, callback in patterns if _exempt(callback) and name not in CSRF_EXEMPT_ALLOWED)
    assert not exempt, f"views exempt from CSRF with no reason in CSRF_EXEMPT_ALLOWED: {exempt}"
    stale = [n for n in CSRF_EXEMPT_ALLOWED if n not in dict(patterns)]
    assert not stale, f"allow-list names no URL: {stale}"


@pytest.mark.django_db
def test_it_refuses_every_post_without_a_token(world):
    """POST to every URL of the access matrix, signed in as its legitimate owner, with no CSRF token: 403."""
    client = Client(enforce_csrf_checks=True)
    tried, let_through = 0, []
    for name, case in all_cases(world):
        if name in CSRF_EXEMPT_ALLOWED:
            continue
        url = reverse(name, kwargs=case.kwargs)
        if case.owner and not case.public:
            client.force_login(world.user(case.owner))
        else:
            client.logout()
        r = client.post(url, case.data or {"x": "1"})
        tried += 1
        if r.status_code != 403:
            let_through.append(f"{name} {url}: {r.status_code}")
    print(f"\nCSRF: {tried} POSTs without a token")
    assert not let_through, "POST without CSRF token accepted:\n" + "\n".join(let_through)


@pytest.mark.django_db
def test_it_refuses_the_login_form_without_a_token(world):
    client = Client(enforce_csrf_checks=True)
    r = client.post(reverse("login"), {"username": "member_a", "password": "pw-168-test"})
    assert r.status_code == 403
    assert "_auth_user_id" not in client.session


def test_it_would_notice_an_exempt_function_or_class_view():
    from django.views import View
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def hook(request):
        return None

    class Hook(View):
        @csrf_exempt
        def dispatch(self, *args, **kwargs):
            return super().dispatch(*args, **kwargs)

    assert _exempt(hook) and _exempt(Hook.as_view())
    assert not _exempt(lambda request: None)
