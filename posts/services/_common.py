"""What several writes of posts share: putting a member on a post (a claim, an assignment, last year's people kept
on the copied post) and the rules who fits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from organizations.models import Member

from ..models import Post, PostClaim


def check_member_fits(post: Post, member: Member) -> None:
    if not member.is_active:
        raise ValidationError(_("该成员已不在册"))
    if not member.organization.path.startswith(post.organization.path):
        raise ValidationError(_("只能认领本组织设置的岗位"))
    if PostClaim.objects.filter(post=post, member=member).exists():
        raise ValidationError(_("%(name)s 已在该岗位上") % {"name": member.name})


def put_on_post(post: Post, member: Member, by, how: str) -> PostClaim:
    check_member_fits(post, member)
    claim = PostClaim(post=post, member=member, how=how, by=by)
    claim.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as exc:  # the same person put on the same post twice at the same moment
        raise ValidationError(_("%(name)s 已在该岗位上") % {"name": member.name}) from exc
    return claim
