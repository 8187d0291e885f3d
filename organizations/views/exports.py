"""导出Excel beside the organizations' lists: the member list and the coverage page, same scope and filters as the
page (a sibling's is 404, as the page is)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy

from machinery.pages import app_offers
from machinery.xlsx import xlsx_response

from .. import access, exports, selectors
from ..audit import records_download


@login_required
@records_download(gettext_lazy("党员名册"))
def members_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The member list with the page's filters, every page. A list longer than MEMBERS_BACKGROUND_ROWS (a city's) is
    made in the background where an app offers that (reports: an export job whose page shows the download)."""
    org = access.get_organization_for_user(request.user, pk)
    params = exports.member_params(request.GET)
    if exports.members_query(request.user, org, params).count() > exports.MEMBERS_BACKGROUND_ROWS:
        for url in app_offers("background_export", request, org, "members", params):
            return redirect(url)
    return xlsx_response(exports.members_xlsx(request.user, org, params), exports.members_filename(org))


@login_required
def coverage_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    county = None
    county_pk = request.GET.get("county", "")
    if county_pk.isdigit():
        county = get_object_or_404(selectors.children(org), pk=int(county_pk))
    return xlsx_response(exports.coverage_xlsx(org, county), exports.coverage_filename(county or org))
