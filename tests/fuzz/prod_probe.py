"""Run in a subprocess with production settings (DEBUG=0): fetch pages over HTTP and HTTPS, print what was seen as JSON."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

setup_test_environment()
HOST = settings.ALLOWED_HOSTS[0]
# the manifest only exists after collectstatic; the page's headers do not depend on it
with override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    ALLOWED_HOSTS=[HOST, "testserver"],
):
    client = Client(HTTP_HOST=HOST)
    plain = client.get("/accounts/login/")
    secure = client.get("/accounts/login/", secure=True)
    csrf = secure.cookies.get(settings.CSRF_COOKIE_NAME)
    print(
        json.dumps(
            {
                "debug": settings.DEBUG,
                "http_status": plain.status_code,
                "http_location": plain.get("Location", ""),
                "https_status": secure.status_code,
                "hsts": secure.get("Strict-Transport-Security", ""),
                "csp": secure.get("Content-Security-Policy", ""),
                "nosniff": secure.get("X-Content-Type-Options", ""),
                "frame": secure.get("X-Frame-Options", ""),
                "referrer": secure.get("Referrer-Policy", ""),
                "csrf_cookie_secure": bool(csrf and csrf["secure"]),
                "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
                "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
                "csrf_cookie_secure_setting": settings.CSRF_COOKIE_SECURE,
                "body": secure.content.decode("utf-8", "replace"),
            }
        )
    )
