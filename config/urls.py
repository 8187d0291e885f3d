from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from organizations.views import tree as org_views

urlpatterns = [
    path("", org_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("org/", include("organizations.urls")),
    path("", include("targets.urls")),  # targets/… and the public page p/<org_pk>/
    path("years/", include("years.urls")),
    path("posts/", include("posts.urls")),
    path("inbox/", include("notifications.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("reports/", include("reports.urls")),
    path("guide/", include("guide.urls")),
    path("admin/", admin.site.urls),
]
