"""按需设岗 and 因人择岗: setting the organization's posts (typical ones copied in), claims and assignments, and each
post's number of people."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from machinery.locking import save_versioned
from organizations.models import Member, Organization
from years.selectors import ensure_year_writable

from ..enums import TYPICAL_POSTS, ClaimHow, CommitmentState
from ..models import Commitment, Post, PostClaim
from ._common import check_member_fits, put_on_post

# ---- posts (按需设岗) -----------------------------------------------------------------------------------------------


@transaction.atomic
def post_create(*, organization: Organization, by, year: int, name: str, duties: str, role: str, capacity: int,
                target_items=()) -> Post:
    """A new post of the organization for the year; the name is unique per organization and year."""
    ensure_year_writable(year)
    name = (name or "").strip()
    if Post.objects.filter(organization=organization, year=year, name=name).exists():
        raise ValidationError({"name": _("本年度已有同名岗位")})
    post = Post(organization=organization, created_by=by, year=year, name=name, duties=duties.strip(), role=role,
                capacity=capacity)
    post.full_clean()
    post.save()
    if target_items:
        post.target_items.set(target_items)
    return post


@transaction.atomic
def post_update(
    *, post: Post, name: str, duties: str, role: str, capacity: int, target_items=None, expected_version=None
) -> Post:
    """Change a post; refuses a name another post of the same year already has, and a save made from a page opened
    before someone else's save (`expected_version` is the version the page showed; ValidationError(STALE_MESSAGE))."""
    ensure_year_writable(post.year)
    name = (name or "").strip()
    if Post.objects.filter(organization=post.organization_id, year=post.year, name=name).exclude(pk=post.pk).exists():
        raise ValidationError({"name": _("本年度已有同名岗位")})
    post.name, post.duties, post.role, post.capacity = name, duties.strip(), role, capacity
    post.full_clean()
    if expected_version is None:  # a caller without a page (demo data, imports) edits the post as loaded
        expected_version = post.version
    save_versioned(post, fields=["name", "duties", "role", "capacity"], expected_version=expected_version)
    if target_items is not None:
        post.target_items.set(target_items)
    return post


@transaction.atomic
def post_delete(*, post: Post) -> None:
    """Remove a post nobody has committed on yet."""
    ensure_year_writable(post.year)
    if Commitment.objects.filter(claim__post=post).exclude(state=CommitmentState.DRAFT).exists():
        raise ValidationError(_("该岗位已有提交的承诺，不能删除"))
    post.delete()


@transaction.atomic
def posts_copy_typical(*, organization: Organization, by, year: int, names: list[str]) -> list[Post]:
    """Copy the chosen typical posts (典型岗位) into the organization's year; names it already has are skipped."""
    ensure_year_writable(year)
    if not names:
        raise ValidationError(_("请至少选择一个典型岗位"))
    have = set(Post.objects.filter(organization=organization, year=year).values_list("name", flat=True))
    created = []
    for name, duties, role in TYPICAL_POSTS:
        if name in names and name not in have:
            created.append(post_create(organization=organization, by=by, year=year, name=name, duties=duties,
                                       role=role, capacity=2))
    if not created:
        raise ValidationError(_("所选典型岗位本年度都已设置"))
    return created


# ---- claims (因人择岗) ----------------------------------------------------------------------------------------------


def _check_room(post: Post, *, full_message: str) -> None:
    """A full post takes nobody more. The post row is locked first, so two claims of the last place at the same
    moment cannot both pass; people who left the roster hold no place (Post.people_on)."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    taken = locked.people_on()
    if taken >= locked.capacity:
        raise ValidationError(full_message % {"n": taken, "capacity": locked.capacity}, code="full")


@transaction.atomic
def post_claim(*, post: Post, member: Member, by) -> PostClaim:
    """The member claims the post. One person may take several posts; a full post refuses (the secretary may raise
    its number of people first)."""
    ensure_year_writable(post.year)
    check_member_fits(post, member)
    _check_room(post, full_message=_("该岗位已满（%(n)s/%(capacity)s），如需增加人数请联系书记调整岗位人数"))
    return put_on_post(post, member, by, ClaimHow.CLAIMED)


@transaction.atomic
def post_assign(*, post: Post, member: Member, by) -> PostClaim:
    """The secretary puts a member of the organization on the post; a full post refuses until its number of people
    is raised."""
    ensure_year_writable(post.year)
    check_member_fits(post, member)
    _check_room(post, full_message=_("该岗位已满（%(n)s/%(capacity)s），如需增加人数请先修改岗位的需要人数"))
    return put_on_post(post, member, by, ClaimHow.ASSIGNED)


@transaction.atomic
def claim_remove(*, claim: PostClaim) -> None:
    """Take a person off a post while nothing but drafts was written on it."""
    ensure_year_writable(claim.post.year)
    if claim.commitments.exclude(state=CommitmentState.DRAFT).exists():
        raise ValidationError(_("该岗位已有提交的承诺，不能撤销认岗"))
    claim.delete()
