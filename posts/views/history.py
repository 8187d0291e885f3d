"""修改记录 of posts and commitments (django-simple-history), for secretaries and the staff above."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from organizations import access
from organizations.history import history_page

from .. import selectors


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(request.user, pk)
    access.require(access.can_see_history(request.user, post.organization))
    return history_page(request, post, title=_("岗位修改记录"), back_url=post.get_absolute_url(),
                        org=post.organization)


@login_required
def commitment_history(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk)
    org = commitment.claim.member.organization
    access.require(access.can_see_history(request.user, org))
    return history_page(request, commitment, title=_("承诺修改记录"), back_url=commitment.get_absolute_url(), org=org)
