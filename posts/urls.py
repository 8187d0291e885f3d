from django.urls import path

from .views import commitments, duty, history, newyear, notices, pages, posts

app_name = "posts"

urlpatterns = [
    path("", pages.mine, name="mine"),
    path("org/<int:org_pk>/", posts.org_posts, name="org_posts"),
    path("org/<int:org_pk>/new/", posts.post_create, name="post_create"),
    path("org/<int:org_pk>/copy/", posts.post_copy, name="post_copy"),
    path("org/<int:org_pk>/start-year/", newyear.year_start, name="year_start"),
    path("org/<int:org_pk>/copy-year/", newyear.posts_copy_year, name="posts_copy_year"),
    path("org/<int:org_pk>/annex2/", pages.annex2, name="annex2"),
    path("org/<int:org_pk>/reports/", pages.reports, name="reports"),
    path("org/<int:org_pk>/notices/", notices.notices, name="notices"),
    path("org/<int:org_pk>/public/", pages.public, name="public"),
    path("post/<int:pk>/", posts.post_detail, name="post_detail"),
    path("post/<int:pk>/history/", history.post_history, name="post_history"),
    path("post/<int:pk>/edit/", posts.post_edit, name="post_edit"),
    path("post/<int:pk>/delete/", posts.post_delete, name="post_delete"),
    path("post/<int:pk>/claim/", posts.post_claim, name="post_claim"),
    path("post/<int:pk>/assign/", posts.post_assign, name="post_assign"),
    path("claim/<int:pk>/remove/", posts.claim_remove, name="claim_remove"),
    path("claim/<int:claim_pk>/commit/", commitments.commitment_create, name="commitment_create"),
    path("commitment/<int:pk>/", commitments.commitment_detail, name="commitment_detail"),
    path("commitment/<int:pk>/history/", history.commitment_history, name="commitment_history"),
    path("commitment/<int:pk>/edit/", commitments.commitment_edit, name="commitment_edit"),
    path("commitment/<int:pk>/submit/", commitments.commitment_submit, name="commitment_submit"),
    path("commitment/<int:pk>/approve/", commitments.commitment_approve, name="commitment_approve"),
    path("commitment/<int:pk>/return/", commitments.commitment_return, name="commitment_return"),
    path("commitment/<int:pk>/publish/", commitments.commitment_publish, name="commitment_publish"),
    path("commitment/<int:pk>/unpublish/", commitments.commitment_unpublish, name="commitment_unpublish"),
    path("commitment/<int:pk>/status/", commitments.commitment_status, name="commitment_status"),
    path("commitment/<int:pk>/log/", duty.duty_log_add, name="duty_log_add"),
    path("log/<int:pk>/delete/", duty.duty_log_delete, name="duty_log_delete"),
    path("evidence/<int:pk>/", duty.evidence_download, name="evidence_download"),
    path("report/", duty.report_edit, name="report_edit"),
    path("report/<int:pk>/", duty.report_detail, name="report_detail"),
    path("report/<int:pk>/file/", duty.report_download, name="report_download"),
    path("notice/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("member/<int:member_pk>/pledge/", pages.pledge, name="pledge"),
    path("member/<int:member_pk>/flow/", pages.flow, name="flow"),
]
