from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Honour, HonourTitle, Member, Organization, RoleAssignment


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ["name", "kind", "school_type", "reports_quarterly", "launched_on"]
    list_filter = ["kind", "school_type", "reports_quarterly"]
    search_fields = ["name", "code", "name_initials"]


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
    search_fields = ["name", "name_initials", "staff_no"]
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
