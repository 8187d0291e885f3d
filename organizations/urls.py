from django.urls import path

from . import history, views, views_members, views_roster, views_work

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/launch/", views_work.launch, name="launch"),
    # members
    path("<int:pk>/members/", views_members.members, name="members"),
    path("<int:pk>/members/new/", views_members.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/history/", history.member_history, name="member_history"),
    path("members/<int:pk>/edit/", views_members.member_edit, name="member_edit"),
    path("members/<int:pk>/invite/", views_members.member_invite, name="member_invite"),
    path("invite/<uidb64>/<token>/", views_members.invite_accept, name="invite_accept"),
    # roster import
    path("roster/template.xlsx", views_roster.roster_template, name="roster_template"),
    path("<int:pk>/roster/demo.xlsx", views_roster.roster_demo, name="roster_demo"),
    path("<int:pk>/roster/import/", views_roster.roster_import, name="roster_import"),
    path("roster-imports/<int:pk>/", views_roster.roster_import_detail, name="roster_import_detail"),
    path("roster-imports/<int:pk>/errors.xlsx", views_roster.roster_import_errors, name="roster_import_errors"),
    # honours
    path("<int:pk>/honours/", views_work.honours, name="honours"),
    path("honours/<int:pk>/delete/", views_work.honour_delete, name="honour_delete"),
    path("honour-titles/", views_work.honour_titles, name="honour_titles"),
    # typical demonstration units
    path("<int:pk>/demonstrations/", views_work.demonstrations, name="demonstrations"),
    path("<int:pk>/demonstrations/new/", views_work.demonstration_create, name="demonstration_create"),
    path("demonstrations/<int:pk>/", views_work.demonstration_detail, name="demonstration_detail"),
    path("demonstrations/<int:pk>/edit/", views_work.demonstration_edit, name="demonstration_edit"),
    # leaders and contact points
    path("<int:pk>/contacts/", views_work.contacts, name="contacts"),
    path("<int:pk>/contacts/missing/", views_work.contacts_missing, name="contacts_missing"),
    path("leaders/<int:pk>/", views_work.leader_detail, name="leader_detail"),
    path("leaders/<int:pk>/edit/", views_work.leader_edit, name="leader_edit"),
    path("contact-points/<int:pk>/", views_work.contact_point, name="contact_point"),
    # coverage (推广面)
    path("<int:pk>/coverage/", views_work.coverage, name="coverage"),
]
