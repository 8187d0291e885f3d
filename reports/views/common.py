from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from ..selectors import current_quarter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def year_quarter(request: HttpRequest) -> tuple[int, int]:
    """?year=&quarter= from the query string, the current quarter when missing or wrong."""
    year, quarter = current_quarter()
    try:
        y = int(request.GET.get("year", year))
        q = int(request.GET.get("quarter", quarter))
    except (TypeError, ValueError):
        return year, quarter
    if 2012 <= y <= 2100 and 1 <= q <= 4:
        return y, q
    return year, quarter


def year_of(request: HttpRequest) -> int:
    year, _q = current_quarter()
    try:
        y = int(request.GET.get("year", year))
    except (TypeError, ValueError):
        return year
    return y if 2012 <= y <= 2100 else year


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response
