from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Commitment,
    CommitmentReview,
    CommitmentVersion,
    DutyEvidence,
    DutyLogEntry,
    DutyReport,
    Notice,
    NoticeReceipt,
    Post,
    PostClaim,
)


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "year", "role", "capacity"]
    list_filter = ["year", "role"]
    search_fields = ["name", "organization__name"]
    raw_id_fields = ["organization", "created_by"]


@admin.register(PostClaim)
class PostClaimAdmin(admin.ModelAdmin):
    list_display = ["member", "post", "how", "created_at"]
    raw_id_fields = ["post", "member", "by"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["content", "claim", "aspect", "state", "status", "due_on", "published_at"]
    list_filter = ["state", "status", "aspect"]
    raw_id_fields = ["claim"]


@admin.register(CommitmentVersion)
class CommitmentVersionAdmin(admin.ModelAdmin):
    list_display = ["commitment", "number", "submitted_at"]
    raw_id_fields = ["commitment", "submitted_by"]


@admin.register(CommitmentReview)
class CommitmentReviewAdmin(admin.ModelAdmin):
    list_display = ["commitment", "decision", "created_at"]
    raw_id_fields = ["commitment", "version", "by"]


class DutyEvidenceInline(admin.TabularInline):
    model = DutyEvidence
    extra = 0


@admin.register(DutyLogEntry)
class DutyLogEntryAdmin(admin.ModelAdmin):
    list_display = ["happened_on", "commitment", "content"]
    raw_id_fields = ["commitment", "by"]
    inlines = [DutyEvidenceInline]


@admin.register(DutyEvidence)
class DutyEvidenceAdmin(admin.ModelAdmin):
    list_display = ["name", "entry", "created_at"]
    raw_id_fields = ["entry"]


@admin.register(DutyReport)
class DutyReportAdmin(SimpleHistoryAdmin):
    list_display = ["member", "year", "period", "submitted_at"]
    raw_id_fields = ["member"]


class NoticeReceiptInline(admin.TabularInline):
    model = NoticeReceipt
    extra = 0
    raw_id_fields = ["member"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "created_at"]
    raw_id_fields = ["organization", "by"]
    inlines = [NoticeReceiptInline]


@admin.register(NoticeReceipt)
class NoticeReceiptAdmin(admin.ModelAdmin):
    list_display = ["notice", "member", "read_at"]
    raw_id_fields = ["notice", "member"]
