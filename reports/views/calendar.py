"""The calendar progress page of a committee or school: per rating window and per child subtree, who opened the
period, how far the parts went, and who is late."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from machinery.params import year_param
from organizations import access
from organizations.selectors import breadcrumbs
from years.selectors import current_year

from ..progress import calendar_progress


@login_required
def calendar_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    year = year_param(request, current_year())
    return render(
        request,
        "reports/calendar_progress.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(request.user, org),
            "year": year,
            "windows": calendar_progress(org, year),
        },
    )
