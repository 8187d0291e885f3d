from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from machinery.params import FIRST_YEAR, int_param


def year_of(request: HttpRequest) -> int:
    """?year= up to this year (a year not begun has nothing to score); this year when missing or wrong."""
    this = timezone.localdate().year
    return int_param(request, "year", this, lo=FIRST_YEAR, hi=this)


def years_offered() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, max(FIRST_YEAR, this - 5) - 1, -1))
