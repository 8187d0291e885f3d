"""The subtree's overviews: Annex 2 (each member with the year's posts and commitments, and the result columns apps
above offer), who has written the period's duty report, and the numbers of 情况通报."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Member, Organization

from ..enums import CommitmentState, FulfilmentStatus
from ..models import AnnualAim, Commitment, DutyReport, Post, PostClaim


def annex2_members(org: Organization, year: int) -> QuerySet[Member]:
    """Every active member of the subtree with the year's posts and commitments prefetched (附件2)."""
    claims = (
        PostClaim.objects.filter(post__year=year)
        .select_related("post")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "pk")))
        .order_by("post__name", "pk")
    )
    return (
        Member.objects.filter(organization__path__startswith=org.path, is_active=True)
        .select_related("organization")
        .prefetch_related(
            Prefetch("post_claims", queryset=claims, to_attr="year_claims"),
            Prefetch("aims", queryset=AnnualAim.objects.filter(year=year), to_attr="year_aims"),  # 四争
        )
        .order_by("organization__path", "name", "pk")
    )


def report_overview(org: Organization, year: int, period: str) -> QuerySet[Member]:
    """Active members of the subtree, each with their duty report for the period (or none) prefetched."""
    reports = DutyReport.objects.filter(year=year, period=period)
    return (
        Member.objects.filter(organization__path__startswith=org.path, is_active=True)
        .select_related("organization")
        .prefetch_related(Prefetch("duty_reports", queryset=reports, to_attr="period_reports"))
        .order_by("organization__path", "name", "pk")
    )


def fulfilment_summary(org: Organization, year: int) -> dict:
    """Counts of the subtree's posts, people on them and commitments by state and fulfilment (for 情况通报)."""
    under = {"organization__path__startswith": org.path, "year": year}
    c = Commitment.objects.filter(**{f"claim__post__{k}": v for k, v in under.items()}).aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(state=CommitmentState.APPROVED)),
        submitted=Count("pk", filter=Q(state=CommitmentState.SUBMITTED)),
        returned=Count("pk", filter=Q(state=CommitmentState.RETURNED)),
        published=Count("pk", filter=Q(published_at__isnull=False)),
        fulfilled=Count("pk", filter=Q(status=FulfilmentStatus.FULFILLED)),
        not_fulfilled=Count("pk", filter=Q(status=FulfilmentStatus.NOT_FULFILLED)),
    )
    # posts and the people on them in one query (a post without claims still counts)
    held = Post.objects.filter(**under).aggregate(
        posts=Count("pk", distinct=True), people=Count("claims__member", distinct=True)
    )
    return {"year": year, **held, **c}


def summary_text(summary: dict) -> str:
    return _(
        "截至%(today)s，本组织%(year)s年度设岗%(posts)s个，%(people)s人认岗；作出承诺%(total)s项，其中审核通过%(approved)s项、"
        "待审核%(submitted)s项、退回修改%(returned)s项，已公开%(published)s项；已兑现%(fulfilled)s项，未兑现%(not_fulfilled)s项。"
    ) % {"today": f"{(d := timezone.localdate()).year}年{d.month}月{d.day}日", **summary}


def annex2_results(org: Organization, year: int, member_ids: list[int]) -> dict:
    """Period results from apps above posts: any AppConfig with `annex2_results(org, year, member_ids)` returning
    {"columns": [label, ...], "values": {member_id: [value, ...]}}. The columns of all offers are joined."""
    columns: list = []
    values: dict[int, list] = {pk: [] for pk in member_ids}
    for config in apps.get_app_configs():
        hook = getattr(config, "annex2_results", None)
        if hook is None:
            continue
        offer = hook(org, year, member_ids) or {}
        cols = list(offer.get("columns", []))
        columns.extend(cols)
        for pk in member_ids:
            row = list(offer.get("values", {}).get(pk, []))
            values[pk].extend(row + [""] * (len(cols) - len(row)))
    return {"columns": columns, "values": values}
