"""Rasa's Slack connector with what a support group's workspace needs.

- On only when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (optional:
  SLACK_CHANNEL, a channel where the bot answers every message, and SLACK_API_URL,
  e.g. https://slack-gov.com/api/); otherwise /webhooks/slack/ says it is off.
- Every request is checked against the signing secret by Rasa's SlackInput
  (missing, wrong or older than five minutes: 400, nothing processed). The URL
  verification challenge is answered in plain text, as Slack documents, and only
  to a signed request.
- A message is answered once: Slack's retries and the second event Slack sends for
  one message (a mention in SLACK_CHANNEL is both `message` and `app_mention`) are
  recognised by channel and timestamp. Bot messages, edits and joins are ignored.
- Replies stay in the thread: in a channel the answer goes into the thread of the
  question; in a direct message top-level questions get top-level answers.
- Each reply is one Slack message in mrkdwn with `<url|text>` links; buttons become
  Slack buttons (a list of titles where more than Slack's five would not fit).
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels.conversation_store import fail_on_store_errors

logger = logging.getLogger(__name__)

MAX_BUTTONS = 5  # Slack drops an actions block with more
SEEN_FOR_S = 3600  # Slack retries within minutes
USER_MESSAGE_SUBTYPES = (None, "thread_broadcast", "file_share")

LEARN_MORE = re.compile(r"^(Learn more: )([^,\n]+), (https?://\S+)$", re.MULTILINE)
MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+|tel:[^)\s]+)\)")
BARE_URL = re.compile(r"(?<![<|])\bhttps?://[^\s<>|]*[^\s<>|.,;:!?)]")  # not a sentence's last dot


def slack_mrkdwn(text: Text) -> Text:
    """Escapes Slack's control characters and writes links as <url|text>."""
    text = text.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = LEARN_MORE.sub(r"\1<\3|\2>", text)
    text = MARKDOWN_LINK.sub(r"<\2|\1>", text)
    return BARE_URL.sub(lambda m: f"<{m.group(0)}>", text)


def shared_redis() -> Optional["redis.Redis"]:
    """The Redis the servers share when the lock store is a Redis one (LOCK_STORE_TYPE), else None."""
    if "redis" not in os.environ.get("LOCK_STORE_TYPE", "").lower():
        return None
    import redis

    return redis.Redis(host=os.environ.get("REDIS_HOST", "127.0.0.1"), port=int(os.environ.get("REDIS_PORT", 6379)),
                       db=int(os.environ.get("REDIS_DB", 0)), password=os.environ.get("REDIS_PASSWORD") or None,
                       socket_timeout=5)


class SlackReplies(SlackBot):
    """Posts each response as one message (Rasa's splits text at blank lines)."""

    def __init__(self, token: Text, api_url: Text, channel: Optional[Text], thread_id: Optional[Text],
                 proxy: Optional[Text] = None) -> None:
        super().__init__(token, channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._post_message(channel=self.slack_channel or recipient_id, text=slack_mrkdwn(text))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        if len(buttons) > MAX_BUTTONS:
            titles = "\n".join(f"• {b['title']}" for b in buttons)
            return await self.send_text_message(recipient_id, f"{text}\n\nYou can ask:\n{titles}")
        mrkdwn = slack_mrkdwn(text)
        blocks = [
            {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}},
            {"type": "actions", "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": b["title"][:75]}, "value": b["payload"]}
                for b in buttons
            ]},
        ]
        await self._post_message(channel=self.slack_channel or recipient_id, text=mrkdwn, blocks=blocks)


class SlackChannel(SlackInput):
    def __init__(self, *args: Any, api_url: Optional[Text] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = api_url or "https://slack.com/api/"
        self.seen: Dict[tuple, float] = {}  # (channel, ts) of answered messages
        self.shared_seen = shared_redis()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        token = credentials.get("slack_token") or os.environ.get("SLACK_BOT_TOKEN")
        secret = credentials.get("slack_signing_secret") or os.environ.get("SLACK_SIGNING_SECRET")
        if not (token and secret):
            logger.info("Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to connect a workspace.")
            return SlackOff()
        return cls(
            token,
            slack_channel=credentials.get("slack_channel") or os.environ.get("SLACK_CHANNEL") or None,
            proxy=credentials.get("proxy"),
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
            use_threads=True,
            slack_signing_secret=secret,
            conversation_granularity="thread",  # one conversation per thread, or per person in DMs
            api_url=os.environ.get("SLACK_API_URL"),
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        fail_on_store_errors(webhook)  # no reply from a blank memory (channels/conversation_store.py)

        @webhook.middleware("request")
        async def url_verification(request: Request) -> Optional[HTTPResponse]:
            body = request.json if request.headers.get("content-type") == "application/json" else None
            if not (isinstance(body, dict) and body.get("type") == "url_verification"):
                return None  # everything else: Rasa's handler
            if not self.is_request_from_slack_authentic(request):
                return response.text("Invalid X-Slack-Signature", status=400)
            return response.text(str(body.get("challenge", "")))

        return webhook

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackReplies(self.slack_token, self.api_url, channel or self.slack_channel, thread_id, self.proxy)

    @staticmethod
    def _is_user_message(slack_event: Dict[Text, Any]) -> bool:
        event = slack_event.get("event") or {}
        return SlackInput._is_user_message(slack_event) and event.get("subtype") in USER_MESSAGE_SUBTYPES

    def get_metadata(self, request: Request) -> Dict[Text, Any]:
        metadata = super().get_metadata(request)
        if request.headers.get("content-type") == "application/json":
            event = (request.json or {}).get("event", {})
            in_dm = event.get("channel_type") == "im"
            metadata["thread_id"] = event.get("thread_ts") or (None if in_dm else event.get("ts"))
        elif metadata:  # a button click: answer where the buttons were
            clicked = json.loads(request.form["payload"][0]).get("message", {})
            metadata["thread_id"] = clicked.get("thread_ts")
        return metadata

    def first_time(self, request: Request) -> bool:
        """False for a message already answered; button clicks are never retried by Slack.

        Several servers (README, Deploying) remember answered messages in their shared
        Redis: Slack's retry or second event may reach another server."""
        if request.headers.get("content-type") != "application/json":
            return True
        event = (request.json or {}).get("event", {})
        if self.shared_seen is not None:
            key = f"{os.environ.get('LOCK_STORE_PREFIX') or 'cart'}:slack-seen:{event.get('channel')}:{event.get('ts')}"
            return bool(self.shared_seen.set(key, 1, nx=True, ex=SEEN_FOR_S))
        now = time.monotonic()
        for old, at in list(self.seen.items()):  # oldest first
            if now - at < SEEN_FOR_S:
                break
            del self.seen[old]
        key = (event.get("channel"), event.get("ts"))
        if key in self.seen:
            return False
        self.seen[key] = now
        return True

    async def process_message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: Text,
        sender_id: Optional[Text],
        metadata: Optional[Dict],
    ) -> Any:
        if not self.first_time(request):
            logger.debug("Slack delivered a message again (retry or second event type): ignored.")
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        return await super().process_message(request, on_new_message, text, sender_id, metadata)


class SlackOff(InputChannel):
    """Stands in for Slack when it is not configured: the webhook does not exist."""

    @classmethod
    def name(cls) -> Text:
        return "slack"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        off = Blueprint("slack_off", __name__)

        @off.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "off", "reason": "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set"})

        return off
