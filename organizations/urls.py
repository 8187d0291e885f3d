from django.urls import path

from . import history
from .views import audit, contacts, coverage, exports, honours, leaving, manage, members, roster, tree, typical

app_name = "organizations"

urlpatterns = [
    path("", tree.tree, name="tree"),
    path("<int:pk>/", tree.detail, name="detail"),
    path("<int:pk>/children/", tree.children, name="children"),
    path("<int:pk>/launch/", coverage.launch, name="launch"),
    path("<int:pk>/organization-search/", tree.organization_search, name="organization_search"),
    # the tree and its roles, managed by committee staff
    path("<int:pk>/add/", manage.organization_add, name="organization_add"),
    path("<int:pk>/edit/", manage.organization_edit, name="organization_edit"),
    path("<int:pk>/move/", manage.organization_move, name="organization_move"),
    path("<int:pk>/merge/", manage.organization_merge, name="organization_merge"),
    path("<int:pk>/close/", manage.organization_close, name="organization_close"),
    path("<int:pk>/history/", manage.organization_history, name="organization_history"),
    path("<int:pk>/roles/", manage.roles, name="roles"),
    path("roles/<int:pk>/revoke/", manage.role_revoke, name="role_revoke"),
    # the committee's audit log
    path("<int:pk>/audit/", audit.audit, name="audit"),
    path("<int:pk>/audit.xlsx", audit.audit_xlsx, name="audit_xlsx"),
    # members
    path("<int:pk>/members/", members.members, name="members"),
    path("<int:pk>/members.xlsx", exports.members_xlsx, name="members_xlsx"),
    path("<int:pk>/members/new/", members.member_create, name="member_create"),
    path("members/<int:pk>/", tree.member_detail, name="member_detail"),
    path("members/<int:pk>/history/", history.member_history, name="member_history"),
    path("members/<int:pk>/edit/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/leave/", leaving.member_leave, name="member_leave"),
    path("members/<int:pk>/transfer/", leaving.member_transfer, name="member_transfer"),
    path("members/<int:pk>/invite/", members.member_invite, name="member_invite"),
    path("invite/<uidb64>/<token>/", members.invite_accept, name="invite_accept"),
    # roster import
    path("roster/template.xlsx", roster.roster_template, name="roster_template"),
    path("<int:pk>/roster/demo.xlsx", roster.roster_demo, name="roster_demo"),
    path("<int:pk>/roster/import/", roster.roster_import, name="roster_import"),
    path("roster-imports/<int:pk>/", roster.roster_import_detail, name="roster_import_detail"),
    path("roster-imports/<int:pk>/errors.xlsx", roster.roster_import_errors, name="roster_import_errors"),
    # honours
    path("<int:pk>/honours/", honours.honours, name="honours"),
    path("honours/<int:pk>/delete/", honours.honour_delete, name="honour_delete"),
    path("honour-titles/", honours.honour_titles, name="honour_titles"),
    # typical demonstration units
    path("<int:pk>/demonstrations/", typical.demonstrations, name="demonstrations"),
    path("<int:pk>/demonstrations/new/", typical.demonstration_create, name="demonstration_create"),
    path("demonstrations/<int:pk>/", typical.demonstration_detail, name="demonstration_detail"),
    path("demonstrations/<int:pk>/edit/", typical.demonstration_edit, name="demonstration_edit"),
    # leaders and contact points
    path("<int:pk>/contacts/", contacts.contacts, name="contacts"),
    path("<int:pk>/contacts/missing/", contacts.contacts_missing, name="contacts_missing"),
    path("leaders/<int:pk>/", contacts.leader_detail, name="leader_detail"),
    path("leaders/<int:pk>/edit/", contacts.leader_edit, name="leader_edit"),
    path("contact-points/<int:pk>/", contacts.contact_point, name="contact_point"),
    # coverage (推广面)
    path("<int:pk>/coverage/", coverage.coverage, name="coverage"),
    path("<int:pk>/coverage.xlsx", exports.coverage_xlsx, name="coverage_xlsx"),
]
