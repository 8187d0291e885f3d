"""导出Excel beside the evaluation tables: a period's published results and the year-end roll-up, with each page's
own access rule (a sibling's is 404, as the page is)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from machinery.xlsx import xlsx_response

from .. import exports, selectors


def period_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may read the published list (社会公开: anyone) may take it away as a workbook."""
    period, publication = selectors.get_period_results_for_user(request.user, pk)
    return xlsx_response(exports.period_results_xlsx(period, publication), exports.period_results_filename(period))


@login_required
def year_end_xlsx(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    org = selectors.get_org(request.user, org_pk)
    return xlsx_response(exports.year_end_xlsx(request.user, org, year), exports.year_end_filename(org, year))
