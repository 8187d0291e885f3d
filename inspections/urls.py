from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("org/<int:org_pk>/", views.year_view, name="year"),
    path("org/<int:org_pk>/review/", views.review_save, name="review_save"),
    path("org/<int:org_pk>/new/", views.inspection_create, name="create"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/items/", views.item_add, name="item_add"),
    path("items/<int:pk>/follow-up/", views.follow_up_add, name="follow_up"),
    path("items/<int:pk>/close/", views.item_close, name="item_close"),
]
