"""Rasa's REST channel, strict about its input and clear about errors.

POST /webhooks/rest/webhook, Content-Type: application/json,
{"sender": "...", "message": "...", "metadata": {...}}
- 415 for a body that is not declared JSON: a cross-site form could otherwise post
  through a visitor's browser.
- 400 with a reason for a body that is not a JSON object, a missing or malformed sender
  (channels/limits.py; Rasa would put every sender-less client into one shared "default"
  conversation), a message that is not a string or metadata that is not a JSON object of
  at most 4 KiB (it is stored with the message).
- 429 with a "wait a moment" text when one sender writes faster than a person can.
- 503 with a "try again" text when the conversation store is unreachable
  (channels/server_guards.py).
- The sender is stored as "rest:<sender>", the message cut and cleaned (channels/limits.py).
- The reply is a list of messages, one per response: `text`, `buttons` (`title`,
  `payload`), and for the emergency and crisis replies `"metadata": {"emergency": true}`
  (channels/messages.py).
- `?stream=true` (Rasa's: one JSON message a line as each is said) ends with the "try
  again" text when the store is unreachable; Rasa's stream would never end.
- Message texts are never logged: Rasa's channel logs the text of any message whose
  handling fails, at error level.
Request bodies over CART_MAX_REQUEST_BYTES get 413 from the web server (channels/limits.py).
"""
from __future__ import annotations

import asyncio
import json
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

import rasa.core.channels.rest
from rasa.core.channels.channel import UserMessage
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.feedback import parse_feedback, record_feedback
from channels.limits import (MAX_METADATA_BYTES, MAX_SENDER_CHARS, RATE_LIMITED_TEXT, RateLimiter,
                             bounded_metadata, clean_text, namespaced, valid_sender)
from channels.messages import RestOutput
from channels.server_guards import UNAVAILABLE_TEXT, ConversationStoreUnavailable, prepare


def parse_request(body: Any) -> Tuple[Text, Text, Optional[Dict[Text, Any]]]:
    """(sender, message, metadata) of a webhook request, or InvalidUsage (400) saying what is wrong."""
    if not isinstance(body, dict):
        raise InvalidUsage('expected a JSON object: {"sender": "...", "message": "..."}')
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not valid_sender(sender):
        raise InvalidUsage(f'"sender" must be 1 to {MAX_SENDER_CHARS} letters, digits or . _ : @ + = / -')
    if not isinstance(message, str):
        raise InvalidUsage('"message" must be a string')
    if metadata is not None and bounded_metadata(metadata) is None:
        raise InvalidUsage(f'"metadata" must be a JSON object of at most {MAX_METADATA_BYTES} bytes')
    return sender, message, metadata


def is_json(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json"


class QueuedRestOutput(RestOutput):
    """The REST reply's messages, handed to a queue as each is said (`?stream=true`)."""

    def __init__(self, queue: asyncio.Queue) -> None:
        super().__init__()
        self.queue = queue

    async def _persist_message(self, message: Dict[Text, Any]) -> None:
        await self.queue.put(message)


class RestInput(rasa.core.channels.rest.RestInput):
    def __init__(self) -> None:
        self.limiter = RateLimiter()

    def stream_response(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], text: Text,
                        sender_id: Text, input_channel: Text,
                        metadata: Optional[Dict[Text, Any]]) -> Callable[[Any], Awaitable[None]]:
        """Rasa's stream, in this channel's message shape, always ended (Rasa's waits forever
        for the end of a message whose handling failed)."""

        async def stream(resp: Any) -> None:
            queue: asyncio.Queue = asyncio.Queue()

            async def answer() -> None:
                try:
                    await on_new_message(UserMessage(text, QueuedRestOutput(queue), sender_id,
                                                     input_channel=input_channel, metadata=metadata))
                except ConversationStoreUnavailable:
                    await queue.put({"recipient_id": sender_id, "text": UNAVAILABLE_TEXT})
                finally:
                    await queue.put(None)

            task = asyncio.ensure_future(answer())
            while (message := await queue.get()) is not None:
                await resp.write(json.dumps(message) + "\n")
            await task

        return stream

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Any:
            if not is_json(request):
                return response.json({"error": "Content-Type must be application/json"}, status=415)
            sender, text, metadata = parse_request(request.json)
            if not self.limiter.allow(sender):
                return response.json({"error": "too many messages", "text": RATE_LIMITED_TEXT}, status=429)
            prepare(request.app.ctx.agent)
            sender, text = namespaced(self.name(), sender), clean_text(text)
            feedback = parse_feedback(text)
            if feedback is not None:  # a rating, not a turn: stored, nothing said
                try:
                    await record_feedback(request.app.ctx.agent, sender, feedback)
                except ConversationStoreUnavailable:
                    return response.json({"error": "conversation store unavailable", "text": UNAVAILABLE_TEXT},
                                         status=503)
                return response.json([])
            if bool_arg(request, "stream", default=False):
                return response.stream(self.stream_response(on_new_message, text, sender, self.name(), metadata),
                                       content_type="text/event-stream")
            collector = RestOutput()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except ConversationStoreUnavailable:
                return response.json({"error": "conversation store unavailable", "text": UNAVAILABLE_TEXT}, status=503)
            return response.json(collector.messages)

        return webhook
