"""Downloads: the ranked table (xlsx) and one organization's scorecard (PDF)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from machinery.xlsx import XLSX_TYPE
from organizations import access
from reports.views.common import attachment

from .. import exports, selectors
from .common import year_of


@login_required
def table_xlsx(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    year = year_of(request)
    ranking = selectors.ranking(org, year)
    return attachment(exports.ranking_xlsx(ranking), f"考评计分排名 {org.name} {year}年.xlsx", XLSX_TYPE)


@login_required
def card_pdf(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    year = year_of(request)
    scored, scheme, labels = selectors.card_for(org, year)
    return attachment(exports.card_pdf(scored, scheme, labels, year), f"考评计分 {org.name} {year}年.pdf",
                       "application/pdf")  # fmt: skip
