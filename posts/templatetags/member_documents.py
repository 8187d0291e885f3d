"""{% member_documents member year as links %}: the documents apps above posts make of a member's year (e.g. the
Annex 4 and 公开承诺书 PDFs), as AppConfig.member_documents(request, member, year) → [{"label", "url", "icon"}]."""

from __future__ import annotations

from django import template

from machinery.pages import app_offers

register = template.Library()


@register.simple_tag(takes_context=True)
def member_documents(context, member, year: int) -> list[dict]:
    return app_offers("member_documents", context["request"], member, year)
