"""{% posts_year_offer org year can_edit posts %}: on the posts page of a year without posts, the offer to start from
last year (plan and posts at once when the year has no plan yet, else the posts alone). `posts`: the year's posts the
page has already read (without it, whether there are any is asked)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from targets.selectors import plan_to_start_from

from ..models import Post
from ..services import posts_to_copy

register = template.Library()


@register.inclusion_tag("posts/_year_offer.html")
def posts_year_offer(org, year: int, can_edit: bool, posts=None) -> dict:
    if not can_edit:
        return {"action": None}
    if posts is not None and len(posts) or posts is None and Post.objects.filter(organization=org, year=year).exists():
        return {"action": None}
    if not posts_to_copy(organization=org, from_year=year - 1, to_year=year):
        return {"action": None}
    if plan_to_start_from(org, year) is not None:
        action = {"label": _("以上一年度为基础新建本年度计划和岗位"), "url": reverse("posts:year_start", args=[org.pk])}
    else:
        action = {"label": _("复制上一年度岗位"), "url": reverse("posts:posts_copy_year", args=[org.pk])}
    return {"action": action, "year": year, "previous": year - 1}
