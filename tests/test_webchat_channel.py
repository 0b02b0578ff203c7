"""channels/webchat.py: the widget's Socket.IO channel (the browser tests cover it end to end)."""
from __future__ import annotations

import asyncio

import pytest

from channels.webchat import WebChatInput, WebChatOutput, parse_origins


class FakeSocketServer:
    def __init__(self):
        self.emitted = []

    async def emit(self, event, data, room=None):
        self.emitted.append((event, data, room))


@pytest.mark.parametrize("value,expected", [
    ("http://127.0.0.1:8080", ["http://127.0.0.1:8080"]),
    ("https://a.example/, https://b.example", ["https://a.example", "https://b.example"]),
    (["https://a.example"], ["https://a.example"]),
    ("", None), (" , ", None), (None, None), ([], None),  # never [], which means "any origin"
])
def test_origins(value, expected):
    assert parse_origins(value) == expected


def test_the_emergency_reply_is_one_message_marked_as_emergency():
    sio = FakeSocketServer()
    response = {
        "text": "Please act now.\n\nTell them you had CAR T.",
        "buttons": [{"title": "Side effects", "payload": "/risks/side_effects"}],
        "metadata": {"emergency": True, "sources": ["x"]},
    }
    asyncio.run(WebChatOutput(sio, "bot_uttered").send_response("session-1", response))
    assert sio.emitted == [("bot_uttered", {
        "text": "Please act now.\n\nTell them you had CAR T.",
        "emergency": True,
        "quick_replies": [{"content_type": "text", "title": "Side effects", "payload": "/risks/side_effects"}],
    }, "session-1")]


def test_other_replies_are_not_marked():
    sio = FakeSocketServer()
    asyncio.run(WebChatOutput(sio, "bot_uttered").send_response("s", {"text": "Hi", "metadata": {"sources": []}}))
    assert sio.emitted == [("bot_uttered", {"text": "Hi", "emergency": False}, "s")]


def test_the_socket_server_checks_origins():
    channel = WebChatInput.from_credentials({"session_persistence": True, "cors_allowed_origins": "https://h.example"})

    async def on_new_message(message):
        pass

    channel.blueprint(on_new_message)
    assert channel.session_persistence
    assert channel.sio.eio.cors_allowed_origins == ["https://h.example"]
    assert isinstance(channel.get_output_channel(), WebChatOutput)


class FakeRooms(FakeSocketServer):
    def __init__(self):
        super().__init__()
        self.rooms = []

    async def enter_room(self, sid, room, namespace=None):
        self.rooms.append((sid, room))

    async def emit(self, event, data, room=None, namespace=None):
        await super().emit(event, data, room)


@pytest.mark.parametrize("requested,resumed", [
    ({"session_id": "abc123"}, True),
    ({"session_id": None}, False), (None, False), ({"session_id": {"$ne": 1}}, False),
    ({"session_id": "x" * 65}, False), ({"session_id": "../../etc"}, False),
])
def test_sessions_are_joined_and_malformed_ids_replaced(requested, resumed):
    channel = WebChatInput.from_credentials({"session_persistence": True, "cors_allowed_origins": "https://h.example"})
    channel.sio = FakeRooms()
    asyncio.run(channel.start_session("sid-1", requested))
    [(event, session_id, room)] = channel.sio.emitted
    assert (event, room) == ("session_confirm", "sid-1")
    assert channel.sio.rooms == [("sid-1", session_id)]
    assert (session_id == "abc123") == resumed and len(session_id) >= 6
