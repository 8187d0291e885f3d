"""The home page, the organization tree and an organization's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from machinery.pages import app_offers, paginate

from .. import access, selectors
from ..models import Organization, RoleAssignment


@login_required
def home(request: HttpRequest) -> HttpResponse:
    assignments = (
        RoleAssignment.objects.filter(user=request.user).select_related("organization").order_by("organization__path")
    )
    return render(
        request,
        "organizations/home.html",
        {"assignments": assignments, "own_member": access.own_member(request.user)},
    )


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
    return render(request, "organizations/_children.html", {"nodes": selectors.children(org)})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    return render(
        request,
        "organizations/detail.html",
        {
            "org": org,
            "breadcrumbs": selectors.breadcrumbs(request.user, org),
            "children": selectors.children(org),
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
            "breadcrumbs": selectors.breadcrumbs(request.user, member.organization)
            + ([member.organization] if access.is_visible(request.user, member.organization) else []),
        },
    )


def org_context(request, org: Organization, **extra) -> dict:
    """The context every page about one organization starts from: the organization and its breadcrumbs."""
    return {"org": org, "breadcrumbs": selectors.breadcrumbs(request.user, org), **extra}
