"""The ranked table of a committee's (or school's) subtree and an organization's own scorecard."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from machinery.pages import PAGE_SIZES, page_size, paginate
from organizations import access
from organizations.enums import MANAGING_ROLES
from organizations.models import Organization

from .. import selectors
from ..indicators import BY_CODE
from .common import year_of, years_offered


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The user's top organization: its ranked table (or its own card when nothing lies below it)."""
    grants = sorted((g for g in access.grants(request.user) if g.role in MANAGING_ROLES), key=lambda g: g.path)
    if access.is_superuser(request.user):
        top = Organization.get_root_nodes().first()
        if top is not None:
            return redirect("scorecards:table", top.pk)
    if not grants:
        raise Http404
    return redirect("scorecards:table", grants[0].organization_id)


def links(org, year: int) -> dict[str, str]:
    """The records behind each indicator: the organization's page of them, for the year."""
    out = {}
    for code, ind in BY_CODE.items():
        base = reverse(ind.url_name, args=[org.pk]) if ind.url_takes_org else reverse(ind.url_name)
        out[code] = f"{base}?year={year}"
    return out


@login_required
def table(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    year = year_of(request)
    ranking = selectors.ranking(org, year, detail=False)
    if not ranking.rows:
        return redirect(f"{_card_url(org)}?year={year}")
    per = page_size(request, default=30)
    page = paginate(request, ranking.rows, per)
    selectors.detail_rows(ranking, page.object_list)
    ancestors = [a for a in Organization.objects.get_ancestors(org) if access.is_visible(request.user, a)]
    return render(request, "scorecards/table.html", {
        "org": org, "year": year, "years": years_offered(), "ranking": ranking, "ancestors": ancestors,
        "can_set": org.is_committee and access.is_staff_of(request.user, org), "page": page, "per": per,
        "sizes": PAGE_SIZES, "extra_query": urlencode({"year": year, "per": per}),
    })  # fmt: skip


def _card_url(org) -> str:
    return reverse("scorecards:card", args=[org.pk])


@login_required
def card(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, org_pk)
    year = year_of(request)
    scored, scheme, labels = selectors.card_for(org, year)
    urls = links(org, year)
    for r in scored.card.results:
        r.url = urls[r.code]
    raise_list = sorted((r for r in scored.card.results if r.raise_text), key=lambda r: -r.lost)
    ancestors = [a for a in Organization.objects.get_ancestors(org) if access.is_visible(request.user, a)]
    return render(request, "scorecards/card.html", {
        "org": org, "year": year, "years": years_offered(), "scored": scored, "scheme": scheme,
        "trend": list(zip(labels, scored.trend, strict=True)), "raise_list": raise_list, "ancestors": ancestors,
    })  # fmt: skip
