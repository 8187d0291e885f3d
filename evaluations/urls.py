from django.urls import path

from organizations.history import history_view

from .models import Assessment, Rating
from .views import appraisals, awards, closing, exports, periods, polls, publication, yearend

app_name = "evaluations"

urlpatterns = [
    path("mine/", periods.my_results, name="my_results"),
    path("org/<int:org_pk>/", periods.org_periods, name="org_periods"),
    path("org/<int:org_pk>/settings/", periods.settings_view, name="settings"),
    path("org/<int:org_pk>/year/<int:year>/", appraisals.year_end, name="year_end"),
    path("org/<int:org_pk>/year/<int:year>/year-end.xlsx", exports.year_end_xlsx, name="year_end_xlsx"),
    path("org/<int:org_pk>/year/<int:year>/appraisals/", appraisals.appraisals, name="appraisals"),
    path("org/<int:org_pk>/year/<int:year>/appraisal/<int:member_pk>/", appraisals.appraisal, name="appraisal"),
    path("org/<int:org_pk>/reserve/", yearend.reserve, name="reserve"),
    path("org/<int:org_pk>/rectifications/", yearend.rectifications, name="rectifications"),
    path("org/<int:org_pk>/awards/", awards.awards, name="awards"),
    path("periods/<int:pk>/", periods.period_detail, name="period_detail"),
    path("periods/<int:pk>/close/", periods.period_close, name="period_close"),
    path("periods/<int:pk>/reopen/", periods.period_reopen, name="period_reopen"),
    path("periods/<int:pk>/closing/", closing.period_closing, name="period_closing"),
    path("periods/<int:pk>/absences/", closing.absence_mark, name="absence_mark"),
    path("periods/<int:pk>/absences/clear/", closing.absence_clear, name="absence_clear"),
    path("periods/<int:pk>/publication/", publication.results_publication, name="results_publication"),
    path("periods/<int:pk>/results/", publication.period_results, name="period_results"),
    path("periods/<int:pk>/results.xlsx", exports.period_results_xlsx, name="period_results_xlsx"),
    path("periods/<int:pk>/self/", periods.self_evaluation, name="self_evaluation"),
    path("periods/<int:pk>/assess/", periods.assess_batch, name="assess_batch"),
    path("periods/<int:pk>/assess/<int:member_pk>/", periods.assessment, name="assessment"),
    path("assessments/<int:pk>/history/", history_view(Assessment, org_field="period__organization"),
         name="assessment_history"),
    path("ratings/<int:pk>/history/", history_view(Rating, org_field="period__organization"), name="rating_history"),
    path("periods/<int:pk>/poll/", polls.poll, name="poll"),
    path("periods/<int:pk>/poll/sheet/", polls.poll_sheet, name="poll_sheet"),
    path("vote/<str:key>/", polls.vote, name="vote"),  # the one-time code travels in the POST body only
    path("awards/<int:pk>/", awards.award_round, name="award_round"),
    path("nominations/<int:pk>/decide/", awards.nomination_decide, name="nomination_decide"),
    path("reserve/<int:pk>/decide/", yearend.reserve_decide, name="reserve_decide"),
    path("ratings/<int:pk>/rectify/", yearend.rectification_open, name="rectification_open"),
    path("rectifications/<int:pk>/", yearend.rectification, name="rectification"),
]
