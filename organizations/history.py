"""The change-trail pages of 168, wired to the access rule (the trail itself: machinery.history).

Any app wires a "修改记录" tab for a model that has `history = HistoricalRecords()` in three steps:

1. a view: ``history_view(AnnualPlan, org_field="organization")`` (below) when the object reaches its organization
   through one field path, or by hand, fetching the object through organizations.access and refusing those who may
   not see its history, then ``history_page(request, obj, title=..., back_url=..., org=...)``;
2. a URL (``path("plans/<int:pk>/history/", views.plan_history, name="plan_history")``) and its access-matrix entry;
3. on the detail page, the tabs:
   ``{% include "history/_history_tabs.html" with active="detail" detail_url=... history_url=... %}``
   (guard it with ``{% if can_see_history %}``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from machinery import history as trail

from . import access, selectors


def history_page(
    request: HttpRequest, obj: models.Model, *, title: str, back_url: str, org=None, hidden: Iterable[str] = ()
) -> HttpResponse:
    """The trail of `obj` with the organization's breadcrumbs. The caller has already checked access."""
    crumbs = selectors.breadcrumbs(request.user, org) if org is not None else []
    return trail.history_page(request, obj, title=title, back_url=back_url, org=org, breadcrumbs=crumbs, hidden=hidden)


@login_required
def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    """修改记录 of a member: for secretaries and staff of the member's organization (and above), not the member."""
    member = access.get_member_for_user(request.user, pk)
    access.require(access.can_see_history(request.user, member.organization))
    hidden = () if access.can_see_phone(request.user, member) else ("phone",)
    return history_page(
        request,
        member,
        title=_("%(name)s 的修改记录") % {"name": member.name},
        back_url=member.get_absolute_url(),
        org=member.organization,
        hidden=hidden,
    )


def history_view(model: type[models.Model], *, org_field: str = "organization", hidden: Iterable[str] = ()):
    """A ready 修改记录 view for any model with history whose organization is reached through `org_field`
    (e.g. "plan__organization"): 404 outside the user's subtree, 403 for those who may not see the trail.

        path("plans/<int:pk>/history/", history_view(AnnualPlan), name="plan_history")
    """

    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        obj = access.get_for_user(model._default_manager.all(), request.user, pk, field=org_field)
        org = obj
        for part in org_field.split("__"):
            org = getattr(org, part)
        access.require(access.can_see_history(request.user, org))
        back_url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else org.get_absolute_url()
        return history_page(
            request,
            obj,
            title=_("%(name)s 的修改记录") % {"name": obj},
            back_url=back_url,
            org=org,
            hidden=hidden,
        )

    view.__name__ = f"{model._meta.model_name}_history"
    return view
