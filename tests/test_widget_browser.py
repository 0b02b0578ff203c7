"""The chat widget in headless Chromium (Debian's package; the `browser` fixture), against
the real servers. Screenshots go to results/screenshots/ (git-ignored)."""
from __future__ import annotations

import json
import re
import sqlite3

import pytest
import requests

from helpers import RED_FLAG, SCREENSHOTS, ask, bot, run_axe

SOCKET = re.compile(r"/socket\.io/")
PRODUCTS = "Which CAR T products are approved?"
XSS = (
    '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> '
    '<a href="javascript:window.__xss=3">html link</a> [md link](javascript:window.__xss=4) '
    '<svg onload="window.__xss=5"></svg> [safe link](https://www.cancer.gov/)'
)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=20_000)


def user_said(page):
    return page.locator(".cartw-msg--user .cartw-text")


def stored_session_id(page) -> str:
    return page.evaluate("Object.values(sessionStorage).map(JSON.parse)[0].sessionId")


def greeted(page):
    expect(bot(page).first).to_contain_text("automated assistant")
    return page


def test_page_is_served_with_a_strict_content_security_policy(stack):
    response = requests.get(stack.web_url, timeout=10)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp
    assert f"connect-src {stack.rasa_url} {stack.rasa_url.replace('http', 'ws')}" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert f'data-server-url="{stack.rasa_url}"' in response.text


def test_socket_io_accepts_only_the_configured_origins(stack):
    handshake = f"{stack.rasa_url}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(handshake, headers={"Origin": stack.web_url}, timeout=10)
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == stack.web_url
    assert requests.get(handshake, headers={"Origin": "https://evil.example"}, timeout=10).status_code == 400


def test_question_answer_and_quick_reply(new_page):
    page = greeted(new_page())
    expect(page.locator(".cartw-disclaimer")).to_have_text(
        "Automated information, not medical advice. In an emergency call 911.")
    ask(page, "How are my T cells collected?")
    expect(user_said(page).last).to_have_text("How are my T cells collected?")
    expect(bot(page).last).to_contain_text("leukapheresis")

    reply = page.locator(".cartw-reply").first
    title = reply.inner_text()
    answers = bot(page).count()
    reply.click()
    expect(user_said(page).last).to_have_text(title)
    expect(bot(page)).to_have_count(answers + 1)
    assert len(bot(page).last.inner_text()) > 100


def test_typing_indicator_while_waiting_for_the_reply(new_page):
    hold, held = {"on": False}, []

    def relay(ws):  # holds the server's frames while hold["on"]
        server = ws.connect_to_server()
        server.on_message(lambda frame: held.append((ws, frame)) if hold["on"] else ws.send(frame))

    page = greeted(new_page(before_load=lambda p: p.route_web_socket(SOCKET, relay)))
    typing = page.locator(".cartw-typing")
    expect(typing).to_be_hidden()
    hold["on"] = True
    ask(page, "What is CAR T?")
    expect(typing).to_be_visible()
    page.wait_for_timeout(1000)
    expect(bot(page)).to_have_count(1)
    hold["on"] = False
    for ws, frame in held:
        ws.send(frame)
    expect(typing).to_be_hidden()
    expect(bot(page)).to_have_count(2)


def test_red_flag_gets_the_emergency_reply_in_a_distinct_style(new_page):
    page = greeted(new_page())
    ask(page, RED_FLAG)
    emergency = page.locator(".cartw-msg--emergency")
    expect(emergency).to_contain_text("Call your CAR T team's 24/7 number")
    expect(emergency.locator(".cartw-urgent")).to_have_text("Urgent")
    normal = bot(page).first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert emergency.evaluate("e => getComputedStyle(e).backgroundColor") != normal


def test_thoughts_of_suicide_get_the_crisis_reply_in_the_urgent_style(new_page):
    page = greeted(new_page())
    ask(page, "What is cytokine release syndrome?")
    expect(bot(page)).to_have_count(2)
    ask(page, "I keep thinking about ending it.")
    crisis = page.locator(".cartw-msg--emergency")
    expect(crisis).to_contain_text("988")
    expect(crisis.locator('a[href="tel:988"]').first).to_be_visible()  # tap to call
    expect(page.locator(".cartw-reply")).to_have_count(0)  # no buttons that lead away


def test_a_long_answer_opens_at_its_start_below_the_question(new_page):
    page = greeted(new_page(viewport=(375, 667), touch=True))
    ask(page, PRODUCTS)
    expect(bot(page)).to_have_count(2)
    page.wait_for_timeout(300)
    log = page.locator(".cartw-log").bounding_box()
    question = page.locator(".cartw-msg--user").last.bounding_box()
    answer = bot(page).last.bounding_box()
    assert answer["height"] > log["height"] / 2  # long enough to matter
    assert log["y"] <= question["y"] and question["y"] + question["height"] <= answer["y"] < log["y"] + log["height"] / 2


def test_phone_numbers_are_tap_to_call_links(new_page):
    page = greeted(new_page())
    ask(page, RED_FLAG)
    emergency = page.locator(".cartw-msg--emergency")
    expect(emergency.locator('a[href="tel:911"]').first).to_be_visible()
    ask(page, "Can I talk to a person?")
    expect(bot(page).last.locator('a[href="tel:+18004226237"]')).to_have_text("1-800-422-6237")
    expect(bot(page).last.locator('a[href="tel:+18887939355"]')).to_have_count(1)


def test_after_a_tap_no_button_keeps_a_highlight(new_page):
    page = greeted(new_page(viewport=(375, 667), touch=True))
    page.locator(".cartw-reply").first.tap()
    expect(bot(page)).to_have_count(2)
    first = page.locator(".cartw-reply").first
    expect(first).to_be_visible()
    assert not page.evaluate("matchMedia('(hover: hover)').matches")  # a touch screen
    first.hover()  # where a tap leaves the pointer: a :hover style would stick
    assert first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    assert first.evaluate("e => getComputedStyle(e).webkitTapHighlightColor") == "rgba(0, 0, 0, 0)"


def test_the_embed_snippet_fits_a_phone_screen(new_page):
    page = new_page(viewport=(360, 740))
    snippet = page.locator("pre")
    assert snippet.evaluate("e => e.scrollWidth <= e.clientWidth")


def test_reload_keeps_the_conversation_and_a_new_browser_starts_afresh(new_page, stack):
    page = greeted(new_page())
    ask(page, "What is cytokine release syndrome?")
    expect(bot(page)).to_have_count(2)
    session_id = stored_session_id(page)

    page.reload()
    expect(bot(page)).to_have_count(2)
    expect(user_said(page)).to_have_text(["What is cytokine release syndrome?"])
    ask(page, "How is it treated?")
    expect(bot(page)).to_have_count(3)
    with sqlite3.connect(stack.tracker_db) as db:
        said = [json.loads(d)["text"] for (d,) in db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (f"webchat:{session_id}",))]
    assert said == ["/greet", "What is cytokine release syndrome?", "How is it treated?"]

    other = greeted(new_page())
    expect(bot(other)).to_have_count(1)
    assert stored_session_id(other) != session_id


def test_keyboard_only(new_page):
    page = greeted(new_page())
    launcher = page.get_by_role("button", name="Ask about CAR T")
    for _ in range(30):
        if launcher.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")  # the demo page starts open: this closes it
    expect(page.locator(".cartw-panel")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page.locator(".cartw-panel")).to_be_visible()
    expect(page.get_by_label("Your question")).to_be_focused()

    page.keyboard.type("What does CAR T cost?")
    page.keyboard.press("Enter")
    expect(bot(page)).to_have_count(2)
    page.keyboard.press("Shift+Tab")  # the last quick reply sits just before the input
    expect(page.locator(".cartw-reply").last).to_be_focused()
    page.keyboard.press("Enter")
    expect(bot(page)).to_have_count(3)
    expect(page.get_by_label("Your question")).to_be_focused()

    page.keyboard.press("Escape")
    expect(page.locator(".cartw-panel")).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_html_and_script_urls_in_messages_are_inert(new_page):
    sockets = []

    def relay(ws):  # passes traffic through and lets the test play the server
        ws.connect_to_server()
        sockets.append(ws)

    # Without the page's CSP: the sanitiser alone must make the markup inert.
    page = greeted(new_page(before_load=lambda p: p.route_web_socket(SOCKET, relay), bypass_csp=True))
    sockets[-1].send("42" + json.dumps(["bot_uttered", {"text": XSS}]))
    expect(bot(page)).to_have_count(2)
    ask(page, XSS)
    expect(user_said(page).last).to_have_text(XSS)

    log = page.locator(".cartw-log")
    assert log.locator("img, script, svg, iframe, [onerror], [onload]").count() == 0
    hrefs = log.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(h is None or h.startswith(("https://", "tel:")) for h in hrefs) and "https://www.cancer.gov/" in hrefs
    expect(log.get_by_role("link", name="safe link")).to_have_attribute("rel", "noopener noreferrer nofollow")
    for text in ("html link", "md link"):
        log.get_by_text(text).first.click()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None


def test_unreachable_server_shows_an_error_and_reconnects(new_page):
    page = greeted(new_page())
    page.context.set_offline(True)
    status = page.locator(".cartw-status")
    expect(status).to_have_text(re.compile("Can't reach the assistant"))
    ask(page, "What is CAR T?")  # typed while offline: sent once the connection is back
    page.context.set_offline(False)
    expect(status).to_be_empty()
    expect(bot(page)).to_have_count(2)
    expect(bot(page).last).to_contain_text("immunotherapy")


@pytest.mark.parametrize("viewport", [(1280, 800), (320, 640)], ids=["desktop", "320px"])
def test_no_serious_accessibility_violations(new_page, viewport):
    page = greeted(new_page(viewport=viewport))
    ask(page, RED_FLAG)
    expect(page.locator(".cartw-msg--emergency")).to_be_visible()
    violations = run_axe(page)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


@pytest.mark.parametrize(
    "viewport,scale,question,screenshot",
    [((1280, 800), 1, RED_FLAG, "desktop"), ((360, 740), 2, PRODUCTS, "360px"),
     ((320, 640), 1, PRODUCTS, None), ((640, 360), 2, PRODUCTS, None)],
    ids=["desktop", "360px", "320px", "200pct-zoom"],  # 1280x720 at 200% zoom is 640x360 CSS pixels
)
def test_fits_small_screens_and_zoom(new_page, viewport, scale, question, screenshot):
    page = greeted(new_page(viewport=viewport, scale=scale))
    ask(page, question)
    expect(bot(page)).to_have_count(2)
    width, height = viewport
    for control in (page.get_by_label("Your question"), page.get_by_role("button", name="Send"),
                    page.get_by_role("button", name="Close chat")):
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if screenshot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"widget-{screenshot}.png")
