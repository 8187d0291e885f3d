from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assessment,
    AwardRound,
    DemocraticAppraisal,
    EvaluationPeriod,
    EvaluationSettings,
    MemberHonour,
    Nomination,
    PeriodReopening,
    Poll,
    PollCode,
    PollTally,
    Rating,
    Rectification,
    RectificationFollowUp,
    ReserveCadreProposal,
    SelfEvaluation,
    SelfEvaluationItem,
)


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "weight_self", "weight_poll", "weight_org"]
    raw_id_fields = ["organization"]


@admin.register(EvaluationPeriod)
class EvaluationPeriodAdmin(admin.ModelAdmin):
    list_display = ["organization", "year", "kind", "opens_on", "closes_on", "state"]
    list_filter = ["kind", "state", "year"]
    raw_id_fields = ["organization", "closed_by"]


@admin.register(Rating, Assessment)
class HistoryAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["period", "member"]
    list_display = ["__str__", "period"]


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["period", "minimum_ballots", "anonymous", "closed", "ballot_count"]
    raw_id_fields = ["period"]


@admin.register(PollCode)
class PollCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "poll", "used"]
    raw_id_fields = ["poll"]


@admin.register(PollTally)
class PollTallyAdmin(admin.ModelAdmin):
    """What was voted, as counts per member and option: there is no row per ballot, nothing in voting order."""

    list_display = ["poll", "member", "label", "score", "count"]
    raw_id_fields = ["poll", "member"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(
    PeriodReopening,
    SelfEvaluation,
    SelfEvaluationItem,
    DemocraticAppraisal,
    AwardRound,
    Nomination,
    MemberHonour,
    ReserveCadreProposal,
    Rectification,
    RectificationFollowUp,
)
class PlainAdmin(admin.ModelAdmin):
    pass
