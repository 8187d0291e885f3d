"""Pieces every app's pages share: pagination, and what the apps offer each other through AppConfig hooks (a lower
app shows a higher app's links without importing it)."""

from __future__ import annotations

from django.apps import apps
from django.core.paginator import Paginator
from django.http import HttpRequest

PAGE_SIZE = 30


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def app_offers(hook: str, *args) -> list:
    """Collect what every app offers through an optional AppConfig method `hook` (lower apps know no higher one)."""
    offered: list = []
    for config in apps.get_app_configs():
        method = getattr(config, hook, None)
        if method is not None:
            offered.extend(method(*args))
    return sorted(offered, key=lambda item: item.get("order", 50) if isinstance(item, dict) else 50)
