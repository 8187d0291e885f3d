"""The guide's pages: the index of guides and one guide, its steps linked to the reader's own organization."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from organizations import access

from .content import BY_SLUG, GUIDES, Guide


def _own_org_id(user, roles: tuple[str, ...]) -> int | None:
    """The reader's organization in one of the guide's roles; a reader of another role's guide gets its steps
    without links into an organization (their own would be the wrong kind of page for those steps)."""
    for grant in access.grants(user):
        if grant.role in roles:
            return grant.organization_id
    return None


def resolve_steps(user, guide: Guide) -> list[tuple[str, list[dict]]]:
    org_id = _own_org_id(user, guide.roles)
    phases = []
    for name, steps in guide.phases:
        rows = []
        for step in steps:
            url = ""
            if step.url_name and (not step.needs or org_id is not None):
                url = reverse(step.url_name, args=[org_id] if step.needs else [])
            rows.append({"text": step.text, "url": url})
        phases.append((name, rows))
    return phases


def guide_for(user) -> Guide | None:
    roles = {g.role for g in access.grants(user)}
    for guide in GUIDES:
        if roles & set(guide.roles):
            return guide
    return None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "guide/index.html", {"guides": GUIDES, "mine": guide_for(request.user)})


@login_required
def role(request: HttpRequest, slug: str) -> HttpResponse:
    guide = BY_SLUG.get(slug)
    if guide is None:
        raise Http404
    shots = [(f"guide/{name}", caption) for name, caption in guide.screenshots if finders.find(f"guide/{name}")]
    return render(
        request,
        "guide/role.html",
        {"guide": guide, "phases": resolve_steps(request.user, guide), "shots": shots, "guides": GUIDES},
    )
