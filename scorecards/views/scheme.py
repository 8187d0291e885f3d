"""A committee sets its scorecard scheme for the year (or takes the one of the committee above)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from machinery.forms import add_service_errors
from organizations import access

from .. import selectors, services
from ..forms import SchemeForm
from ..indicators import INDICATORS
from .common import year_of


@login_required
def scheme(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    access.require(org.is_committee and access.is_staff_of(request.user, org))
    year = year_of(request)
    own = selectors.own_scheme(org, year)
    in_force = selectors.scheme_for(org, year)
    initial = {"inherit": own.inherit if own else False, "version": own.version if own else None}
    if request.method == "POST":
        form = SchemeForm(request.POST, items=in_force.items)
        if form.is_valid():
            try:
                services.scheme_set(
                    organization=org, year=year, items=form.items(), inherit=form.cleaned_data["inherit"],
                    by=request.user, expected_version=form.cleaned_data["version"],
                )  # fmt: skip
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("考评计分方案已保存"))
                return redirect(f"{request.path}?year={year}")
        status = 400
    else:
        form = SchemeForm(initial=initial, items=in_force.items)
        status = 200
    return render(request, "scorecards/scheme.html", {
        "org": org, "year": year, "form": form, "own": own, "in_force": in_force, "indicators": INDICATORS,
    }, status=status)  # fmt: skip
