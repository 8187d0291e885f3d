"""The organization tree and an organization's page (the home page is the work list, reports.views.home)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from machinery.pages import app_offers, paginate

from .. import access, selectors
from ..forms import org_label
from ..models import Organization

CHILDREN_PAGE = 50


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:50]
    if text:
        page = paginate(request, selectors.search_organizations(request.user, text))
        return render(request, "organizations/tree.html", {"q": text, "page": page, "roots": None})
    roots = selectors.tree_roots(request.user)
    return render(request, "organizations/tree.html", {"q": "", "roots": roots, "page": None})


@login_required
def children(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    nodes = paginate(request, selectors.children(org), CHILDREN_PAGE)
    # a later page is added to the list already shown (“下一页” in the tree), without a new <ul>
    template = "organizations/_children_items.html" if nodes.number > 1 else "organizations/_children.html"
    return render(request, template, {"nodes": nodes, "parent": org})


@login_required
def organization_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The search box of an organization chooser (OrgSearchWidget): at most 20 matches below the organization, as
    radio buttons named after the form's field."""
    org = access.get_organization_for_user(request.user, pk, to_edit=True)
    field = request.GET.get("field", "organization")
    field = field if field.isidentifier() and len(field) <= 40 else "organization"
    text = request.GET.get(f"{field}_q", "").strip()[:50]
    grassroots_only = request.GET.get("scope") == "grassroots"
    units = selectors.search_units_below(request.user, org, text, grassroots_only=grassroots_only)
    rows = [{"pk": unit.pk, "label": org_label(unit)} for unit in units]
    return render(request, "organizations/_org_search_results.html", {"units": rows, "field": field, "q": text})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    return render(
        request,
        "organizations/detail.html",
        {
            "org": org,
            "breadcrumbs": selectors.breadcrumbs(request.user, org),
            "children": paginate(request, selectors.children(org), CHILDREN_PAGE),
            "can_edit": access.can_edit(request.user, org),
            "highest": selectors.highest_per_track(org),
            "demonstrations": org.demonstrations.select_related("designated_by"),
            # links into each app's pages for this organization: AppConfig.org_links(request, org)
            "org_links": app_offers("org_links", request, org),
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, pk)
    return render(
        request,
        "organizations/member_detail.html",
        {
            "member": member,
            "show_phone": access.can_see_phone(request.user, member),
            "can_see_history": access.can_see_history(request.user, member.organization),
            "can_edit_member": member.user_id == request.user.pk or access.can_edit(request.user, member.organization),
            "can_invite": access.is_secretary_of(request.user, member.organization),
            "can_move": member.is_active
            and member.user_id != request.user.pk
            and access.can_edit(request.user, member.organization),
            "breadcrumbs": selectors.breadcrumbs(request.user, member.organization)
            + ([member.organization] if access.is_visible(request.user, member.organization) else []),
        },
    )


def org_context(request, org: Organization, **extra) -> dict:
    """The context every page about one organization starts from: the organization and its breadcrumbs."""
    return {"org": org, "breadcrumbs": selectors.breadcrumbs(request.user, org), **extra}
