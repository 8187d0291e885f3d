"""Writes of target management, one module a subject (mostly one of the six steps); each write validates, runs in a
transaction and refuses in Chinese. Callers import from here (``from targets.services import step_complete``)."""

from .grid import GridErrors, GridResult, GridRow, items_copy_from_previous, items_save_grid, previous_plan
from .implementation import joint_activity_create, progress_record
from .items import ITEM_FIELDS, item_create, item_delete, item_update
from .long_term import long_term_target_record_outcome, long_term_target_set
from .new_year import NAME_SEPARATORS, PlanStart, one_year_later, plan_start_from_previous
from .opinions import (
    meeting_create,
    opinion_add,
    opinion_answer,
    opinion_event_create,
    opinion_sort,
    opinion_submit_public,
    public_opinion_subject,
)
from .plans import PLAN_FIELDS, is_public, plan_attach_research_report, plan_create, plan_publish, plan_update
from .reviews import review_create
from .steps import step_complete, step_reopen

__all__ = [
    "GridErrors",
    "GridResult",
    "GridRow",
    "items_copy_from_previous",
    "items_save_grid",
    "previous_plan",
    "ITEM_FIELDS",
    "NAME_SEPARATORS",
    "PLAN_FIELDS",
    "PlanStart",
    "is_public",
    "item_create",
    "item_delete",
    "item_update",
    "joint_activity_create",
    "long_term_target_record_outcome",
    "long_term_target_set",
    "meeting_create",
    "one_year_later",
    "opinion_add",
    "opinion_answer",
    "opinion_event_create",
    "opinion_sort",
    "opinion_submit_public",
    "public_opinion_subject",
    "plan_attach_research_report",
    "plan_create",
    "plan_publish",
    "plan_start_from_previous",
    "plan_update",
    "progress_record",
    "review_create",
    "step_complete",
    "step_reopen",
]
