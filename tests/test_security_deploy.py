"""Production settings (DEBUG=0): HTTPS only, secure cookies, HSTS, a CSP without inline scripts; no inline script in
any template."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-168-" + "y" * 30,
    "ALLOWED_HOSTS": "dangjian.example.edu.cn",
    "DATABASE_URL": "sqlite:////tmp/deploy-probe-168.sqlite3",
}


@pytest.fixture(scope="module")
def production():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}}
    env.update(PRODUCTION_ENV)
    r = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fuzz" / "prod_probe.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_it_runs_with_debug_off(production):
    assert production["debug"] is False


def test_it_redirects_plain_http_to_https(production):
    assert production["http_status"] == 301
    assert production["http_location"].startswith("https://dangjian.example.edu.cn/")


def test_it_sets_hsts_over_https(production):
    assert production["https_status"] == 200
    hsts = production["hsts"]
    seconds = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert seconds >= 31536000 and "includeSubDomains" in hsts


def test_it_marks_cookies_secure(production):
    assert production["csrf_cookie_secure"] is True
    assert production["csrf_cookie_secure_setting"] is True
    assert production["session_cookie_secure"] is True
    assert production["session_cookie_httponly"] is True


def test_it_sends_a_csp_without_inline_scripts(production):
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in production["csp"].split(";") if part.strip()
    )
    assert "'self'" in directives["script-src"]
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    assert directives.get("object-src") == "'none'" and directives.get("frame-ancestors") == "'none'"
    assert production["nosniff"] == "nosniff" and production["frame"] == "DENY"


def test_it_serves_a_page_with_no_inline_script(production):
    for tag in re.findall(r"<script\b[^>]*>", production["body"], flags=re.I):
        assert "src=" in tag, tag


# ---- templates ---------------------------------------------------------------------------------------------------

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)
# data blocks (json_script and friends) are never executed, so the CSP does not need to allow them
DATA_TYPES = ("application/json", "application/ld+json", "text/template")


def project_templates() -> list[Path]:
    dirs = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    return [p for d in dirs for p in sorted(d.rglob("*.html")) if ".venv" not in p.parts]


def test_it_finds_templates():
    assert len(project_templates()) >= 10


def test_it_has_no_inline_script_in_any_template():
    offenders = []
    for path in project_templates():
        text = path.read_text(encoding="utf-8")
        for match in SCRIPT_TAG.finditer(text):
            attrs = match.group(1)
            if "src=" in attrs or any(t in attrs for t in DATA_TYPES):
                continue
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert not offenders, "inline <script> (the CSP forbids it; use static/js/<app>.js):\n" + "\n".join(offenders)


def test_it_has_no_inline_event_handler_or_javascript_url_in_any_template():
    offenders = []
    for path in project_templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_HANDLER.search(line) or JS_URL.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not offenders, "inline JavaScript in templates (blocked by the CSP):\n" + "\n".join(offenders)
