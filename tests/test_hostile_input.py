"""Hostile input against the servers as `make run` starts them (the `stack` fixture: REST,
the widget's Socket.IO channel and Slack on): one bad request never takes a server down,
and every channel keeps its promises. Each test names the finding of issue 16 it covers.
(Store outages: test_scale_out.py; a hung action server and the API secrets: test_faults.py.)"""
from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from http.server import ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
import requests

from channels.limits import MAX_MESSAGE_CHARS, RATE_BURST, RATE_LIMITED_TEXT
from helpers import ODD_TEXTS, ChatClient, new_id, say, signed_headers, slack_message, slack_post, stored_user_texts

MARKER = "qzvxjwkp"  # a word no log line contains by chance


def post_json(stack, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(stack.rest_url, data=body, headers={"Content-Type": content_type}, timeout=60)


# --- 1. One request must not take the server down ---------------------------------------------

@pytest.mark.parametrize("sender", ["\udcff", "a\u0000b", "x" * 100_000, "me and you", "é"],
                         ids=["lone-surrogate", "nul", "100k", "space", "non-ascii"])
def test_rest_sender_ids_the_store_cannot_hold_get_400_and_the_server_keeps_answering(stack, sender):
    body = json.dumps({"sender": sender, "message": "hi"}).encode()  # \udcff stays an escape in JSON
    response = post_json(stack, body)
    assert response.status_code == 400 and "sender" in response.text
    [reply] = say(stack.rest_url, "how do they collect the t cells for car t?")
    assert "leukapheresis" in reply["text"]


def test_widget_session_ids_the_store_cannot_hold_get_a_new_session(stack):
    with ChatClient(stack.rasa_url) as client:
        client.send("hi", session_id="\udcff")  # before any session: ignored
        for bad in ("\udcff", "\x00", "x" * 100_000, "abc123", {"$ne": 1}):
            session = client.start_session(bad)
            assert session != bad and len(session) == 49
        assert any("leukapheresis" in r["text"] for r in client.say("how do they collect the t cells for car t?"))


def save_a_conversation(store, sender_id: str) -> None:
    import asyncio

    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, [UserUttered("hi")])))


def test_a_sender_sqlite_cannot_encode_is_an_error_not_an_exit(tmp_path):
    """Rasa's SQL store took any ValueError for a missing schema and stopped the server."""
    from stores.sql_tracker_store import SQLTrackerStore

    store = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "t.db"))
    with pytest.raises(Exception):  # SystemExit is not an Exception: it would fail this test
        save_a_conversation(store, "\udcff")
    save_a_conversation(store, "after")  # and the store goes on working


def test_a_sender_postgresql_cannot_store_is_an_error_not_an_exit(postgres_url):
    import sqlalchemy as sa

    from stores.sql_tracker_store import SQLTrackerStore

    url = sa.engine.make_url(postgres_url)
    store = SQLTrackerStore(dialect="postgresql", host=url.host, port=url.port, db=url.database,
                            username=url.username, password=url.password)
    with pytest.raises(Exception):
        save_a_conversation(store, "a\x00b")
    save_a_conversation(store, "after")
    store.engine.dispose()


# --- 3. No message text in any log line ------------------------------------------------------

def test_no_message_text_in_any_log_whatever_the_input(stack, fake_slack):
    texts = [f"/greet@ my name is {MARKER}", f"/nonexistent{{\"name\": \"{MARKER}\"}}", f"/basics/{MARKER}",
             f"my name is {MARKER}, I had car t"]
    for text in texts:
        say(stack.rest_url, text)
    post_json(stack, b'{"sender": "x", "message": "' + MARKER.encode() + b'"')  # malformed JSON
    post_json(stack, json.dumps({"sender": MARKER + " x", "message": MARKER}).encode())
    with ChatClient(stack.rasa_url) as client:
        client.start_session()
        for text in texts:
            client.say(text)
        client.send(MARKER, session_id=MARKER)
    channel, user = new_id("D"), new_id("U")
    for text in texts:
        slack_post(stack.rasa_url, slack_message(text, channel, user))
    body = f'{{"type": "event_callback", "event": "{MARKER}'.encode()
    requests.post(f"{stack.rasa_url}/webhooks/slack/webhook", data=body,
                  headers=signed_headers(body, "application/json"), timeout=30)
    fake_slack.wait_for_posts(channel, len(texts))
    for name in stack.processes:
        assert MARKER not in stack.log(name).read_text(errors="replace"), f"message text in {name}.log"


# --- 4. A widget session belongs to the connection it was issued to -------------------------

def test_a_second_connection_can_neither_read_nor_write_another_conversation(stack):
    with ChatClient(stack.rasa_url) as victim, ChatClient(stack.rasa_url) as attacker:
        session = victim.start_session()
        attacker.send("I have a fever of 39 right now after CAR T", session_id=session)  # not its session
        assert attacker.replies(first_within=3) == [] and victim.replies(first_within=3) == []
        nonce, mac = session.split("-")
        forged = f"{nonce}-{'0' * 16 if mac != '0' * 16 else '1' * 16}"
        assert attacker.start_session(forged) not in (session, forged)
        attacker.send("what is crs")
        assert attacker.replies() and victim.replies(first_within=3) == []
        assert any("cytokine" in r["text"].lower() for r in victim.say("what is crs"))
        assert attacker.replies(first_within=3) == []
    assert stored_user_texts(stack, f"webchat:{session}") == ["what is crs"]


def test_a_reload_resumes_the_session_and_the_old_connection_stops_receiving(stack):
    with ChatClient(stack.rasa_url) as before, ChatClient(stack.rasa_url) as after:
        session = before.start_session()
        before.say("what is crs")
        assert after.start_session(session) == session
        assert after.say("/risks/crs_treatment") and before.replies(first_within=3) == []
    assert stored_user_texts(stack, f"webchat:{session}") == ["what is crs", "/risks/crs_treatment"]


def test_sender_ids_are_namespaced_per_channel(stack, fake_slack):
    user = new_id("U")
    channel = new_id("D")
    slack_post(stack.rasa_url, slack_message("What is CRS?", channel, user))
    fake_slack.wait_for_posts(channel, 1)
    say(stack.rest_url, "hello", sender=user)  # a REST client naming a Slack user
    say(stack.rest_url, "hello", sender=f"slack:{user}")
    assert stored_user_texts(stack, f"slack:{user}") == ["What is CRS?"]
    assert stored_user_texts(stack, f"rest:{user}") == ["hello"]
    assert stored_user_texts(stack, f"rest:slack:{user}") == ["hello"]


# --- 5. The same limits on every channel -----------------------------------------------------

def test_texts_are_cut_before_they_are_stored_on_every_channel(stack, fake_slack):
    long = "how do they collect the t cells for car t? " * 250
    sender = uuid.uuid4().hex
    say(stack.rest_url, long, sender)
    with ChatClient(stack.rasa_url) as client:
        client.start_session()
        client.say(long)
    channel, user = new_id("D"), new_id("U")
    slack_post(stack.rasa_url, slack_message(long, channel, user))
    fake_slack.wait_for_posts(channel, 1)
    for sender_id in (f"rest:{sender}", f"webchat:{client.session_id}", f"slack:{user}"):
        assert stored_user_texts(stack, sender_id) == [long[:MAX_MESSAGE_CHARS]]


def test_a_socket_packet_over_the_size_limit_is_refused(stack):
    with ChatClient(stack.rasa_url) as client:
        session = client.start_session()
        client.send("a" * 400_000)  # over MAX_REQUEST_BYTES (256 KiB)
        assert client.replies(first_within=3) == []
    assert stored_user_texts(stack, f"webchat:{session}") == []


def test_one_sender_writing_faster_than_a_person_is_slowed_down_on_rest(stack):
    sender = uuid.uuid4().hex
    statuses = [post_json(stack, json.dumps({"sender": sender, "message": "hi"}).encode()).status_code
                for _ in range(RATE_BURST + 10)]
    assert statuses.count(200) >= RATE_BURST and 429 in statuses
    limited = post_json(stack, json.dumps({"sender": sender, "message": "hi"}).encode())
    assert limited.status_code == 429 and "911" in limited.json()["text"]
    assert say(stack.rest_url, "hi")  # another sender is not affected


def test_one_connection_writing_faster_than_a_person_is_slowed_down_on_the_widget(stack):
    with ChatClient(stack.rasa_url) as client:
        session = client.start_session()
        for _ in range(RATE_BURST + 10):
            client.send("hi")
        texts = [r["text"] for r in client.replies()]
    assert RATE_LIMITED_TEXT in texts
    assert len(stored_user_texts(stack, f"webchat:{session}")) < RATE_BURST + 10


def test_one_slack_user_writing_faster_than_a_person_is_slowed_down(stack, fake_slack):
    channel, user = new_id("D"), new_id("U")
    for _ in range(RATE_BURST + 5):
        slack_post(stack.rasa_url, slack_message("hi", channel, user))
    posts = fake_slack.wait_for_posts(channel, RATE_BURST + 5)
    assert RATE_LIMITED_TEXT in [p["text"] for p in posts]
    assert len(stored_user_texts(stack, f"slack:{user}")) < RATE_BURST + 5


def stored_row_bytes(stack, sender: str) -> list:
    import sqlite3

    with sqlite3.connect(stack.tracker_db) as db:
        return [len(d) for (d,) in db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,))]


def test_client_metadata_is_bounded_before_storage(stack):
    big = {"note": "x" * 200_000}
    sender = uuid.uuid4().hex
    refused = post_json(stack, json.dumps({"sender": sender, "message": "hi", "metadata": big}).encode())
    assert refused.status_code == 400 and "metadata" in refused.text
    small = post_json(stack, json.dumps({"sender": sender, "message": "hi", "metadata": {"page": "/faq"}}).encode())
    assert small.status_code == 200
    with ChatClient(stack.rasa_url) as client:
        session = client.start_session()
        client.client.emit("user_uttered", {"message": "what is crs", "session_id": session, "customData": big})
        assert client.replies()  # answered, without the metadata
    for stored in (f"rest:{sender}", f"webchat:{session}"):
        assert stored_row_bytes(stack, stored) and max(stored_row_bytes(stack, stored)) < 10_000


@pytest.mark.parametrize("data", [["a list"], {"message": 42}, {"message": None}, "a string", None],
                         ids=["list", "number", "null-message", "string", "none"])
def test_malformed_widget_events_are_ignored_and_the_connection_goes_on(stack, data):
    with ChatClient(stack.rasa_url) as client:
        client.client.emit("session_request", data)  # a session all the same
        session = client.next_event("session_confirm")
        client.session_id = session
        client.client.emit("user_uttered", data)
        assert client.replies(first_within=3) == []
        assert any("cytokine" in r["text"].lower() for r in client.say("what is crs"))
    assert stored_user_texts(stack, f"webchat:{session}") == ["what is crs"]


@pytest.mark.parametrize("text", ODD_TEXTS.values(), ids=ODD_TEXTS.keys())
def test_odd_text_gets_a_reply_on_the_widget_and_in_slack(stack, fake_slack, text):
    with ChatClient(stack.rasa_url) as client:
        client.start_session()
        assert client.say(text)
    channel, user = new_id("D"), new_id("U")
    slack_post(stack.rasa_url, slack_message(text, channel, user))
    assert fake_slack.wait_for_posts(channel, 1)


# --- 6. Slack, REST and the demo server ----------------------------------------------------------

def test_a_replayed_signed_button_click_is_answered_once(stack, fake_slack):
    channel, user = new_id("C"), new_id("U")
    payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": channel}, "message": {"ts": "1.1"},
               "actions": [{"type": "button", "value": "/risks/crs", "action_ts": "1700000000.123"}]}
    from urllib.parse import urlencode
    body = urlencode({"payload": json.dumps(payload)}).encode()
    for _ in range(3):
        requests.post(f"{stack.rasa_url}/webhooks/slack/webhook", data=body,
                      headers=signed_headers(body, "application/x-www-form-urlencoded"), timeout=30)
    fake_slack.wait_for_posts(channel, 1)
    time.sleep(1.5)
    assert len(fake_slack.posts(channel)) == 1


def test_a_first_delivery_marked_as_a_retry_is_answered(stack, fake_slack):
    channel, user = new_id("D"), new_id("U")
    slack_post(stack.rasa_url, slack_message("What is CRS?", channel, user), {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert "cytokine" in fake_slack.wait_for_posts(channel, 1)[0]["text"].lower()


def test_json_with_a_charset_is_answered(stack, fake_slack):
    channel, user = new_id("D"), new_id("U")
    body = json.dumps(slack_message("What is CRS?", channel, user)).encode()
    requests.post(f"{stack.rasa_url}/webhooks/slack/webhook", data=body,
                  headers=signed_headers(body, "application/json; charset=utf-8"), timeout=30)
    assert fake_slack.wait_for_posts(channel, 1)


def click_body(**fields) -> bytes:
    payload = {"type": "block_actions", "user": {"id": "U1"}, "channel": {"id": "C1"}, "message": {"ts": "1.1"},
               "actions": [{"type": "button", "value": "/help", "action_ts": "1700000000.5"}], **fields}
    return urlencode({"payload": json.dumps(payload)}).encode()


def event_body(user) -> bytes:
    return json.dumps(slack_message("What is CRS?", "D1", user)).encode()


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b'{"type": "event_callback", "event": "text"}', "application/json"),
    (b"other=1", "application/x-www-form-urlencoded"),
    (b"payload=%7Bnot", "application/x-www-form-urlencoded"),
    (b'payload={"actions": "x"}', "application/x-www-form-urlencoded"),
    (b"hello", "text/plain"),
    (click_body(user="U1"), FORM),
    (click_body(message="1.1"), FORM),
    (click_body(channel=["C1"]), FORM),
    (event_body("U1 U2"), "application/json"),
    (event_body("U\x00"), "application/json"),
    (event_body("U" * 1000), "application/json"),
], ids=["bad-json", "array", "event-not-object", "no-payload", "payload-not-json", "actions-not-list", "text",
        "click-user-not-object", "click-message-not-object", "click-channel-not-object", "user-id-space",
        "user-id-nul", "user-id-1000"])
def test_signed_but_malformed_slack_bodies_get_400(stack, body, content_type):
    response = requests.post(f"{stack.rasa_url}/webhooks/slack/webhook", data=body,
                             headers=signed_headers(body, content_type), timeout=30)
    assert response.status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_rest_requires_json(stack, content_type):
    assert post_json(stack, b'{"sender": "a", "message": "hi"}', content_type).status_code == 415


def test_rest_accepts_json_with_a_charset(stack):
    response = post_json(stack, b'{"sender": "a1", "message": "hi"}', "application/json; charset=utf-8")
    assert response.status_code == 200 and response.json()


def test_the_demo_server_closes_idle_connections(monkeypatch):
    from web.serve import Handler

    assert 0 < Handler.timeout <= 60  # the demo server's own setting
    monkeypatch.setattr(Handler, "timeout", 1)  # quicker, for the test
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, page=b"", csp="default-src 'none'"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(server.server_address, timeout=10) as idle:
            idle.sendall(b"GET / HTTP/1.1\r\n")  # and never the rest
            started = time.monotonic()
            assert idle.recv(1024) == b""  # closed by the server...
            assert time.monotonic() - started < 5  # ...after its timeout, long before ours
    finally:
        server.shutdown()
        server.server_close()
