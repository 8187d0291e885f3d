"""Single sign-on entry points, public by design: each answers 404 unless the deployment configures its provider
(OIDC_RP_CLIENT_ID, CAS_SERVER_URL). A refused identity returns to the login page with the reason."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_cas_ng.views import LoginView as CASLoginView
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


def oidc_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def cas_enabled() -> bool:
    return bool(settings.CAS_SERVER_URL)


class _Callback(OIDCAuthenticationCallbackView):
    @property
    def failure_url(self) -> str:
        return reverse("login")


@never_cache
def oidc_login(request: HttpRequest) -> HttpResponse:
    if not oidc_enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc_enabled():
        raise Http404
    return _Callback.as_view()(request)


@never_cache
def cas_login(request: HttpRequest) -> HttpResponse:
    if not cas_enabled():
        raise Http404
    after = request.GET.get("next", "")
    if after and not url_has_allowed_host_and_scheme(after, {request.get_host()}, require_https=request.is_secure()):
        return redirect("accounts:cas_login")  # back here only: never on to another site
    try:
        return CASLoginView.as_view()(request)
    except PermissionDenied:  # the backend has said why
        return redirect("login")


def providers() -> list[dict]:
    """The single sign-on buttons of the login page (none when the deployment has none)."""
    out = []
    if oidc_enabled():
        out.append({"label": settings.OIDC_LABEL, "url": reverse("accounts:oidc_login")})
    if cas_enabled():
        out.append({"label": settings.CAS_LABEL, "url": reverse("accounts:cas_login")})
    return out
