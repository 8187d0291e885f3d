"""Login helpers."""

from __future__ import annotations

USERNAME_MAX = 150  # django.contrib.auth's username length


def axes_username(request, credentials: dict | None = None) -> str:
    """The username django-axes records for a login attempt: as typed, but never longer than a username can be and
    without NUL characters, so that a hostile form cannot break the lockout record (PostgreSQL refuses both)."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    value = source.get("username") or ""
    if not isinstance(value, str):
        value = str(value)
    return value.replace("\x00", "")[:USERNAME_MAX]
