"""Older teachers zoom in or set a large default font. The main pages of each role, on a 1366×768 screen:

- at 200 % zoom (Chromium then lays the page out 683×384 CSS pixels wide at two device pixels each), and
- with the browser's default font set to 32 px (twice the usual 16 px; set as Chrome's settings page does, through
  the DevTools protocol's Page.setFontSizes),

the page never scrolls sideways, and every primary button on it (the party-red and blue ones, and every submit
button) can be scrolled to, lies within the screen's width and is the element a click at its centre lands on.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.test_phone_widths import SIGNED_IN

pytestmark = pytest.mark.browser
SCREEN = {"width": 1366, "height": 768}
MODES = {
    "200% zoom": {"viewport": {"width": 683, "height": 384}, "device_scale_factor": 2},
    "32px font": {"viewport": SCREEN, "device_scale_factor": 1, "font": 32},
}
# the pages each role works on every day (each object's page as its owner, lists as every signed-in role)
MAIN_PAGES = {
    "login", "home", "reports:dashboard", "reports:quarterly_list", "reports:quarterly_detail", "reports:annexes",
    "targets:index", "targets:plan_detail", "targets:items_grid", "posts:org_posts", "posts:mine", "posts:annex2",
    "posts:commitment_detail", "posts:review_queue", "organizations:detail", "organizations:members",
    "evaluations:period_detail", "evaluations:self_evaluation", "notifications:inbox", "targets:public",
}
PRIMARY = "#main .btn-party, #main .btn-primary, #main .btn-success, #main button[type=submit], #main input[type=submit]"
CHECK = """async (selector) => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const sw = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  if (sw > vw + 1) out.push(`the page scrolls sideways: ${sw}px wide in a ${vw}px window`);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
                       (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 30) + '"';
  let buttons = 0;
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || !el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('[hidden], .d-none, .collapse:not(.show), noscript')) continue;
    buttons += 1;
    el.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    await new Promise(requestAnimationFrame);
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > vw + 1) { out.push(`${name(el)} reaches past the screen (${Math.round(r.left)}–${Math.round(r.right)}px of ${vw})`); continue; }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!hit || !(hit === el || el.contains(hit))) out.push(`${name(el)} is covered by ${hit ? name(hit) : 'nothing'}`);
  }
  window.scrollTo(0, 0);
  return {problems: out, buttons};
}"""


def main_pages(world) -> list[tuple[str, str, str]]:
    """(role, URL name, URL) as the access matrix's crawl visits them, for the main pages only."""
    from django.urls import reverse

    from tests.matrix import load_all

    matrix = load_all()
    visits = []
    for name in sorted(MAIN_PAGES):
        cases = matrix[name](world)
        for case in cases if isinstance(cases, list) else [cases]:
            if case.method != "get":
                continue
            url = reverse(name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
            roles = ["anonymous"] if case.public else [case.owner] if case.owner else list(SIGNED_IN) if case.scan else []
            visits.extend((role, name, url) for role in roles)
    return list(dict.fromkeys(visits))


def test_main_pages_of_every_role_work_at_200_percent_zoom_and_with_a_32px_font(chromium, live_server, transactional_db):
    from django.conf import settings
    from django.test import Client

    from tests.world import build_world

    started = time.monotonic()
    world = build_world()
    visits = main_pages(world)
    sessions: dict = {}

    def session_for(role: str, mode: str):
        if (role, mode) not in sessions:
            client = Client(raise_request_exception=False)
            spec = MODES[mode]
            context = chromium.new_context(locale="zh-CN", viewport=spec["viewport"],
                                           device_scale_factor=spec["device_scale_factor"])
            if role != "anonymous":
                client.force_login(world.user(role))
                cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
            pg = context.new_page()
            pg.set_default_timeout(15_000)
            if "font" in spec:
                cdp = context.new_cdp_session(pg)
                cdp.send("Page.enable")
                cdp.send("Page.setFontSizes", {"fontSizes": {"standard": spec["font"], "fixed": spec["font"] - 3}})
            sessions[role, mode] = (client, pg)
        return sessions[role, mode]

    failures: list[str] = []
    checked: dict[str, int] = {}
    buttons = 0
    names: set[str] = set()
    for role, name, url in visits:
        probe = session_for(role, "200% zoom")[0].get(url)
        if probe.status_code != 200 or b"<html" not in probe.content[:500]:
            continue
        for mode in MODES:
            _, page = session_for(role, mode)
            page.goto(live_server.url + url, wait_until="load")
            if mode == "32px font":
                size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
                assert size >= 30, f"the large default font did not apply on {url}: body text {size}px"
            found = page.evaluate(CHECK, PRIMARY)
            buttons += found["buttons"]
            checked[mode] = checked.get(mode, 0) + 1
            names.add(name)
            if found["problems"]:
                failures.append(f"{name} {url} as {role} at {mode}:\n    " + "\n    ".join(found["problems"][:6]))
    for _, pg in sessions.values():
        pg.context.close()
    print(f"\nzoom and large font: {checked} pages ({len(names)} URL names), {buttons} primary buttons clicked at, "
          f"in {time.monotonic() - started:.0f}s")
    assert names >= MAIN_PAGES - {"posts:review_queue", "evaluations:self_evaluation"}, MAIN_PAGES - names
    assert {role for role, _ in sessions} >= set(SIGNED_IN) | {"anonymous"}
    assert buttons >= 50, buttons
    assert not failures, f"{len(failures)} pages fail at 200% zoom or with a 32px font:\n" + "\n".join(failures)


def test_the_zoom_check_catches_a_wide_page_and_a_covered_button(chromium, live_server, transactional_db):
    """The check itself: a box wider than the window and a primary button under another element are each reported,
    and the browser's font setting reaches the page."""
    context = chromium.new_context(locale="zh-CN", **{k: v for k, v in MODES["200% zoom"].items()})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    assert page.evaluate(CHECK, PRIMARY) == {"problems": [], "buttons": 1}
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
      '<div style="width: 900px">宽</div><div style="position:relative"><button class="btn btn-party" id="under">报送</button>' +
      '<div style="position:absolute;inset:0;background:#fff">遮挡</div></div>')""")
    problems = page.evaluate(CHECK, PRIMARY)["problems"]
    assert problems[0].startswith("the page scrolls sideways") and any("button#under" in p and "covered" in p for p in problems)
    cdp = context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 29}})
    page.goto(live_server.url + "/accounts/login/")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 30
    context.close()
