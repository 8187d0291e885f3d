"""Mounted at the site root: the signed-in pages under targets/, the public page under p/."""

from django.urls import path

from .views import grid, longterm, mine, newyear, opinions, plans, public, records

app_name = "targets"

urlpatterns = [
    path("targets/", plans.index, name="index"),
    path("targets/org/<int:org_pk>/", plans.org_plans, name="org_plans"),
    path("targets/org/<int:org_pk>/new/", plans.plan_create, name="plan_create"),
    path("targets/org/<int:org_pk>/start/", newyear.plan_start, name="plan_start"),
    path("targets/org/<int:org_pk>/longterm/", longterm.longterm, name="longterm"),
    path("targets/org/<int:org_pk>/longterm/set/", longterm.longterm_set, name="longterm_set"),
    path("targets/longterm/<int:pk>/outcome/", longterm.longterm_outcome, name="longterm_outcome"),
    path("targets/plan/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("targets/plan/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("targets/plan/<int:pk>/history/", plans.plan_history, name="plan_history"),
    path("targets/plan/<int:pk>/report/", plans.plan_report, name="plan_report"),
    path("targets/plan/<int:pk>/step/<slug:step>/", plans.step, name="step"),
    path("targets/plan/<int:pk>/step/<slug:step>/complete/", plans.step_complete, name="step_complete"),
    path("targets/plan/<int:pk>/step/<slug:step>/reopen/", plans.step_reopen, name="step_reopen"),
    path("targets/plan/<int:pk>/events/new/", records.event_create, name="event_create"),
    path("targets/events/<int:pk>/opinions/new/", records.opinion_add, name="opinion_add"),
    path("targets/opinions/<int:pk>/sort/", records.opinion_sort, name="opinion_sort"),
    path("targets/plan/<int:pk>/meetings/new/", records.meeting_create, name="meeting_create"),
    path("targets/plan/<int:pk>/items/new/", records.item_create, name="item_create"),
    path("targets/plan/<int:pk>/items/grid/", grid.items_grid, name="items_grid"),
    path("targets/plan/<int:pk>/items/copy/", grid.items_copy, name="items_copy"),
    path("targets/items/<int:pk>/", records.item_detail, name="item_detail"),
    path("targets/items/<int:pk>/history/", records.item_history, name="item_history"),
    path("targets/items/<int:pk>/edit/", records.item_edit, name="item_edit"),
    path("targets/items/<int:pk>/delete/", records.item_delete, name="item_delete"),
    path("targets/items/<int:pk>/progress/new/", records.progress_create, name="progress_create"),
    path("targets/progress/<int:pk>/evidence/", records.evidence, name="evidence"),
    path("targets/plan/<int:pk>/publish/", records.publish, name="publish"),
    path("targets/plan/<int:pk>/joint/new/", records.joint_create, name="joint_create"),
    path("targets/plan/<int:pk>/reviews/new/", records.review_create, name="review_create"),
    path("targets/mine/", mine.my_items, name="my_items"),
    path("targets/org/<int:org_pk>/opinions/", opinions.public_opinions, name="public_opinions"),
    path("targets/opinion/<int:pk>/answer/", opinions.opinion_answer, name="opinion_answer"),
    path("p/<int:org_pk>/", public.public, name="public"),
    path("p/<int:org_pk>/qr.png", public.public_qr, name="public_qr"),
]
