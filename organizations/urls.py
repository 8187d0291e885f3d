from django.urls import path

from . import history, views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/members/", views.members, name="members"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/history/", history.member_history, name="member_history"),
]
