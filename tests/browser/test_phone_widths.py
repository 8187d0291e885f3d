"""Every page fits a phone: the access matrix's crawl (every URL pattern; the pages of objects each role owns, lists
and dashboards as every role, public pages anonymously) at 390×844 in real Chromium. A page fails when it is wider
than the screen, or when any visible element reaches past the screen's right edge without sitting inside a
scrolling wrapper marked as made for wide content (data-wide). A few key pages are photographed for docs/screenshots/phone-*.png.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.urls import reverse

from tests.matrix import load_all
from tests.test_access_matrix import project_urls

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# lists and dashboards (no object in the URL) are opened by every role that signs in
SIGNED_IN = ("city_staff", "county_b_staff", "unit_staff", "school_b_secretary", "branch_b_secretary", "member_b")
SHOTS = {  # (URL name, role) → screenshot name
    ("home", "member_b"): "phone-home-member.png",
    ("posts:org_posts", "branch_b_secretary"): "phone-branch-posts.png",
    ("targets:plan_detail", "school_b_secretary"): "phone-school-plan.png",
    ("reports:dashboard", "city_staff"): "phone-city-dashboard.png",
    ("evaluations:period_detail", "branch_b_secretary"): "phone-branch-rating.png",
}

# Offenders: visible elements whose box reaches past the viewport. An element is excused only inside a wrapper that
# clips it on purpose (overflow-x: hidden, e.g. .text-truncate) or inside a scrolling wrapper marked data-wide (wide
# by nature: Annex grids, score sheets); a plain .table-responsive does not excuse a table that could be cards.
# Only the outermost offender of each chain is reported.
FIND_OVERFLOW = """(vw) => {
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'hidden' || ox === 'clip' || p.hasAttribute('data-wide')) return true;
    }
    return false;
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].slice(0, 3).join('.');
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };
  const out = [];
  const seen = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= vw + 0.5) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.position === 'fixed') continue;
    if (clipped(el)) continue;
    let p = el.parentElement, inner = false;
    while (p) { if (seen.has(p)) { inner = true; break; } p = p.parentElement; }
    seen.add(el);
    if (!inner) out.push(`${name(el)} → ${Math.round(r.right)}px`);
  }
  const sw = document.documentElement.scrollWidth;
  if (sw > vw) out.unshift(`page ${sw}px wide`);
  return out.slice(0, 6);
}"""


def crawl(world) -> list[tuple[str, str, str]]:
    """(role, URL name, URL) for every GET page of the access matrix: the owner's view of each object, lists and
    dashboards as every signed-in role, public pages anonymously."""
    matrix = load_all()
    visits: list[tuple[str, str, str]] = []
    for name in project_urls():
        if name not in matrix:
            continue  # tests/test_access_matrix.py fails on a URL without an entry
        cases = matrix[name](world)
        for case in cases if isinstance(cases, list) else [cases]:
            if case.method != "get":
                continue
            url = reverse(name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
            if case.public:
                roles = ["anonymous"]
            elif case.owner:
                roles = [case.owner]
            else:
                roles = list(SIGNED_IN) if case.scan else []
            visits.extend((role, name, url) for role in roles)
    return list(dict.fromkeys(visits))


def test_every_page_fits_a_390px_phone(chromium, live_server, transactional_db):
    from django.conf import settings
    from django.test import Client

    from tests.world import build_world

    started = time.monotonic()
    world = build_world()
    visits = crawl(world)
    sessions: dict = {}  # role → (Django test client, browser page), both on the same session

    def session_for(role: str):
        if role not in sessions:
            client = Client(raise_request_exception=False)
            context = chromium.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True)
            if role != "anonymous":
                client.force_login(world.user(role))
                cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
            pg = context.new_page()
            pg.set_default_timeout(15_000)
            sessions[role] = (client, pg)
        return sessions[role]

    checked: dict[str, int] = {}
    names: set[str] = set()
    skipped: list[str] = []
    failures: list[str] = []
    for role, name, url in visits:
        client, page = session_for(role)
        probe = client.get(url)
        if probe.status_code >= 500:
            failures.append(f"{name} {url} as {role}: server error {probe.status_code}")
            continue
        if probe.status_code in (301, 302, 405) or not probe.get("Content-Type", "").startswith("text/html"):
            skipped.append(f"{name} as {role}: {probe.status_code} {probe.get('Content-Type', '')}")
            continue  # downloads (xlsx, pdf, evidence), redirects to pages crawled anyway
        if b"<html" not in probe.content[:500]:
            skipped.append(f"{name} as {role}: a fragment")
            continue  # htmx fragments, shown inside pages that are crawled
        page.goto(live_server.url + url, wait_until="load")
        if role != "anonymous" and "/accounts/login/" in page.url:
            failures.append(f"{name} {url} as {role}: the browser is not signed in")
        offenders = page.evaluate(FIND_OVERFLOW, WIDTH)
        checked[role] = checked.get(role, 0) + 1
        names.add(name)
        if offenders:
            failures.append(f"{name} {url} as {role}:\n    " + "\n    ".join(offenders))
        if os.environ.get("PHONE_CRAWL_SHOTS"):  # every page, full length, to look at by eye
            slug = re.sub(r"\W+", "-", f"{role}-{name}-{url}").strip("-")
            page.screenshot(path=str(Path(os.environ["PHONE_CRAWL_SHOTS"]) / f"{slug}.png"), full_page=True)
        if (name, role) in SHOTS:
            DOCS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS / SHOTS.pop((name, role))))
    for role in SIGNED_IN:  # the navigation, opened with its menu button, fits too
        _, page = session_for(role)
        page.goto(live_server.url + reverse("home"), wait_until="load")
        page.get_by_role("button", name="菜单").click()
        page.locator("#mainnav.show").wait_for()
        page.wait_for_timeout(400)  # the collapse animation
        offenders = page.evaluate(FIND_OVERFLOW, WIDTH)
        if offenders:
            failures.append(f"the opened menu as {role}:\n    " + "\n    ".join(offenders))
    for _, pg in sessions.values():
        pg.context.close()
    total = sum(checked.values())
    print(f"\nphone crawl: {total} pages ({len(names)} URL names) in {time.monotonic() - started:.0f}s, "
          f"per role {checked}; {len(failures)} too wide; not HTML or not 200: {len(skipped)}")
    if os.environ.get("PHONE_CRAWL_SHOTS"):
        print("\n".join(skipped))
    assert total >= 100 and set(checked) >= set(SIGNED_IN) | {"anonymous"}, (checked, skipped)
    assert not SHOTS, f"pages to photograph never crawled: {list(SHOTS)}"
    assert not failures, f"{len(failures)} of {total} pages are wider than a {WIDTH}px phone:\n" + "\n".join(failures)


def test_the_width_check_catches_what_a_phone_user_would_scroll_to(chromium, live_server, transactional_db):
    """The check itself: a wide table in a plain .table-responsive fails, the same table marked .table-cards fits as
    labelled cards, a table in a data-wide wrapper is excused, a long unbroken address wraps."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    heads = "".join(f"<th>第{i}列标题</th>" for i in range(8))
    cells = "".join(f'<td class="text-nowrap">第{i}列的内容比较长一些</td>' for i in range(8))
    table = f'<table class="table {{cls}}"><thead><tr>{heads}</tr></thead><tbody><tr>{cells}</tr></tbody></table>'

    def show(html: str) -> list[str]:
        page.evaluate("html => { document.querySelector('main').innerHTML = html; labelTableCards(); }", html)
        return page.evaluate(FIND_OVERFLOW, WIDTH)

    assert show(f'<div class="table-responsive">{table.format(cls="")}</div>')[0].startswith("table.table")
    assert show(f'<div class="table-responsive">{table.format(cls="table-cards")}</div>') == []
    assert page.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content") == '"第0列标题："'
    assert show(f'<div class="table-responsive" data-wide>{table.format(cls="")}</div>') == []
    assert show('<div style="width: 600px">x</div>') == ["page 612px wide", 'div "x" → 612px']
    assert show("<p>https://example.org/" + "a" * 120 + "</p>") == []
    context.close()
