from django.urls import path

from .views import activate, logins, profile, sso

app_name = "accounts"

urlpatterns = [
    path("activate/", activate.activate, name="activate"),
    path("profile/", profile.profile, name="profile"),
    path("password/reset/", activate.password_reset, name="password_reset"),
    path("password/reset/sent/", activate.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", activate.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/done/", activate.password_reset_complete, name="password_reset_complete"),
    path("password/sms/", activate.sms_request, name="sms_request"),
    path("password/sms/reset/", activate.sms_reset, name="sms_reset"),
    path("org/<int:pk>/logins/", logins.logins, name="logins"),
    path("org/<int:pk>/logins/issue/", logins.logins_issue, name="logins_issue"),
    path("sheets/<int:pk>/", logins.sheet, name="sheet"),
    path("members/<int:pk>/login/", logins.login_state, name="login_state"),
    # single sign-on, when the deployment configures it
    path("sso/oidc/login/", sso.oidc_login, name="oidc_login"),
    path("sso/oidc/callback/", sso.oidc_callback, name="oidc_callback"),
    path("sso/cas/login/", sso.cas_login, name="cas_login"),
]
