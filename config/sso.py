"""Single sign-on settings, read from the environment (docs/operations.md), each provider optional: OpenID Connect
(mozilla-django-oidc) when OIDC_RP_CLIENT_ID is set, CAS (django-cas-ng) when CAS_SERVER_URL is set; with neither,
the login page is password only. A provider's identity is matched to a member on the roster by 工号 or mobile number
and never creates anyone with a role (accounts/services/sso.py)."""

import os

__all__ = [
    "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT", "OIDC_RP_SIGN_ALGO", "OIDC_RP_SCOPES", "OIDC_STAFF_NO_CLAIM",
    "OIDC_PHONE_CLAIM", "OIDC_LABEL", "OIDC_AUTHENTICATION_CALLBACK_URL", "CAS_SERVER_URL", "CAS_VERSION",
    "CAS_STAFF_NO_ATTRIBUTE", "CAS_PHONE_ATTRIBUTE", "CAS_LABEL", "CAS_CREATE_USER", "CAS_LOGIN_MSG", "CAS_REDIRECT_URL",
    "SSO_BACKENDS",
]  # fmt: skip

OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile phone")
OIDC_STAFF_NO_CLAIM = os.environ.get("OIDC_STAFF_NO_CLAIM", "preferred_username")
OIDC_PHONE_CLAIM = os.environ.get("OIDC_PHONE_CLAIM", "phone_number")
OIDC_LABEL = os.environ.get("OIDC_LABEL", "统一身份认证登录")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "")
CAS_VERSION = os.environ.get("CAS_VERSION", "3")
CAS_STAFF_NO_ATTRIBUTE = os.environ.get("CAS_STAFF_NO_ATTRIBUTE", "")  # empty: the CAS user name is the 工号
CAS_PHONE_ATTRIBUTE = os.environ.get("CAS_PHONE_ATTRIBUTE", "mobile")
CAS_LABEL = os.environ.get("CAS_LABEL", "统一身份认证登录（CAS）")
CAS_CREATE_USER = False
CAS_LOGIN_MSG = None
CAS_REDIRECT_URL = "home"
SSO_BACKENDS = (["accounts.backends.OIDCBackend"] if OIDC_RP_CLIENT_ID else []) + (
    ["accounts.backends.CASSignOnBackend"] if CAS_SERVER_URL else []
)
