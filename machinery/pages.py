"""Pieces every app's pages share: pagination, and what the apps offer each other through AppConfig hooks (a lower
app shows a higher app's links without importing it)."""

from __future__ import annotations

from django.apps import apps
from django.core.paginator import Paginator
from django.http import HttpRequest

PAGE_SIZE = 30


PAGE_SIZES = (30, 50, 100)  # the rows per page a user may choose (?per=) on long lists


def page_size(request: HttpRequest, default: int = 50) -> int:
    """The rows per page the user chose, one of PAGE_SIZES (anything else: the default)."""
    try:
        asked = int(request.GET.get("per", default))
    except (TypeError, ValueError):
        return default
    return asked if asked in PAGE_SIZES else default


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class OpenPage:
    """One page of a list that is not counted: the page's rows and one more, which only says a next page exists.
    Shaped like Django's Page for _pagination.html (which shows “第 n 页” without a total for it)."""

    open_ended = True

    def __init__(self, queryset, number: int, per_page: int):
        self.number = number
        start = (number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def paginate_open(request: HttpRequest, queryset, per_page: int = PAGE_SIZE, max_page: int = 10_000) -> OpenPage:
    """The asked page of a long list without COUNT(*) over it (a city's members): a next link, no last page."""
    try:
        number = min(max(int(request.GET.get("page", 1)), 1), max_page)
    except (TypeError, ValueError):
        number = 1
    return OpenPage(queryset, number, per_page)


def app_offers(hook: str, *args) -> list:
    """Collect what every app offers through an optional AppConfig method `hook` (lower apps know no higher one)."""
    offered: list = []
    for config in apps.get_app_configs():
        method = getattr(config, hook, None)
        if method is not None:
            offered.extend(method(*args))
    return sorted(offered, key=lambda item: item.get("order", 50) if isinstance(item, dict) else 50)
