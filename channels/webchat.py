"""Rasa's socketio channel for the web widget (web/), with these changes.

- Only the configured origins may connect. Rasa's own channel disables the Socket.IO
  origin check, so any web page could open a conversation through a visitor's browser.
- Each response goes out as one message that says whether it is the emergency reply.
  Rasa's socketio output splits text at blank lines into several bubbles and drops
  the response metadata the widget needs to style the emergency reply.
- When the conversation store is unreachable the widget says so (see
  channels/conversation_store.py) instead of answering with a blank memory.
- A socket joins its session's room: Rasa 3.6 forgets to await `enter_room` under
  python-socketio 5.10+ (RasaHQ/rasa#13027), so persistent sessions got no replies.

credentials.yml:
    channels.webchat.WebChatInput:
      session_persistence: true
      cors_allowed_origins: "https://hospital.example.org, http://127.0.0.1:8080"
"""
from __future__ import annotations

import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.conversation_store import UNAVAILABLE_TEXT, ConversationStoreUnavailable, fail_on_store_errors


def bot_message(text: Text, metadata: Optional[Dict[Text, Any]]) -> Dict[Text, Any]:
    return {"text": text, "emergency": bool((metadata or {}).get("emergency"))}


class WebChatOutput(SocketIOOutput):
    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, bot_message(text, kwargs.get("metadata")))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        message = bot_message(text, kwargs.get("metadata"))
        message["quick_replies"] = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
        ]
        await self._send_message(recipient_id, message)


SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def parse_origins(value: Any) -> Optional[List[Text]]:
    """A list or a comma-separated string; None (same origin only) when empty.

    Never [], which python-engineio reads as "accept every origin".
    """
    if isinstance(value, str):
        value = value.split(",")
    origins = [o.strip().rstrip("/") for o in value or [] if o and o.strip()]
    return origins or None


class WebChatInput(SocketIOInput):
    cors_allowed_origins: Optional[List[Text]] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.cors_allowed_origins = parse_origins((credentials or {}).get("cors_allowed_origins"))
        return channel

    def get_output_channel(self) -> Optional[WebChatOutput]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else super().get_output_channel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def reply_through_widget_output(message: UserMessage) -> None:
            message.output_channel = WebChatOutput(self.sio, self.bot_message_evt)
            try:
                await on_new_message(message)
            except ConversationStoreUnavailable:
                await message.output_channel.send_text_message(message.sender_id, UNAVAILABLE_TEXT)

        blueprint = super().blueprint(reply_through_widget_output)
        fail_on_store_errors(blueprint)
        self.sio.eio.cors_allowed_origins = self.cors_allowed_origins
        self.sio.on("session_request", self.start_session, namespace=self.namespace)
        return blueprint

    async def start_session(self, sid: Text, data: Any) -> None:
        """Confirms the session the widget asks to resume, or a new one for a malformed id."""
        session_id = data.get("session_id") if isinstance(data, dict) else None
        if not isinstance(session_id, str) or not SESSION_ID.fullmatch(session_id):
            session_id = uuid.uuid4().hex
        if self.session_persistence:
            await self.sio.enter_room(sid, session_id, namespace=self.namespace)
        await self.sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
