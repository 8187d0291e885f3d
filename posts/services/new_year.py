"""A new year from the last: last year's posts copied with the people still on the roster, and the year's plan and
posts started together."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from organizations.models import Organization
from targets.models import TargetItem
from targets.services import PlanStart, plan_start_from_previous
from years.selectors import ensure_year_writable

from ..enums import ClaimHow
from ..models import Post, PostClaim
from ._common import put_on_post
from .posts import post_create


@dataclass
class PostsCopy:
    """What posts_copy_from_year made: the new posts, the people kept on them, the people left off (no longer active
    members of the subtree: name and post) and the names skipped because the new year already has them."""

    posts: list[Post] = field(default_factory=list)
    claims: list[PostClaim] = field(default_factory=list)
    left_off: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def posts_copy_from_year(*, organization: Organization, from_year: int, to_year: int, by) -> PostsCopy:
    """Copy the organization's own posts of `from_year` into `to_year`. Posts are per year (Post.year), so “copied as
    drafts” means: new posts of `to_year` with the same name, duties, role and capacity, where nothing is committed
    yet. Guarantees:
    - a person on last year's post is put on the new one (as arranged by the organization) only while still an active
      member of the organization's subtree; the others are listed in `left_off`;
    - commitments, reviews, duty logs and reports are NOT copied: each person writes this year's commitments anew
      (承诺亮岗 starts over for everyone);
    - a post that served last year's target items serves their copies in `to_year` (TargetItem.copied_from), when the
      plan was started from last year; links to rows that were not copied are dropped;
    - a name the new year already has is skipped (listed in `skipped`); last year's posts are not changed.
    Refuses, writing nothing, when `to_year` is archived or not after `from_year`, when `from_year` has no posts,
    or when every one of them already exists in `to_year`."""
    ensure_year_writable(to_year)
    if to_year <= from_year:
        raise ValidationError(_("只能把岗位复制到以后的年度"))
    old_posts = list(
        Post.objects.filter(organization=organization, year=from_year)
        .prefetch_related("target_items", Prefetch("claims", queryset=PostClaim.objects.select_related("member__organization")))
        .order_by("name", "pk")
    )
    if not old_posts:
        raise ValidationError(_("%(year)s年度没有设置岗位，无可复制") % {"year": from_year})
    have = set(Post.objects.filter(organization=organization, year=to_year).values_list("name", flat=True))
    result = PostsCopy(skipped=[p.name for p in old_posts if p.name in have])
    if len(result.skipped) == len(old_posts):
        raise ValidationError(_("%(from)s年度的岗位在%(to)s年度都已设置") % {"from": from_year, "to": to_year})
    old_item_ids = {item.pk for post in old_posts for item in post.target_items.all()}
    copies = dict(
        TargetItem.objects.filter(copied_from__in=old_item_ids, plan__year=to_year).values_list("copied_from", "pk")
    )
    for old in old_posts:
        if old.name in have:
            continue
        post = post_create(
            organization=organization, by=by, year=to_year, name=old.name, duties=old.duties, role=old.role,
            capacity=old.capacity,
            target_items=[copies[i.pk] for i in old.target_items.all() if i.pk in copies],
        )  # fmt: skip
        result.posts.append(post)
        for claim in old.claims.all():
            member = claim.member
            if member.is_active and member.organization.path.startswith(organization.path):
                result.claims.append(put_on_post(post, member, by, ClaimHow.ASSIGNED))
            else:
                result.left_off.append((member.name, post.name))
    return result


@dataclass
class YearStart:
    """The plan started from last year's (targets.services.PlanStart) and the posts copied (None: none last year)."""

    plan: PlanStart
    posts: PostsCopy | None


@transaction.atomic
def year_start_from_previous(*, organization: Organization, year: int, by) -> YearStart:
    """以上一年度为基础新建本年度计划和岗位: targets' plan_start_from_previous, then posts_copy_from_year from the year
    before (skipped when that year has no post the new year lacks), in one transaction: a refusal of either writes nothing at all."""
    plan = plan_start_from_previous(organization=organization, year=year, by=by)
    posts = None
    if posts_to_copy(organization=organization, from_year=year - 1, to_year=year):
        posts = posts_copy_from_year(organization=organization, from_year=year - 1, to_year=year, by=by)
    return YearStart(plan=plan, posts=posts)


def posts_to_copy(*, organization: Organization, from_year: int, to_year: int) -> bool:
    """Whether `from_year` has a post of the organization whose name `to_year` does not have yet."""
    have = Post.objects.filter(organization=organization, year=to_year).values("name")
    return Post.objects.filter(organization=organization, year=from_year).exclude(name__in=have).exists()
