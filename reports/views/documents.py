"""Annex 3, Annex 4 and the 公开承诺书 as A4 PDF (one page each, rendered in the request: see exports.documents).

Access: Annex 3 by the plan's organization, Annex 4 and the letter by the member (the member themself, their
secretaries and the committees above); the letter also for everyone (pledge_public_pdf) with only the commitments
published to society, 404 when there is none."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from organizations import access
from organizations.models import Member
from posts.selectors import year_from
from targets.selectors import plan_for_user

from ..exports import documents
from .common import attachment

PDF = "application/pdf"


@login_required
def annex3_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk)
    name = f"附件3 工作流程图 {plan.organization.name} {plan.year}年.pdf"
    return attachment(documents.annex3_pdf(plan), name, PDF)


@login_required
def annex4_pdf(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, member_pk)
    year = year_from(request)
    return attachment(documents.annex4_pdf(member, year), f"附件4 亮岗履职流程图 {member.name} {year}年.pdf", PDF)


@login_required
def pledge_pdf(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, member_pk)
    year = year_from(request)
    claims = documents.pledge_claims(member, year, public=False)
    return attachment(documents.pledge_pdf(member, year, claims), f"公开承诺书 {member.name} {year}年.pdf", PDF)


def pledge_public_pdf(request: HttpRequest, member_pk: int) -> HttpResponse:
    """Open to everyone: the commitments published to society only; nothing published, nothing to see (404)."""
    member = get_object_or_404(Member.objects.select_related("organization"), pk=member_pk)
    year = year_from(request)
    claims = documents.pledge_claims(member, year, public=True)
    if not claims:
        raise Http404
    return attachment(documents.pledge_pdf(member, year, claims), f"公开承诺书 {member.name} {year}年.pdf", PDF)
