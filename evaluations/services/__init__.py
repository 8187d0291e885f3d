"""Writes of the evaluations app (keyword-only services, each in a transaction)."""

from .absences import absence_clear, absence_mark, period_parts
from .periods import (
    assessment_save,
    period_close,
    period_create,
    period_members,
    period_reopen,
    self_evaluation_save,
    settings_for,
    settings_save,
)
from .polls import ballot_cast, poll_close, poll_codes_generate, poll_results, poll_update
from .publication import results_publish_scope_set
from .scoring import grade_for, weighted_score
from .windows import Action, ensure_in_window, periods_sweep, window_refusal
from .yearend import (
    appraisal_record,
    award_round_create,
    member_set_reserve_cadre,
    nomination_approve,
    nomination_review,
    nomination_submit,
    rectification_end,
    rectification_follow_up,
    rectification_open,
    reserve_decide,
    reserve_eligible,
    reserve_propose,
    year_grade,
)

__all__ = [
    "Action",
    "ensure_in_window",
    "window_refusal",
    "absence_clear",
    "absence_mark",
    "appraisal_record",
    "assessment_save",
    "award_round_create",
    "ballot_cast",
    "grade_for",
    "member_set_reserve_cadre",
    "nomination_approve",
    "nomination_review",
    "nomination_submit",
    "period_close",
    "period_create",
    "period_members",
    "period_parts",
    "period_reopen",
    "periods_sweep",
    "poll_close",
    "poll_codes_generate",
    "poll_results",
    "poll_update",
    "rectification_end",
    "rectification_follow_up",
    "rectification_open",
    "reserve_decide",
    "reserve_eligible",
    "reserve_propose",
    "results_publish_scope_set",
    "self_evaluation_save",
    "settings_for",
    "settings_save",
    "weighted_score",
    "year_grade",
]
