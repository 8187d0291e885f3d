from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from machinery.params import FIRST_YEAR, LAST_YEAR, int_param, year_param

from ..selectors import current_quarter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def year_quarter(request: HttpRequest) -> tuple[int, int]:
    """?year=&quarter= from the query string, the current quarter when missing or wrong."""
    year, quarter = current_quarter()
    y = int_param(request, "year", None, lo=FIRST_YEAR, hi=LAST_YEAR)
    q = int_param(request, "quarter", None, lo=1, hi=4)
    return (y, q) if y is not None and q is not None else (year, quarter)


def year_of(request: HttpRequest) -> int:
    return year_param(request, current_quarter()[0])


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response
