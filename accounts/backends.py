"""Authentication backends for single sign-on, listed in AUTHENTICATION_BACKENDS only when the deployment configures
them (config/settings.py): OpenID Connect (mozilla-django-oidc) and CAS (django-cas-ng). Both hand the identity the
provider vouches for to services.sso_login_for; a refusal is shown on the login page in Chinese."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.utils.translation import gettext as _
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .services import sso_login_for

logger = logging.getLogger(__name__)


def _refuse(request, exc: ValidationError) -> None:
    if request is not None:
        messages.error(request, " ".join(exc.messages))


def _unreachable(request, exc: Exception) -> None:
    logger.warning("single sign-on failed: %s", exc)
    if request is not None:
        messages.error(request, _("统一身份认证未能完成，请稍后重试，或使用平台账号和密码登录。"))


class OIDCBackend(OIDCAuthenticationBackend):
    """OpenID Connect authorization-code flow; the 工号 and mobile number are read from the claims named by
    OIDC_STAFF_NO_CLAIM and OIDC_PHONE_CLAIM (ID token and userinfo together)."""

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation) as exc:
            _unreachable(request, exc)
            return None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **(self.get_userinfo(access_token, id_token, payload) or {})}
        try:
            user = sso_login_for(
                staff_no=claims.get(settings.OIDC_STAFF_NO_CLAIM, ""), phone=claims.get(settings.OIDC_PHONE_CLAIM, "")
            )
        except ValidationError as exc:
            _refuse(self.request, exc)
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        return getattr(user, "is_active", False)


class CASSignOnBackend(CASBackend):
    """CAS 2.0/3.0 service-ticket validation; the 工号 is the CAS user name (or the attribute CAS_STAFF_NO_ATTRIBUTE)
    and the mobile number the attribute CAS_PHONE_ATTRIBUTE (CAS 3.0 releases attributes)."""

    def authenticate(self, request, ticket, service):
        client = get_cas_client(service_url=service, request=request)
        try:
            username, attributes, _pgtiou = client.verify_ticket(ticket)
        except (requests.RequestException, ValueError) as exc:
            _unreachable(request, exc)
            return None
        if not username:
            _unreachable(request, ValueError("ticket not valid"))
            return None
        attributes = attributes or {}
        staff_no = attributes.get(settings.CAS_STAFF_NO_ATTRIBUTE, "") if settings.CAS_STAFF_NO_ATTRIBUTE else username
        try:
            user = sso_login_for(staff_no=staff_no, phone=attributes.get(settings.CAS_PHONE_ATTRIBUTE, ""))
        except ValidationError as exc:
            _refuse(request, exc)
            return None
        return user if self.user_can_authenticate(user) else None
