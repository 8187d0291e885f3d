"""{% annex_documents org year %}: on the annexes page, Annex 3 (the year's plan of the organization as a PDF flow)
and where Annex 4 and the 公开承诺书 of each member are (one per member: from the members' list of Annex 2)."""

from __future__ import annotations

from django import template

from targets.models import AnnualPlan

register = template.Library()


@register.inclusion_tag("reports/documents/_annexes_card.html")
def annex_documents(org, year: int) -> dict:
    plan = AnnualPlan.objects.filter(organization=org, year=year).first()
    return {"org": org, "year": year, "plan": plan}
