"""Query-string parameters read the same way on every page: a wrong or missing value falls back, never a 500."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

FIRST_YEAR = 2012  # the year of 泉委教组〔2012〕6号
LAST_YEAR = 2100


def int_param(request: HttpRequest, name: str, default: int | None, *, lo: int, hi: int) -> int | None:
    """The integer ?name= if it parses and lies in [lo, hi], else `default`."""
    try:
        value = int(request.GET.get(name, ""))
    except (TypeError, ValueError):
        return default
    return value if lo <= value <= hi else default


def year_param(request: HttpRequest, default: int | None = None) -> int:
    """?year=, else `default`, else this year (Asia/Shanghai)."""
    fallback = default if default is not None else timezone.localdate().year
    return int_param(request, "year", fallback, lo=FIRST_YEAR, hi=LAST_YEAR)
