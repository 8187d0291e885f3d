"""Coverage (推广面): launched grassroots organizations towards 100%, and launching the 168 mechanism."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machinery.pages import PAGE_SIZE

from .. import access, selectors, services
from ..enums import COMMITTEE_KINDS
from ..forms import (
    LaunchForm,
)
from ..models import Organization
from .tree import org_context

UNITS_PAGE = 50  # rows of the table of units (a school committee may have thousands of branches)
NOT_LAUNCHED_FIELDS = ("pk", "path", "name", "school_name", "kind")  # what the list of those not launched shows


@login_required
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    county_pk = request.GET.get("county", "")
    county_pk = int(county_pk) if county_pk.isdigit() else None
    if county_pk is None:
        # one grouped count gives every child's figures, the organization's and which children hold grassroots ones
        counted = selectors.coverage_by_child(org)
        width = len(org.path) + Organization.steplen
        cov = selectors.coverage_figures(sum(t for t, _ in counted.values()), sum(n for _, n in counted.values()))
        rows = Paginator(sorted(p for p in counted if len(p) == width), UNITS_PAGE).get_page(request.GET.get("units"))
        on_page = set(rows.object_list)
        # the counties (for the filter and the summary) and this page's units, read together
        kids = list(selectors.children(org).filter(Q(kind__in=COMMITTEE_KINDS) | Q(path__in=on_page)))
        rows.object_list = [selectors.coverage_row(k, *counted[k.path]) for k in kids if k.path in on_page]
        counties = [k for k in kids if k.kind in COMMITTEE_KINDS]
        # the city's page sums up each county (县市区教育工委) first: a few rows, whatever the number of schools
        by_county = [selectors.coverage_row(c, *counted[c.path]) for c in counties if c.path in counted]
        county, focus = None, org
    else:
        kids = list(selectors.children(org).filter(Q(kind__in=COMMITTEE_KINDS) | Q(pk=county_pk)))
        county = next((k for k in kids if k.pk == county_pk), None)
        if county is None:
            raise Http404
        counties = [k for k in kids if k.kind in COMMITTEE_KINDS]
        focus, by_county = county, []
        cov = selectors.coverage(county)
        # the one county is its own unit (when it holds grassroots organizations): its figures are cov's
        rows = Paginator([county] if cov["total"] else [], UNITS_PAGE).get_page(request.GET.get("units"))
        rows.object_list = [selectors.coverage_row(c, cov["total"], cov["launched"]) for c in rows.object_list]
    missing = Paginator(selectors.not_launched(focus).only(*NOT_LAUNCHED_FIELDS), PAGE_SIZE)
    missing.count = cov["missing"]  # counted above already
    return render(
        request,
        "organizations/coverage.html",
        org_context(
            request,
            org,
            cov=cov,
            focus=focus,
            county=county,
            counties=counties,
            rows=rows,
            by_county=by_county,
            page=missing.get_page(request.GET.get("page")),
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
