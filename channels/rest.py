"""Rasa's REST channel, strict about its input and clear about errors.

POST /webhooks/rest/webhook {"sender": "...", "message": "...", "metadata": {...}}
- 400 with a reason for a body that is not a JSON object, a missing or over-long
  sender (Rasa would put every sender-less client into one shared "default"
  conversation) or a message that is not a string. Rasa's channel answered some of
  these with 500 or an empty 200.
- 503 when the conversation store is unreachable (channels/conversation_store.py).
- Message texts are never logged: Rasa's channel logs the text of any message whose
  handling fails, at error level.
Over-long messages are cut before NLU by nlu_components/message_guard.py;
request bodies over MAX_REQUEST_BYTES get 413 from the web server (scripts/defaults.env).
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

import rasa.core.channels.rest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.conversation_store import UNAVAILABLE_TEXT, ConversationStoreUnavailable, fail_on_store_errors

MAX_SENDER_CHARS = 128  # PostgreSQL's events.sender_id holds 255


def parse_request(body: Any) -> Tuple[Text, Text, Optional[Dict[Text, Any]]]:
    """(sender, message, metadata) of a webhook request, or InvalidUsage (400) saying what is wrong."""
    if not isinstance(body, dict):
        raise InvalidUsage('expected a JSON object: {"sender": "...", "message": "..."}')
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        raise InvalidUsage(f'"sender" must be a non-empty string of at most {MAX_SENDER_CHARS} characters')
    if not isinstance(message, str):
        raise InvalidUsage('"message" must be a string')
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidUsage('"metadata" must be a JSON object')
    return sender, message, metadata


class RestInput(rasa.core.channels.rest.RestInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("rest_webhook", __name__)
        fail_on_store_errors(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Any:
            sender, text, metadata = parse_request(request.json)
            if bool_arg(request, "stream", default=False):
                return response.stream(self.stream_response(on_new_message, text, sender, self.name(), metadata),
                                       content_type="text/event-stream")
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except ConversationStoreUnavailable:
                return response.json({"error": "conversation store unavailable", "text": UNAVAILABLE_TEXT}, status=503)
            return response.json(collector.messages)

        return webhook
