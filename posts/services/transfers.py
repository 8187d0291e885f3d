"""What follows a member who moves (组织关系转接) and the posts of an organization merged into another; the rule is
docs/policy.md (组织关系转接, 组织的合并与撤销). Called by organizations through posts.apps (organizations cannot see posts)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from organizations.models import Member, Organization

from ..enums import FulfilmentStatus
from ..models import Post, PostClaim


def _open(claim: PostClaim):
    return claim.commitments.filter(status=FulfilmentStatus.IN_PROGRESS)


def _post_in(post: Post, to: Organization, by) -> Post:
    """The post of the same year and name in `to`, set up with the same duties if it has none yet."""
    found, created = Post.objects.get_or_create(
        organization=to,
        year=post.year,
        name=post.name,
        defaults={"duties": post.duties, "role": post.role, "capacity": 1, "created_by": by},
    )
    if created:
        found.full_clean()
    elif found.claims.count() >= found.capacity:
        found.capacity = found.claims.count() + 1  # room for the one who comes with a commitment
        found.save(update_fields=["capacity"])
    return found


@transaction.atomic
def commitments_follow_member(*, member: Member, old: Organization, new: Organization | None, by) -> int:
    """Open (履诺中) commitments on posts of organizations the member has left move to the same post in `new`;
    commitments on posts of an organization that still holds `new`, and closed ones, stay. Out of the city (`new`
    None) nothing moves: the open ones stay in `old` with the transfer noted. Returns how many moved."""
    claims = PostClaim.objects.filter(member=member).select_related("post__organization")
    moved = 0
    for claim in claims:
        post_org = claim.post.organization
        if new is not None and new.path.startswith(post_org.path):
            continue  # a post of the school (or above) the member still belongs to
        open_ones = list(_open(claim))
        if new is None:
            for commitment in open_ones:
                commitment.status_note = (commitment.status_note + "\n" if commitment.status_note else "") + _(
                    "%(date)s 组织关系转出至%(to)s"
                ) % {"date": member.left_on, "to": member.left_to}
                commitment._change_reason = _("组织关系转出")
                commitment.save(update_fields=["status_note", "updated_at"])
            continue
        if open_ones:
            target, _created = PostClaim.objects.get_or_create(
                post=_post_in(claim.post, new, by), member=member, defaults={"how": claim.how, "by": by}
            )
            for commitment in open_ones:
                commitment.claim = target
                commitment._change_reason = _("随组织关系转接至%(name)s") % {"name": new.name}
                commitment.save(update_fields=["claim", "updated_at"])
                moved += 1
        if not claim.commitments.exists():
            claim.delete()  # a place on a post of the branch left, with nothing done on it
    return moved


@transaction.atomic
def posts_follow_merge(*, source: Organization, target: Organization) -> dict:
    """The merged organization's posts (with their claims and commitments) move to `target`; a post whose year and
    name `target` already uses is renamed “name（source）”."""
    taken = set(Post.objects.filter(organization=target).values_list("year", "name"))
    moved = 0
    for post in Post.objects.filter(organization=source):
        if (post.year, post.name) in taken:
            post.name = f"{post.name}（{source.name}）"[:60]
        post.organization = target
        post._change_reason = _("并入“%(name)s”") % {"name": target.name}
        post.full_clean()
        post.save(update_fields=["organization", "name"])
        moved += 1
    return {"posts": moved}
