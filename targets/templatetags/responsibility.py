"""{% responsibility_of org year as r %}: the organization's 责任制 list (targets.responsibility), for the plan page,
the 任务分解 step (Annex 1 on screen) and the annexes page."""

from django import template

from ..responsibility import responsibility_list

register = template.Library()


@register.simple_tag
def responsibility_of(org, year):
    return responsibility_list(org, int(year))
