"""{% plan_documents plan as links %}: the documents apps above targets make of a plan (e.g. the Annex 3 PDF), as
AppConfig.plan_documents(request, plan) → [{"label", "url", "icon"}]. targets knows none of them."""

from __future__ import annotations

from django import template

from machinery.pages import app_offers

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_documents(context, plan) -> list[dict]:
    return app_offers("plan_documents", context["request"], plan)
