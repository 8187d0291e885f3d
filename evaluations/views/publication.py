"""Results published within a scope (三.六): the secretary chooses the scope, members within it see the list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import PublicationForm
from .common import attach, org_context


@login_required
def results_publication(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary sets how far the closed period's results reach (本组织党员 / 全校 / 社会公开) and whether scores
    are shown."""
    period = selectors.get_period_for_user(request.user, pk, to_manage=True)
    current = selectors.publication_of(period)
    initial = {"scope": current.scope, "show_scores": current.show_scores} if current else {}
    form = PublicationForm(initial=initial)
    if request.method == "POST":
        form = PublicationForm(request.POST)
        if form.is_valid():
            try:
                services.results_publish_scope_set(period=period, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                attach(form, e)
            else:
                messages.success(request, _("已设定考评结果的公布范围"))
                return redirect("evaluations:period_results", period.pk)
    return render(
        request,
        "evaluations/results_publication.html",
        org_context(request, period.organization, period=period, form=form, current=current),
        status=400 if form.errors else 200,
    )


def period_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The period's results as published: names, organizations and grades (scores only when chosen). Members see it
    within the chosen scope; with 社会公开 anyone may; otherwise it does not exist for them (404)."""
    period, publication = selectors.get_period_results_for_user(request.user, pk)
    closed = not period.is_open
    rows = selectors.published_results_rows(period, show_scores=bool(publication and publication.show_scores))
    return render(
        request,
        "evaluations/period_results.html",
        {
            "period": period,
            "org": period.organization,
            "publication": publication,
            "rows": rows if closed else [],
            "closed": closed,
            "can_manage": selectors.can_manage(request.user, period.organization),
        },
    )
