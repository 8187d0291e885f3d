"""Step 6 考评奖惩: the reviews of the organization's fulfilment (领导点评、党员互评、群众评议)."""

from __future__ import annotations

from django.db import transaction

from years.selectors import ensure_year_writable

from ..models import AnnualPlan, OrgReview


@transaction.atomic
def review_create(*, plan: AnnualPlan, by, **fields) -> OrgReview:
    """Record a review of the organization's fulfilment (领导点评、党员互评、群众评议)."""
    ensure_year_writable(plan.year)
    review = OrgReview(plan=plan, created_by=by, **fields)
    review.full_clean()
    review.save()
    return review

