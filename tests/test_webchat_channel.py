"""channels/webchat.py: the widget's Socket.IO channel (the browser tests cover it end to end)."""
from __future__ import annotations

import asyncio

import pytest

from channels.webchat import SessionIds, WebChatInput, WebChatOutput, parse_origins


class FakeSocketServer:
    def __init__(self):
        self.emitted = []

    async def emit(self, event, data, room=None):
        self.emitted.append((event, data, room))


@pytest.mark.parametrize("value,expected", [
    ("http://127.0.0.1:8080", ["http://127.0.0.1:8080"]),
    ("https://a.example/, https://b.example", ["https://a.example", "https://b.example"]),
    (["https://a.example"], ["https://a.example"]),
    ("", []), (" , ", []), (None, []), ([], []),
])
def test_origins(value, expected):
    assert parse_origins(value) == expected


def test_browsers_may_connect_from_the_configured_origins_and_other_clients_from_the_servers_own():
    channel = WebChatInput.from_credentials({"cors_allowed_origins": "https://h.example"})
    environ = {"wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:5005"}
    assert channel.allowed_origin("https://h.example", environ)
    assert channel.allowed_origin("http://127.0.0.1:5005", environ)  # python-socketio's websocket client
    assert not channel.allowed_origin("https://evil.example", environ)
    assert not channel.allowed_origin("http://127.0.0.1:5006", environ)


def test_session_ids_are_issued_by_the_server_and_cannot_be_forged():
    ids, other = SessionIds("secret"), SessionIds("another secret")
    issued = ids.issue()
    assert ids.issued(issued) and len(issued) == 49 and issued != ids.issue()
    assert SessionIds("secret").issued(issued)  # a restart, or another server, with the same secret
    nonce, mac = issued.split("-")
    for forged in (f"{nonce}-{'0' * 16}", other.issue(), "abc123", nonce, issued.upper(), issued + "0", None, 42):
        assert not ids.issued(forged)


def test_the_emergency_reply_is_one_message_flagged_in_its_metadata():
    sio = FakeSocketServer()
    response = {
        "text": "Please act now.\n\nTell them you had CAR T.",
        "buttons": [{"title": "Side effects", "payload": "/risks/side_effects"}],
        "metadata": {"emergency": True, "sources": ["x"]},
    }
    asyncio.run(WebChatOutput(sio, "bot_uttered").send_response("session-1", response))
    assert sio.emitted == [("bot_uttered", {
        "text": "Please act now.\n\nTell them you had CAR T.",
        "quick_replies": [{"content_type": "text", "title": "Side effects", "payload": "/risks/side_effects"}],
        "metadata": {"emergency": True},
    }, "session-1")]


def test_other_replies_have_the_shape_of_rasas_socketio_channel():
    """rasa-webchat shows a message as text only if `text` is its only field (or with quick_replies)."""
    sio = FakeSocketServer()
    output = WebChatOutput(sio, "bot_uttered")
    asyncio.run(output.send_response("s", {"text": "Hi\n\nthere", "metadata": {"sources": []}}))
    asyncio.run(output.send_response("s", {"text": "Pick", "buttons": [{"title": "A", "payload": "/a"}]}))
    assert sio.emitted == [
        ("bot_uttered", {"text": "Hi\n\nthere"}, "s"),
        ("bot_uttered", {"text": "Pick", "quick_replies": [{"content_type": "text", "title": "A", "payload": "/a"}]},
         "s"),
    ]


def test_rest_replies_are_one_message_per_response_with_the_same_flag():
    from channels.messages import RestOutput

    output = RestOutput()
    asyncio.run(output.send_response("u", {"text": "Please act now.\n\nCall 911.", "metadata": {"emergency": True}}))
    asyncio.run(output.send_response("u", {"text": "CRS is...", "buttons": [{"title": "A", "payload": "/a"}],
                                           "metadata": {"sources": ["x"]}}))
    assert output.messages == [
        {"recipient_id": "u", "text": "Please act now.\n\nCall 911.", "metadata": {"emergency": True}},
        {"recipient_id": "u", "text": "CRS is...", "buttons": [{"title": "A", "payload": "/a"}]},
    ]
