"""{% plan_start_offers org %}: the offer to start this year's plan from last year's (以上一年度计划为基础新建).

A tag rather than view context so that every page listing plans shows the same offer from the same selector. Apps
above targets may offer a fuller action (AppConfig.plan_start_actions(org, year) → [{"label", "url"}], e.g. posts:
plan and posts at once); without one, targets' own plan-only action is offered."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from machinery.pages import app_offers
from organizations import access
from organizations.enums import SECRETARY_ROLES
from organizations.models import Organization

from .. import selectors

register = template.Library()


def offers_for(org: Organization) -> list[dict]:
    rows = []
    for year, previous in selectors.start_offers(org):
        actions = app_offers("plan_start_actions", org, year) or [
            {"label": _("以上一年度计划为基础新建"), "url": reverse("targets:plan_start", args=[org.pk])}
        ]
        rows.append({"org": org, "year": year, "previous": previous, "actions": actions})
    return rows


@register.inclusion_tag("targets/_start_offers.html", takes_context=True)
def plan_start_offers(context, org: Organization | None = None) -> dict:
    """For `org` when the user may change it; without `org`, for the organizations the user is secretary of."""
    user = context["request"].user
    if org is not None:
        orgs = [org] if access.can_edit(user, org) else []
    else:
        ids = [g.organization_id for g in access.grants(user) if g.role in SECRETARY_ROLES]
        orgs = list(Organization.objects.filter(pk__in=ids).order_by("path")) if ids else []
    return {"offers": [row for o in orgs for row in offers_for(o)], "show_org": org is None}
