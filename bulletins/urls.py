from django.urls import path

from . import views

app_name = "bulletins"

urlpatterns = [
    path("org/<int:org_pk>/circulars/", views.circulars, name="circulars"),
    path("org/<int:org_pk>/briefs/", views.briefs, name="briefs"),
    path("org/<int:org_pk>/briefs/new/", views.brief_create, name="brief_create"),
    path("briefs/<int:pk>/", views.brief_detail, name="brief_detail"),
    path("briefs/<int:pk>/edit/", views.brief_edit, name="brief_edit"),
    path("briefs/<int:pk>/publish/", views.brief_publish, name="brief_publish"),
    path("briefs/<int:pk>/return/", views.brief_return, name="brief_return"),
]
