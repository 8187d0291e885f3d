"""Pages that gather 亮岗履职 for one person or one branch: 我的岗位, 公开承诺书, 附件2, 附件4, the public section."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from machinery.pages import paginate
from organizations import access
from organizations.models import Organization
from organizations.selectors import breadcrumbs

from .. import flows, selectors
from ..enums import CommitmentState, FourStrive, ReportPeriod
from ..selectors.masses import member_aim
from ._common import org_crumbs


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的岗位: the signed-in member's posts, commitments and their state, what is due, the duty log."""
    member = access.own_member(request.user)
    year = selectors.year_from(request)
    if member is None:
        return render(request, "posts/mine.html", {"member": None, "year": year})
    return render(request, "posts/mine.html", mine_context(member, year))


def mine_context(member, year: int, **extra) -> dict:
    """What 我的岗位 shows (also rendered again, with the error next to the field, when the 四争 aim is refused)."""
    claims = list(selectors.member_claims(member, year))
    return {
        "member": member,
        "year": year,
        "claims": claims,
        "claimable": selectors.claimable_posts(member, year, claims=claims),
        "due": selectors.member_due(member),
        "log": selectors.member_log_lines(member),
        "reports": selectors.member_reports(member),
        "unread": selectors.unread_notices(member),
        "colleagues": selectors.branch_published(member)[:50],
        "today": timezone.localdate(),
        "aim": member_aim(member, year),
        "aim_choices": FourStrive.choices,
        **extra,
    }


def _member_commitments(member, year):
    claims = list(selectors.member_claims(member, year))
    for claim in claims:
        claim.approved = [c for c in claim.commitments.all() if c.state == CommitmentState.APPROVED]
    return claims


@login_required
def pledge(request: HttpRequest, member_pk: int) -> HttpResponse:
    """公开承诺书: one printable A4 page per person with the approved commitments and a signature line."""
    member = access.get_member_for_user(request.user, member_pk)
    year = selectors.year_from(request)
    return render(
        request,
        "posts/pledge.html",
        {"member": member, "year": year, "claims": _member_commitments(member, year), "aim": member_aim(member, year)},
    )


@login_required
def flow(request: HttpRequest, member_pk: int) -> HttpResponse:
    """附件4: the member's six sub-steps of 亮岗履职, each in the state its records give (see posts.flows)."""
    member = access.get_member_for_user(request.user, member_pk)
    year = selectors.year_from(request)
    reports = list(selectors.member_reports(member))
    return render(
        request,
        "posts/flow.html",
        {
            "member": member,
            "year": year,
            "steps": flows.flow_state(member, year, reports=reports),
            "reports": reports,
            "breadcrumbs": org_crumbs(request.user, member.organization),
        },
    )


@login_required
def annex2(request: HttpRequest, org_pk: int) -> HttpResponse:
    """附件2: every member of the branch with posts, commitments and period results, as one table."""
    org = access.get_organization_for_user(request.user, org_pk)
    year = selectors.year_from(request)
    page = paginate(request, selectors.annex2_members(org, year), per_page=50)
    members = list(page.object_list)
    results = selectors.annex2_results(org, year, [m.pk for m in members])
    for m in members:
        m.results = results["values"].get(m.pk, [])
    return render(
        request,
        "posts/annex2.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(request.user, org),
            "year": year,
            "page": page,
            "members": members,
            "result_columns": results["columns"],
            "extra_query": f"year={year}",
        },
    )


@login_required
def reports(request: HttpRequest, org_pk: int) -> HttpResponse:
    """述职报告 of the organization's members for one period: who has reported, who has not."""
    org = access.get_organization_for_user(request.user, org_pk)
    year = selectors.year_from(request)
    period = request.GET.get("period", ReportPeriod.YEAR)
    period = period if period in ReportPeriod.values else ReportPeriod.YEAR
    page = paginate(request, selectors.report_overview(org, year, period), per_page=50)
    return render(
        request,
        "posts/reports.html",
        {
            "org": org,
            "breadcrumbs": breadcrumbs(request.user, org),
            "year": year,
            "period": period,
            "periods": ReportPeriod.choices,
            "page": page,
            "extra_query": f"year={year}&period={period}",
        },
    )


def public(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The organization's published commitments, open to everyone (name and post only, never a phone number)."""
    from django.shortcuts import get_object_or_404

    org = get_object_or_404(Organization, pk=org_pk)
    return render(request, "posts/public.html", {"org_name": org.name, **public_context(org)})


def public_context(org) -> dict:
    return {"public_commitments": list(selectors.public_commitments(org)[:300]), "public_org": org}
