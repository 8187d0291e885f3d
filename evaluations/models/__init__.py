"""The models of 考评, by subject: periods and the parts of a rating, polls and ballots, publication, the year end."""

from .periods import (
    Assessment,
    EvaluationPeriod,
    EvaluationSettings,
    PartAbsence,
    PeriodReopening,
    Rating,
    SelfEvaluation,
    SelfEvaluationItem,
)
from .polls import Poll, PollCode, PollTally
from .publication import PeriodPublication
from .yearend import (
    AwardRound,
    DemocraticAppraisal,
    MemberHonour,
    Nomination,
    Rectification,
    RectificationFollowUp,
    ReserveCadreProposal,
)

__all__ = [
    "Assessment",
    "AwardRound",
    "DemocraticAppraisal",
    "EvaluationPeriod",
    "EvaluationSettings",
    "MemberHonour",
    "Nomination",
    "PartAbsence",
    "PeriodPublication",
    "PeriodReopening",
    "Poll",
    "PollCode",
    "PollTally",
    "Rating",
    "Rectification",
    "RectificationFollowUp",
    "ReserveCadreProposal",
    "SelfEvaluation",
    "SelfEvaluationItem",
]
