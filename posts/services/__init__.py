"""Writes of 亮岗履职, one module a subject; each write validates (full_clean), runs in a transaction and refuses with
a Chinese message. Callers import from here (``from posts.services import post_claim``)."""

from .bulk import APPROVE, RETURN, ReviewDecision, ReviewOutcome, commitments_review
from .commitments import (
    COMMITMENT_FIELDS,
    commitment_approve,
    commitment_create,
    commitment_publish,
    commitment_return,
    commitment_save_and_submit,
    commitment_status_set,
    commitment_submit,
    commitment_unpublish,
    commitment_update,
    explanation_revision_approve,
    explanation_revision_return,
)
from .duty import duty_log_add, duty_log_delete, duty_report_save
from .new_year import PostsCopy, YearStart, posts_copy_from_year, posts_to_copy, year_start_from_previous
from .notices import notice_issue, notice_read
from .posts import claim_remove, post_assign, post_claim, post_create, post_delete, post_update, posts_copy_typical

__all__ = [
    "APPROVE",
    "RETURN",
    "ReviewDecision",
    "ReviewOutcome",
    "commitments_review",
    "COMMITMENT_FIELDS",
    "PostsCopy",
    "YearStart",
    "claim_remove",
    "commitment_approve",
    "commitment_create",
    "commitment_publish",
    "commitment_return",
    "commitment_save_and_submit",
    "commitment_status_set",
    "commitment_submit",
    "commitment_unpublish",
    "commitment_update",
    "duty_log_add",
    "duty_log_delete",
    "duty_report_save",
    "explanation_revision_approve",
    "explanation_revision_return",
    "notice_issue",
    "notice_read",
    "post_assign",
    "post_claim",
    "post_create",
    "post_delete",
    "post_update",
    "posts_copy_from_year",
    "posts_copy_typical",
    "posts_to_copy",
    "year_start_from_previous",
]
