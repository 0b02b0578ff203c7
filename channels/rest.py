"""Rasa's REST channel, strict about its input and clear about errors.

POST /webhooks/rest/webhook, Content-Type: application/json,
{"sender": "...", "message": "...", "metadata": {...}}
- 415 for a body that is not declared JSON: a cross-site form could otherwise post
  through a visitor's browser.
- 400 with a reason for a body that is not a JSON object, a missing or malformed sender
  (channels/limits.py; Rasa would put every sender-less client into one shared "default"
  conversation) or a message that is not a string.
- 429 with a "wait a moment" text when one sender writes faster than a person can.
- 503 with a "try again" text when the conversation store is unreachable
  (channels/server_guards.py).
- The sender is stored as "rest:<sender>", the message cut and cleaned (channels/limits.py).
- The reply is a list of messages, one per response: `text`, `buttons` (`title`,
  `payload`), and for the emergency and crisis replies `"metadata": {"emergency": true}`
  (channels/messages.py).
- Message texts are never logged: Rasa's channel logs the text of any message whose
  handling fails, at error level.
Request bodies over CART_MAX_REQUEST_BYTES get 413 from the web server (channels/limits.py).
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

import rasa.core.channels.rest
from rasa.core.channels.channel import UserMessage
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.feedback import parse_feedback, record_feedback
from channels.limits import (MAX_SENDER_CHARS, RATE_LIMITED_TEXT, RateLimiter, clean_text, namespaced,
                             valid_sender)
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
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidUsage('"metadata" must be a JSON object')
    return sender, message, metadata


def is_json(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json"


class RestInput(rasa.core.channels.rest.RestInput):
    def __init__(self) -> None:
        self.limiter = RateLimiter()

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
