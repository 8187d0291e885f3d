from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AnnualPlan,
    DecisionMeeting,
    JointActivity,
    LongTermTarget,
    Opinion,
    OpinionEvent,
    OrgReview,
    ProgressEntry,
    Publication,
    StepCompletion,
    TargetItem,
)


@admin.register(LongTermTarget)
class LongTermTargetAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "track", "title", "level", "due_year", "outcome"]
    list_filter = ["track", "level", "outcome"]
    raw_id_fields = ["organization"]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "year", "theme", "version"]
    list_filter = ["year", "theme"]
    raw_id_fields = ["organization"]
    search_fields = ["organization__name"]


@admin.register(TargetItem)
class TargetItemAdmin(SimpleHistoryAdmin):
    list_display = ["content", "plan", "category", "role", "responsible", "deadline", "status", "percent"]
    list_filter = ["category", "role", "status"]
    raw_id_fields = ["plan"]


@admin.register(StepCompletion)
class StepCompletionAdmin(admin.ModelAdmin):
    list_display = ["plan", "step", "completed_by", "completed_at"]
    raw_id_fields = ["plan"]


@admin.register(OpinionEvent)
class OpinionEventAdmin(admin.ModelAdmin):
    list_display = ["plan", "kind", "held_on", "participant_count"]
    raw_id_fields = ["plan"]


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["content", "plan", "source", "category", "decision"]
    list_filter = ["source", "category", "decision"]
    raw_id_fields = ["plan", "event"]


@admin.register(DecisionMeeting)
class DecisionMeetingAdmin(admin.ModelAdmin):
    list_display = ["plan", "kind", "held_on"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["adopted_opinions"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["plan", "audience", "published_on", "item_count"]
    raw_id_fields = ["plan"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(admin.ModelAdmin):
    list_display = ["item", "recorded_on", "status", "percent"]
    raw_id_fields = ["item"]


@admin.register(JointActivity)
class JointActivityAdmin(admin.ModelAdmin):
    list_display = ["plan", "held_on", "partners"]
    raw_id_fields = ["plan"]


@admin.register(OrgReview)
class OrgReviewAdmin(admin.ModelAdmin):
    list_display = ["plan", "kind", "reviewed_on", "rating"]
    list_filter = ["kind", "rating"]
    raw_id_fields = ["plan"]
