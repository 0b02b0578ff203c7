"""Chat clients Rasa sites already use: rasa-webchat (npm, pinned in web/package-lock.json,
served from this machine) in headless Chromium, and python-socketio, against the real servers."""
from __future__ import annotations

import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from helpers import RED_FLAG, ROOT, SCREENSHOTS, ChatClient

expect = pytest.importorskip("playwright.sync_api").expect
expect.set_options(timeout=20_000)

RASA_WEBCHAT = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"

# A hospital's page with rasa-webchat's embed snippet, pointed at this server
# (README, "Using another chat widget").
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hospital</title></head>
<body><h1>Our hospital</h1>
<script src="/rasa-webchat.js"></script>
<script>
  WebChat.default({initPayload: "/greet", socketUrl: "%s", socketPath: "/socket.io/",
                   title: "CAR T questions", inputTextFieldHint: "Type your question...",
                   params: {storage: "session"}}, null);
</script></body></html>"""


@pytest.fixture(scope="module")
def hospital_site(stack):
    """stack.other_site, serving PAGE and rasa-webchat's bundle."""
    assert RASA_WEBCHAT.exists(), "web/node_modules is missing: `make web` installs it"
    page = (PAGE % stack.rasa_url).encode()

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self):
            body, kind = (RASA_WEBCHAT.read_bytes(), "text/javascript") if self.path == "/rasa-webchat.js" \
                else (page, "text/html; charset=utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", urlsplit(stack.other_site).port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield stack.other_site
    server.shutdown()
    server.server_close()


def test_rasa_webchat_shows_answers_buttons_and_the_emergency_reply(browser, hospital_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(hospital_site)
    page.locator(".rw-launcher").click()
    responses = page.locator(".rw-response")
    expect(responses.first).to_contain_text("automated assistant")  # the greeting, from initPayload
    reply = page.locator(".rw-reply").first
    expect(reply).to_have_text("What is CAR T?")  # the topic's title, not its payload
    reply.click()  # "What is CAR T?"
    expect(page.locator(".rw-response").filter(has_text="immunotherapy")).to_have_count(1)
    box = page.locator(".rw-new-message")
    box.fill(RED_FLAG)
    box.press("Enter")
    emergency = page.locator(".rw-response").filter(has_text="Please act now")
    expect(emergency).to_have_count(1)
    expect(emergency).to_contain_text("911")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "rasa-webchat-emergency.png")
    context.close()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_python_socketio_clients_connect_and_chat(stack, transport):
    """A client that is not a browser sends no Origin (polling) or the server's own (websocket)."""
    with ChatClient(stack.rasa_url, transport=transport) as client:
        assert client.transport == transport
        client.start_session()
        [answer] = client.say("What is cytokine release syndrome?")
        assert "cytokine" in answer["text"].lower() and answer["quick_replies"]
        assert "How is CRS treated?" in [q["title"] for q in answer["quick_replies"]]
        assert answer["metadata"] == {"feedback": {"topic": "crs"}}  # what a 👍 / 👎 would rate
        [treatment] = client.say("how is it treated?")  # a follow-up, in the context of the session
        assert "Tocilizumab" in treatment["text"]
        [emergency] = client.say(RED_FLAG)
        assert emergency["metadata"] == {"emergency": True} and set(emergency) == {"text", "metadata"}


def test_browsers_from_other_origins_are_still_refused(stack):
    import socketio

    with pytest.raises(socketio.exceptions.ConnectionError):
        ChatClient(stack.rasa_url, origin="https://evil.example")


def test_a_websocket_without_an_origin_is_accepted_and_a_foreign_one_refused(stack):
    """Engine.IO's own handshake over a raw WebSocket: an app sends no Origin at all."""
    import websocket

    url = stack.rasa_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    connection = websocket.create_connection(url, suppress_origin=True, timeout=10)
    try:
        assert connection.recv().startswith("0{")  # Engine.IO's "open" packet
    finally:
        connection.close()
    with pytest.raises(websocket.WebSocketException):
        websocket.create_connection(url, origin="https://evil.example", timeout=10).recv()
