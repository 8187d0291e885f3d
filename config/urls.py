from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reports.views import home as home_views

urlpatterns = [
    path("", home_views.home, name="home"),  # the work list (待办) of the signed-in user
    path("todo/badge/", home_views.home_badge, name="home_badge"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/", include("accounts.urls")),  # activation codes, password reset, profile
    path("org/", include("organizations.urls")),
    path("", include("targets.urls")),  # targets/… and the public page p/<org_pk>/
    path("years/", include("years.urls")),
    path("posts/", include("posts.urls")),
    path("inbox/", include("notifications.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("reports/", include("reports.urls")),
    path("scorecards/", include("scorecards.urls")),
    path("inspections/", include("inspections.urls")),
    path("bulletins/", include("bulletins.urls")),
    path("guide/", include("guide.urls")),
    path("admin/", admin.site.urls),
]
