"""The Socket.IO channel for the project's widget (web/) and for other Socket.IO chat clients.

It speaks Rasa's socketio protocol (session_request / session_confirm, user_uttered,
bot_uttered), with these promises:

- **Origins:** browsers may connect only from the configured origins. Clients that are not
  browsers (python-socketio, mobile apps) send no Origin, or the server's own: those are
  accepted on both transports. Rasa's own channel accepts every origin.
- **Sessions the server issues:** a session id is 128 random bits signed with a secret
  (CART_WIDGET_SECRET; servers behind one balancer share it). A client can resume a
  session it was given (a reload), never pick one: any other id gets a new session. A
  session belongs to the one connection that asked for it last; messages from any other
  connection naming it are ignored, and the previous connection stops receiving its
  replies. Conversations are stored as "webchat:<session id>".
- **Limits:** packets over MAX_REQUEST_BYTES are refused, texts are cut and cleaned before
  they are stored, metadata over MAX_METADATA_BYTES is dropped, and a connection sending
  faster than a person can gets a "wait" reply (channels/limits.py).
- **Messages as Rasa's socketio channel sends them,** one per response, the emergency
  and crisis replies flagged in `metadata` (channels/messages.py): rasa-webchat and other
  clients written for Rasa show them.
- When the conversation store is unreachable the reply says so (channels/server_guards.py)
  instead of answering from a blank memory.

credentials.yml:
    channels.webchat.WebChatInput:
      cors_allowed_origins: "https://hospital.example.org, http://127.0.0.1:8080"
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import rasa.core.channels.channel
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.feedback import parse_feedback, record_feedback
from channels.limits import (MAX_REQUEST_BYTES, RATE_LIMITED_TEXT, RateLimiter, bounded_metadata, clean_text,
                             namespaced)
from channels.messages import socket_message
from channels.server_guards import UNAVAILABLE_TEXT, ConversationStoreUnavailable, prepare

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"(?P<nonce>[0-9a-f]{32})-(?P<mac>[0-9a-f]{16})")


class WebChatOutput(SocketIOOutput):
    """One message per response in the shape of Rasa's socketio channel (channels/messages.py)."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, socket_message(text, response_metadata=kwargs.get("metadata")))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, socket_message(text, buttons, kwargs.get("metadata")))


def parse_origins(value: Any) -> List[Text]:
    """A list or a comma-separated string of origins."""
    if isinstance(value, str):
        value = value.split(",")
    return [o.strip().rstrip("/") for o in value or [] if o and o.strip()]


class SessionIds:
    """Session ids this server (or one sharing its secret) issued: a random nonce and its HMAC."""

    def __init__(self, secret: Optional[Text]) -> None:
        if not secret:
            logger.info("CART_WIDGET_SECRET is not set: widget sessions do not survive a restart of this server.")
        self.key = (secret or secrets.token_hex(32)).encode()

    def _mac(self, nonce: Text) -> Text:
        return hmac.new(self.key, nonce.encode(), hashlib.sha256).hexdigest()[:16]

    def issue(self) -> Text:
        nonce = secrets.token_hex(16)
        return f"{nonce}-{self._mac(nonce)}"

    def issued(self, value: Any) -> bool:
        match = SESSION_ID.fullmatch(value) if isinstance(value, str) else None
        return bool(match) and hmac.compare_digest(match["mac"], self._mac(match["nonce"]))


class WebChatInput(SocketIOInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.origins = parse_origins((credentials or {}).get("cors_allowed_origins"))
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origins: List[Text] = []
        self.sessions = SessionIds(os.environ.get("CART_WIDGET_SECRET"))
        self.session_of: Dict[Text, Text] = {}  # connection (sid) -> its session
        self.limiter = RateLimiter()

    def allowed_origin(self, origin: Optional[Text], environ: Dict[Text, Any]) -> bool:
        """Called by python-engineio for a request with an Origin header (a browser)."""
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin in self.origins or origin == own

    @staticmethod
    def room(session: Text) -> Text:
        """The conversation's id in the tracker store, and the Socket.IO room its replies go to."""
        return namespaced("webchat", session)

    def get_output_channel(self) -> Optional[WebChatOutput]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else super().get_output_channel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.allowed_origin,
                          max_http_buffer_size=MAX_REQUEST_BYTES)
        self.sio = sio
        blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and rasa.core.channels.channel.decode_bearer_token(token, self.jwt_key,
                                                                                 self.jwt_algorithm))

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            self.session_of.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session = requested if self.sessions.issued(requested) else self.sessions.issue()
            for other, held in list(self.session_of.items()):  # one connection per session
                if held == session and other != sid:
                    del self.session_of[other]
                    await sio.leave_room(other, self.room(session), namespace=self.namespace)
            self.session_of[sid] = session
            await sio.enter_room(sid, self.room(session), namespace=self.namespace)
            await sio.emit("session_confirm", session, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_uttered(sid: Text, data: Any = None) -> None:
            session = self.session_of.get(sid)
            if (session is None or not isinstance(data, dict) or data.get("session_id") != session
                    or not isinstance(data.get("message"), str)):
                logger.debug("Socket.IO message without this connection's session, or without text: ignored.")
                return
            output, room = WebChatOutput(sio, self.bot_message_evt), self.room(session)
            if not self.limiter.allow(sid):
                await output.send_text_message(room, RATE_LIMITED_TEXT)
                return
            agent = sio.get_environ(sid, namespace=self.namespace)["sanic.request"].app.ctx.agent
            prepare(agent)
            feedback = parse_feedback(data["message"])
            if feedback is not None:  # a rating, not a turn: stored, nothing said
                try:
                    await record_feedback(agent, room, feedback)
                except ConversationStoreUnavailable:
                    await output.send_text_message(room, UNAVAILABLE_TEXT)
                return
            user_message = UserMessage(clean_text(data["message"]), output, room, input_channel=self.name(),
                                       metadata=bounded_metadata(data.get(self.metadata_key)))
            try:
                await on_new_message(user_message)
            except ConversationStoreUnavailable:
                await output.send_text_message(room, UNAVAILABLE_TEXT)

        return blueprint
