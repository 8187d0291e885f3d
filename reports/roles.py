"""八个方面的作用 at a glance: for each of the eight roles, the target items (附件1) assigned to it, the posts that
serve it and the members grouped under it, in an organization's subtree and year. Reads only; constant queries."""

from __future__ import annotations

from django.db.models import Avg, Count

from organizations.enums import EightRole
from organizations.models import Member, Organization
from posts.models import Post, PostClaim
from targets.models import TargetItem

LIST_LIMIT = 50


def _counts(qs, **aggregates) -> dict[str, dict]:
    return {row["role"]: row for row in qs.order_by().values("role").annotate(**aggregates)}


def role_summary(root: Organization, year: int) -> list[dict]:
    """One row per role: target items (and their average completion), posts, people on them, members (4 queries)."""
    items = _counts(
        TargetItem.objects.filter(plan__organization__path__startswith=root.path, plan__year=year),
        n=Count("pk"), avg=Avg("percent"),
    )  # fmt: skip
    posts = _counts(Post.objects.filter(organization__path__startswith=root.path, year=year), n=Count("pk"))
    people = {
        row["post__role"]: row["n"]
        for row in PostClaim.objects.filter(post__organization__path__startswith=root.path, post__year=year)
        .order_by().values("post__role").annotate(n=Count("member", distinct=True))
    }  # fmt: skip
    members = {
        row["role_group"]: row["n"]
        for row in Member.objects.filter(organization__path__startswith=root.path, is_active=True)
        .order_by().values("role_group").annotate(n=Count("pk"))
    }  # fmt: skip
    return [
        {
            "role": role.value,
            "label": role.label,
            "items": items.get(role.value, {}).get("n", 0),
            "percent": round(items.get(role.value, {}).get("avg") or 0),
            "posts": posts.get(role.value, {}).get("n", 0),
            "people": people.get(role.value, 0),
            "members": members.get(role.value, 0),
        }
        for role in EightRole
    ]


def role_detail(root: Organization, year: int, role: str) -> dict:
    """The target items, posts (with how many hold each) and members of one role, at most LIST_LIMIT of each."""
    items = (
        TargetItem.objects.filter(plan__organization__path__startswith=root.path, plan__year=year, role=role)
        .select_related("plan", "plan__organization")
        .order_by("plan__organization__path", "position", "pk")[:LIST_LIMIT]
    )
    posts = (
        Post.objects.filter(organization__path__startswith=root.path, year=year, role=role)
        .select_related("organization")
        .annotate(n_people=Count("claims__member", distinct=True))
        .order_by("organization__path", "name", "pk")[:LIST_LIMIT]
    )
    members = (
        Member.objects.filter(organization__path__startswith=root.path, is_active=True, role_group=role)
        .select_related("organization")
        .order_by("organization__path", "name", "pk")[:LIST_LIMIT]
    )
    return {"items": list(items), "posts": list(posts), "members": list(members), "limit": LIST_LIMIT}
