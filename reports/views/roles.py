"""八个方面的作用: per role, which target items, posts and members carry it (read-only, secretaries and committees)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from organizations import access
from organizations.enums import EightRole
from organizations.selectors import breadcrumbs

from ..roles import role_detail, role_summary


@login_required
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organization_for_user(request.user, pk)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    role = request.GET.get("role") if request.GET.get("role") in EightRole.values else EightRole.PARTY_CORE.value
    context = {
        "org": org,
        "breadcrumbs": breadcrumbs(request.user, org),
        "year": year,
        "role": role,
        "role_label": EightRole(role).label,
        "summary": role_summary(org, year),
        **role_detail(org, year, role),
    }
    return render(request, "reports/roles.html", context)
