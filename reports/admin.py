from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ExportJob, QuarterlyReport, QuarterlyReportEvent


class EventInline(admin.TabularInline):
    model = QuarterlyReportEvent
    extra = 0
    readonly_fields = ["action", "by", "at", "from_state", "to_state", "reason"]


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "year", "quarter", "state", "submitted_at", "is_late"]
    list_filter = ["year", "quarter", "state", "is_late"]
    search_fields = ["organization__name"]
    inlines = [EventInline]


@admin.register(QuarterlyReportEvent)
class QuarterlyReportEventAdmin(admin.ModelAdmin):
    list_display = ["report", "action", "by", "at", "from_state", "to_state"]
    list_filter = ["action"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["kind", "organization", "requested_by", "state", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
