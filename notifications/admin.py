from django.contrib import admin

from .models import Dispatch, Notice


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "period", "offset", "organization", "recipient", "recipients", "subject"]
    list_filter = ["kind", "period", "offset"]
    search_fields = ["key", "subject"]
    raw_id_fields = ["organization", "recipient"]
    date_hierarchy = "created_at"


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "read_at", "email", "emailed_at", "email_attempts"]
    list_filter = ["read_at", "emailed_at"]
    search_fields = ["subject", "recipient__username", "email"]
    raw_id_fields = ["recipient", "dispatch"]
    date_hierarchy = "created_at"
