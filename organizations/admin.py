from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import (
    ContactPoint,
    ContactVisit,
    DemonstrationUnit,
    Honour,
    HonourTitle,
    Leader,
    Member,
    Organization,
    Publicity,
    RoleAssignment,
    RosterImport,
)


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ["name", "kind", "school_type", "reports_quarterly", "launched_on"]
    list_filter = ["kind", "school_type", "reports_quarterly"]
    search_fields = ["name", "code", "search_key"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "title"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name"]
    raw_id_fields = ["user", "organization"]


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "political_status", "role_group", "is_active"]
    list_filter = ["political_status", "role_group", "is_active", "is_reserve_cadre"]
    search_fields = ["name", "search_key", "staff_no"]
    raw_id_fields = ["organization", "user"]


@admin.register(HonourTitle)
class HonourTitleAdmin(admin.ModelAdmin):
    list_display = ["name", "track", "is_builtin"]
    list_filter = ["track", "is_builtin"]


@admin.register(Honour)
class HonourAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "title", "level", "year", "conferred_by"]
    list_filter = ["level", "title"]
    search_fields = ["organization__name", "conferred_by"]
    raw_id_fields = ["organization"]


class PublicityInline(admin.TabularInline):
    model = Publicity
    extra = 0


@admin.register(DemonstrationUnit)
class DemonstrationUnitAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "designated_by", "kind", "step", "role", "year", "leader"]
    list_filter = ["kind", "year"]
    search_fields = ["organization__name"]
    raw_id_fields = ["organization", "designated_by", "leader"]
    inlines = [PublicityInline]


@admin.register(Leader)
class LeaderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "title", "organization", "is_active"]
    list_filter = ["is_active", "organization__kind"]
    search_fields = ["name", "organization__name"]
    raw_id_fields = ["organization", "user"]


class ContactVisitInline(admin.TabularInline):
    model = ContactVisit
    extra = 0


@admin.register(ContactPoint)
class ContactPointAdmin(SimpleHistoryAdmin):
    list_display = ["leader", "organization", "since"]
    search_fields = ["leader__name", "organization__name"]
    raw_id_fields = ["leader", "organization"]
    inlines = [ContactVisitInline]


@admin.register(ContactVisit)
class ContactVisitAdmin(admin.ModelAdmin):
    list_display = ["contact_point", "visited_on"]
    raw_id_fields = ["contact_point"]


@admin.register(Publicity)
class PublicityAdmin(admin.ModelAdmin):
    list_display = ["title", "demonstration", "channel", "published_on"]
    list_filter = ["channel"]
    raw_id_fields = ["demonstration"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["organization", "original_name", "uploaded_by", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["organization", "uploaded_by"]
    readonly_fields = ["errors", "summary"]
