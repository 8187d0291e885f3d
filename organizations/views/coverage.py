"""Coverage (推广面): launched grassroots organizations towards 100%, and launching the 168 mechanism."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.pages import paginate

from .. import access, selectors, services
from ..enums import COMMITTEE_KINDS
from ..forms import (
    LaunchForm,
)
from .tree import org_context

UNITS_PAGE = 50  # rows of the table of units (a school committee may have thousands of branches)


@login_required
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    counties = list(selectors.children(org).filter(kind__in=COMMITTEE_KINDS))
    county = None
    county_pk = request.GET.get("county", "")
    if county_pk.isdigit():
        county = get_object_or_404(selectors.children(org), pk=int(county_pk))
    focus = county or org
    rows = Paginator(selectors.coverage_units(org, county=county), UNITS_PAGE).get_page(request.GET.get("units"))
    rows.object_list = selectors.coverage_of(list(rows.object_list))  # this page's units, counted in one query
    return render(
        request,
        "organizations/coverage.html",
        org_context(
            request,
            org,
            cov=selectors.coverage(focus),
            focus=focus,
            county=county,
            counties=counties,
            rows=rows,
            # the city's page sums up each county (县市区教育工委) first: a few rows, whatever the number of schools
            by_county=selectors.coverage_of(counties) if county is None else [],
            page=paginate(request, selectors.not_launched(focus)),
            extra_query=f"county={county.pk}" if county else "",
        ),
    )


@login_required
@require_POST
def launch(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk, to_edit=True)
    form = LaunchForm(request.POST)
    if form.is_valid():
        try:
            services.organization_launch(organization=org, launched_on=form.cleaned_data["launched_on"])
            messages.success(request, _("已保存推行日期"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, _("日期格式不正确"))
    return redirect("organizations:detail", pk=org.pk)
