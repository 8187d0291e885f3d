from django.urls import path

from . import views

app_name = "years"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_year, name="open"),
    path("org/<int:pk>/", views.calendar, name="calendar"),
]
