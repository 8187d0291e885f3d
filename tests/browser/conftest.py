"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live test server."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which(CHROMIUM):
        pytest.fail("Chromium is not installed: run `make system-deps` (apt package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):
    """A phone-sized page, as branch secretaries often use."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.base_url = live_server.url
    yield pg
    context.close()


def sign_in(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def open_signed_in(chromium, base_url: str, username: str, password: str, *, phone: bool = False, viewport=None):
    """A new browser context signed in as the user: (context, page); the caller closes the context."""
    context = chromium.new_context(locale="zh-CN", viewport=viewport or (PHONE if phone else DESKTOP), is_mobile=phone)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = base_url
    sign_in(page, username, password)
    return context, page


def go(page, path: str) -> None:
    page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")


@pytest.fixture
def browser_world(transactional_db):
    from tests.world import build_world

    return build_world()
