"""A real identity provider for the single sign-on tests: the Django project tests/sso_idp (django-oidc-provider for
OpenID Connect, django-mama-cas for CAS) served by `runserver` in a second process on a free loopback port.

`IdentityProvider.sign_in(url, username, password)` plays the person's browser at the provider: it follows the
provider's redirects from `url`, fills in the provider's own login form, and returns the first address outside the
provider (the platform's callback with the code or the service ticket), for the test client to open."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID = "platform-168"
CLIENT_SECRET = "sso-test-secret"
REDIRECT_URI = "http://testserver/accounts/sso/oidc/callback/"
PASSWORD = "idp-pw-168"


class _Inputs(HTMLParser):
    """The named inputs of the first form on a page, with their values."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.forms = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms += 1
        elif tag == "input" and self.forms == 1 and a.get("name") and a.get("type") not in ("checkbox", "submit"):
            self.fields.setdefault(a["name"], a.get("value") or "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class IdentityProvider:
    def __init__(self, tmp: Path, people: list[tuple[str, str, str]]):
        """people: (工号 as the login name, name, mobile number); each signs in with PASSWORD."""
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "idp.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
            "DJANGO_SETTINGS_MODULE": "tests.sso_idp.settings",
            "IDP_DB": str(tmp / "idp.sqlite3"),
            "IDP_URL": self.url,
            "PYTHONPATH": str(ROOT),
        }
        specs = [f"{u}:{PASSWORD}:{name}:{mobile}" for u, name, mobile in people]
        subprocess.run(
            [sys.executable, "-m", "tests.sso_idp.setup", CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, *specs],
            cwd=ROOT, env=self.env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> IdentityProvider:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/openid/.well-known/openid-configuration", timeout=2).ok:
                    return self
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the identity provider did not start:\n" + self.log.read_text(errors="replace"))
            time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    # the settings the platform reads from the environment, pointing at this provider
    def oidc_settings(self) -> dict:
        base = self.url + "/openid"
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": base + "/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": base + "/token",
            "OIDC_OP_USER_ENDPOINT": base + "/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": base + "/jwks",
        }

    def cas_settings(self) -> dict:
        return {"CAS_SERVER_URL": self.url + "/cas/"}

    def sign_in(self, url: str, username: str, password: str = PASSWORD) -> str:
        browser = requests.Session()
        browser.trust_env = False
        for _ in range(10):
            if not url.startswith(self.url):
                return url
            r = browser.get(url, allow_redirects=False, timeout=10)
            if r.status_code == 200:
                form = _Inputs()
                form.feed(r.text)
                assert "password" in form.fields, r.text[:2000]
                form.fields.update(username=username, password=password)
                r = browser.post(url, data=form.fields, allow_redirects=False, timeout=10)
            assert r.status_code in (301, 302, 303), f"{r.status_code} at {url}: {r.text[:2000]}"
            url = urljoin(url, r.headers["Location"])
        raise AssertionError(f"the provider kept redirecting: {url}")
