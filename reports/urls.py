from django.urls import path

from organizations.history import history_view

from .models import QuarterlyReport
from .views import annexes, calendar, dashboard, documents, home, quarterly, roles

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("summary/", home.home_summary, name="home_summary"),
    path("quarterly/", quarterly.quarterly_list, name="quarterly_list"),
    path("quarterly/open/<int:pk>/", quarterly.quarterly_open, name="quarterly_open"),
    path("quarterly/<int:pk>/", quarterly.quarterly_detail, name="quarterly_detail"),
    path("quarterly/<int:pk>/history/", history_view(QuarterlyReport), name="quarterly_history"),
    path("quarterly/<int:pk>/refresh/", quarterly.quarterly_refresh, name="quarterly_refresh"),
    path("quarterly/<int:pk>/submit/", quarterly.quarterly_submit, name="quarterly_submit"),
    path("quarterly/<int:pk>/return/", quarterly.quarterly_return, name="quarterly_return"),
    path("quarterly/<int:pk>/accept/", quarterly.quarterly_accept, name="quarterly_accept"),
    path("quarterly/<int:pk>/annex5.xlsx", quarterly.quarterly_xlsx, name="quarterly_xlsx"),
    path("quarterly/<int:pk>/annex5.pdf", quarterly.quarterly_pdf, name="quarterly_pdf"),
    path("quarterly/consolidation.xlsx", quarterly.consolidation_xlsx, name="consolidation_xlsx"),
    path("quarterly/consolidation.pdf", quarterly.consolidation_pdf, name="consolidation_pdf"),
    path("calendar/<int:pk>/", calendar.calendar_progress_view, name="calendar_progress"),
    path("org/<int:pk>/", annexes.annexes, name="annexes"),
    path("org/<int:pk>/roles/", roles.roles, name="roles"),
    path("org/<int:pk>/annex1.xlsx", annexes.annex1_xlsx, name="annex1_xlsx"),
    path("org/<int:pk>/annex1.pdf", annexes.annex1_pdf, name="annex1_pdf"),
    path("org/<int:pk>/annex2.xlsx", annexes.annex2_xlsx, name="annex2_xlsx"),
    path("org/<int:pk>/annex2.pdf", annexes.annex2_pdf, name="annex2_pdf"),
    path("plan/<int:pk>/annex3.pdf", documents.annex3_pdf, name="annex3_pdf"),
    path("member/<int:member_pk>/annex4.pdf", documents.annex4_pdf, name="annex4_pdf"),
    path("member/<int:member_pk>/pledge.pdf", documents.pledge_pdf, name="pledge_pdf"),
    path("member/<int:member_pk>/pledge/public.pdf", documents.pledge_public_pdf, name="pledge_public_pdf"),
    path("exports/<int:pk>/", annexes.export_job, name="export_job"),
    path("exports/<int:pk>/download/", annexes.export_download, name="export_download"),
]
