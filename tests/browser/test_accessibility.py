"""WCAG 2.1 AA, as far as a machine can tell: axe-core (static/vendor/axe-core, loaded by the test only, never by a
page) runs on every page of the access matrix's crawl (the same visits as the phone-width crawl: each object's page
as its owner, lists and dashboards as every signed-in role, public pages anonymously) at desktop 1366×768 and phone
390×844 size in real Chromium. A page fails on any violation of impact critical or serious among the rules tagged
WCAG 2.0/2.1 A and AA; each failure names the rule, the page and the element.
"""

from __future__ import annotations

import html as htmllib
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.browser.test_phone_widths import SIGNED_IN, crawl

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
RUN_AXE = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                     resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'critical' || v.impact === 'serious').map(v => ({
    id: v.id, impact: v.impact, count: v.nodes.length,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' ') + (n.failureSummary ? ' — ' +
      n.failureSummary.split('\\n').slice(1, 2).join('').trim().slice(0, 120) : ''))}));
}"""
# Chromium lets the keyboard into any scrolling box, so axe skips scrollable-region-focusable there; Safari does not.
# Checked here instead: a visible box that scrolls sideways or down is itself focusable or holds something focusable.
UNREACHABLE_SCROLLERS = """() => [...document.body.querySelectorAll('*')].filter(el => {
  const st = getComputedStyle(el);
  const scrolls = (/(auto|scroll)/.test(st.overflowX) && el.scrollWidth > el.clientWidth + 1)
               || (/(auto|scroll)/.test(st.overflowY) && el.scrollHeight > el.clientHeight + 1);
  if (!scrolls || el.tabIndex >= 0 || !el.getClientRects().length) return false;
  return !el.querySelector('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])');
}).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + [...el.classList].join('.'))"""


def sessions_for(chromium, live_server, world):
    """role → size → (Django test client, browser page): one context per role and size, signed in once."""
    from django.conf import settings
    from django.test import Client

    made: dict = {}

    def get(role: str, size: str):
        if (role, size) not in made:
            client = Client(raise_request_exception=False)
            context = chromium.new_context(locale="zh-CN", viewport=SIZES[size], is_mobile=size == "phone")
            context.add_init_script(path=str(AXE))
            if role != "anonymous":
                client.force_login(world.user(role))
                cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
            pg = context.new_page()
            pg.set_default_timeout(15_000)
            made[role, size] = (client, pg)
        return made[role, size]

    return get, made


def test_every_page_passes_axe_wcag21_aa_at_desktop_and_phone_size(chromium, live_server, transactional_db):
    from tests.world import build_world

    started = time.monotonic()
    world = build_world()
    get, made = sessions_for(chromium, live_server, world)
    checked: Counter = Counter()
    by_rule: Counter = Counter()
    failures: list[str] = []
    for role, name, url in crawl(world):
        client, _ = get(role, "desktop")
        probe = client.get(url)
        if probe.status_code != 200 or not probe.get("Content-Type", "").startswith("text/html"):
            continue  # downloads and redirects; server errors are the phone crawl's to report
        if b"<html" not in probe.content[:500]:
            continue  # htmx fragments, checked inside the pages that show them
        for size in SIZES:
            _, page = get(role, size)
            page.goto(live_server.url + url, wait_until="load")
            found = page.evaluate(RUN_AXE)
            checked[size] += 1
            for box in page.evaluate(UNREACHABLE_SCROLLERS):
                by_rule["scrollable-region-focusable"] += 1
                failures.append(f"scrollable-region-focusable on {name} {url} as {role} at {size}: {box}")
            for v in found:
                by_rule[v["id"]] += v["count"]
                failures.append(f"{v['id']} ({v['impact']}, {v['count']} nodes) on {name} {url} as {role} at {size}:"
                                + "".join(f"\n    {t}" for t in v["targets"]))
    for _, pg in made.values():
        pg.context.close()
    print(f"\naxe crawl: {dict(checked)} pages in {time.monotonic() - started:.0f}s; serious/critical nodes by rule: "
          f"{dict(by_rule)}")
    assert checked["desktop"] >= 100 and checked["phone"] == checked["desktop"], checked
    assert {role for role, _ in made} >= set(SIGNED_IN) | {"anonymous"}
    assert not failures, f"{len(failures)} page checks fail WCAG 2.1 AA (axe):\n" + "\n".join(failures)


def test_axe_catches_what_it_is_trusted_to(chromium, live_server, transactional_db):
    """The check itself: on a real page, an unlabelled select, pale grey text and a scrolling box that a keyboard
    cannot reach are each reported."""
    context = chromium.new_context(locale="zh-CN", viewport=SIZES["desktop"])
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    assert page.evaluate(RUN_AXE) == []
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
      '<select><option>甲</option></select><p style="color:#aaa">浅灰色的字</p>' +
      '<div style="overflow:auto;height:40px">' + '第一行<br>'.repeat(20) + '</div>')""")
    assert {v["id"] for v in page.evaluate(RUN_AXE)} >= {"select-name", "color-contrast", "scrollable-region-focusable"}
    context.close()


def test_keyboard_only_skip_link_and_commitment_approval(chromium, live_server, transactional_db):
    """With the keyboard alone: the first Tab shows the skip link 跳到主要内容, Enter moves focus to the main content;
    from there Tab reaches the approve button of a submitted commitment, it has a visible focus ring, and Enter
    approves it."""
    from django.conf import settings
    from django.test import Client

    from posts import services
    from tests.posts_fixtures import make_commitment, make_post
    from tests.world import build_world

    world = build_world()
    secretary = world.user("branch_a_secretary")
    post = make_post(world.branch_a, "键盘测试岗", by=secretary)
    claim = services.post_claim(post=post, member=world.member_a, by=world.member_a.user)
    commitment = services.commitment_submit(commitment=make_commitment(claim), by=world.member_a.user)
    client = Client()
    client.force_login(secretary)
    context = chromium.new_context(locale="zh-CN", viewport=SIZES["desktop"])
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + commitment.get_absolute_url(), wait_until="load")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement") and skip.inner_text() == "跳到主要内容"
    assert skip.bounding_box()["width"] > 20  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for presses in range(1, 80):  # noqa: B007 (the count is printed after the loop)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "approve":
            break
    else:
        raise AssertionError("Tab never reaches the approve button")
    ring = page.locator("#approve").evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert ring.startswith("solid") and float(ring.split()[1].removesuffix("px")) >= 2, ring
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.locator("#commitment-state").wait_for()
    commitment.refresh_from_db()
    assert commitment.state == "approved", commitment.state
    assert page.locator("#commitment-state").inner_text() == "已审核通过"
    print(f"\napproved with the keyboard after {presses} Tab presses from the main content")
    context.close()


FOCUS_LOG = """() => { window.focusLog = [];
  document.addEventListener('focusin', e => window.focusLog.push(e.target.id || e.target.tagName.toLowerCase())); }"""


def _tab_to(page, test: str, limit: int = 80) -> int:
    """Tab until the focused element passes the JS test; the number of presses."""
    for presses in range(1, limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return presses
    raise AssertionError(f"Tab never reaches {test}")


def test_keyboard_only_annex5_submission_and_the_confirm_dialog_returns_focus(chromium, live_server, transactional_db):
    """From the Annex 5 page, with Tab, typing and Enter alone, a unit opens its quarter's report, fills it in and
    报送. The 确定报送？ question is the browser's own modal dialog (nothing on the page can take focus while it is
    open); answered 取消 it leaves focus on the 报送 button and nothing submitted, answered 确定 it submits."""
    from django.conf import settings
    from django.test import Client

    from reports.models import QuarterlyReport
    from tests.world import build_world

    world = build_world()
    client = Client()
    client.force_login(world.user("unit_staff"))
    context = chromium.new_context(locale="zh-CN", viewport=SIZES["desktop"])
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    answers: list[bool] = [False, True]  # first 取消, then 确定
    asked: list[str] = []

    def on_dialog(dialog):
        asked.append(f"{dialog.type}: {dialog.message}")
        dialog.accept() if answers.pop(0) else dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(live_server.url + "/reports/quarterly/?year=2026&quarter=4", wait_until="load")
    presses = _tab_to(page, "el.tagName === 'BUTTON' && el.innerText.includes('填报2026年第四季度季报表')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/quarterly/*/")
    report = QuarterlyReport.objects.get(organization=world.unit, year=2026, quarter=4)
    assert report.state == "draft"

    texts = {"主要做法和成效": "全面推行“六步工作法”，党员亮岗承诺全部公开。", "存在问题": "个别支部承诺不够具体。",
             "下一步打算": "年底前推广面达到100%。", "填报人": "林雅婷", "联系电话": "0595-22919000"}
    filled: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const el = document.activeElement;
          return {id: el.id, label: el.labels && el.labels.length ? el.labels[0].innerText.replace('*', '').trim() : ''}; }""")
        if focused["label"] in texts and focused["label"] not in filled:
            page.keyboard.press("Control+A")
            page.keyboard.type(texts[focused["label"]])
            filled.append(focused["label"])
        if focused["id"] == "submit-report":
            break
    else:
        raise AssertionError("Tab never reaches 报送")
    assert sorted(filled) == sorted(texts), filled

    page.evaluate(FOCUS_LOG)
    page.keyboard.press("Enter")  # asks 确定报送？, answered 取消
    page.wait_for_timeout(300)
    assert asked == ["confirm: 确定报送？报送后不能修改，除非被退回。"], asked
    assert page.evaluate("document.activeElement.id") == "submit-report"  # focus back on the button that asked
    assert page.evaluate("window.focusLog") in ([], ["submit-report"])  # nothing else on the page took focus
    report.refresh_from_db()
    assert report.state == "draft" and report.practices == ""  # nothing submitted, nothing saved

    page.keyboard.press("Enter")  # asked again, answered 确定
    page.get_by_text("已报送市委教育工委").first.wait_for()
    report.refresh_from_db()
    assert report.state == "submitted" and report.filled_by == "林雅婷", (report.state, report.filled_by)
    assert report.practices == texts["主要做法和成效"]
    assert len(asked) == 2 and not answers
    print(f"\nAnnex 5 opened after {presses} Tab presses, submitted with the keyboard")
    context.close()


def test_charts_keep_their_summary_and_draw_patterns_as_well_as_colours(chromium, live_server, transactional_db):
    """On the dashboard the drawn charts keep the server's summary as their name (ECharts does not replace it) and
    the charts whose series differ by colour (submission status, grades) also differ by pattern, legend included."""
    from django.conf import settings
    from django.test import Client

    from tests.world import build_world

    world = build_world()
    client = Client()
    client.force_login(world.user("city_staff"))
    labels = dict(re.findall(r'data-chart="(\w+)"[^>]*aria-label="([^"]*)"', client.get("/reports/").content.decode()))
    context = chromium.new_context(locale="zh-CN", viewport=SIZES["desktop"])
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/reports/", wait_until="load")
    page.locator("[data-chart=grades] svg").first.wait_for()
    drawn = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-chart]')].map(el => [
      el.dataset.chart, {label: el.getAttribute('aria-label'), role: el.getAttribute('role'),
                         patterns: el.querySelectorAll('svg pattern').length}]))""")
    assert set(drawn) == {"coverage", "status", "progress", "grades", "demos"}
    for name, chart in drawn.items():
        assert chart["role"] == "img" and chart["label"] == htmllib.unescape(labels[name]), (name, chart)
    for name in ("status", "grades"):
        assert drawn[name]["patterns"] >= 4, (name, drawn[name])  # one pattern per series (decals)
    context.close()


def test_a_filter_select_waits_for_enter_when_used_with_the_keyboard(chromium, live_server, transactional_db):
    """The quarter filter of the Annex 5 page: arrow keys step through the quarters without reloading the page (WCAG
    3.2.2); Enter applies the choice. Chosen with the mouse, it applies at once."""
    from django.conf import settings
    from django.test import Client

    from tests.world import build_world

    world = build_world()
    client = Client()
    client.force_login(world.user("unit_staff"))
    context = chromium.new_context(locale="zh-CN", viewport=SIZES["desktop"])
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/reports/quarterly/?year=2026&quarter=4", wait_until="load")
    _tab_to(page, "el.tagName === 'SELECT' && el.name === 'quarter'")
    page.evaluate("window.stayed = true")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    page.wait_for_timeout(500)
    assert page.evaluate("window.stayed === true && document.activeElement.value") == "2"  # still this page
    page.keyboard.press("Enter")
    page.wait_for_url("**quarter=2**")
    page.select_option("select[name=quarter]", "1")  # as a mouse choice: at once
    page.wait_for_url("**quarter=1**")
    context.close()
