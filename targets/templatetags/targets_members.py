"""The members a plan's 责任人 may be chosen from (a datalist: a member's name links the row to that person; other
text is still allowed for someone outside the roster)."""

from __future__ import annotations

from django import template

from organizations.models import Member

register = template.Library()

SHOWN = 500


@register.inclusion_tag("targets/_responsible_members.html")
def responsible_members(plan) -> dict:
    names = (
        Member.objects.filter(is_active=True, organization__path__startswith=plan.organization.path)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()[:SHOWN]
    )
    return {"names": list(names)}
