"""Rasa's Slack connector with what a support group's workspace needs.

- On only when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (optional:
  SLACK_CHANNEL, a channel where the bot answers every message, and SLACK_API_URL,
  e.g. https://slack-gov.com/api/); otherwise /webhooks/slack/ says it is off.
- Every request is checked against the signing secret (Rasa's check: missing, wrong or
  older than five minutes: 400, nothing processed). A signed body that is not what Slack
  sends (bad JSON, no payload) gets 400 too; JSON with a charset parameter is JSON. The URL
  verification challenge is answered in plain text, as Slack documents, and only to a
  signed request.
- A message is answered once: Slack's retries (whatever their reason) and the second event
  Slack sends for one message (a mention in SLACK_CHANNEL is both `message` and
  `app_mention`) are recognised by channel and timestamp, a button click by its action
  timestamp, so a replayed signed request is not answered again. A retry of a message never
  seen is answered. Bot messages, edits and joins are ignored.
- Conversations are stored as "slack:<user>[_<channel>_<thread>]", texts cut and cleaned,
  and a sender writing faster than a person can gets a "wait" reply (channels/limits.py).
  When the conversation store is unreachable the thread gets a "try again" reply.
- Replies stay in the thread: in a channel the answer goes into the thread of the
  question; in a direct message top-level questions get top-level answers.
- Each reply is one Slack message in mrkdwn with `<url|text>` links; buttons become
  Slack buttons (a list of titles where more than Slack's five would not fit).
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text, Tuple
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels.feedback import parse_feedback, rated_topic, record_feedback
from channels.limits import RATE_LIMITED_TEXT, RateLimiter, clean_text, namespaced, valid_sender
from channels.server_guards import UNAVAILABLE_TEXT, ConversationStoreUnavailable, prepare

logger = logging.getLogger(__name__)

MAX_BUTTONS = 5  # Slack drops an actions block with more
# After a 👎 (a reply in the thread is the comment; `make review` shows what came next).
FEEDBACK_QUESTION = "Thanks for telling me. What were you looking for? You can reply here (optional)."
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
    """The Redis the servers share when the lock store is a Redis one (CART_LOCK_STORE), else None."""
    if "redis" not in os.environ.get("CART_LOCK_STORE", "").lower():
        return None
    import redis

    from stores.redis_lock_store import redis_url

    return redis.Redis.from_url(redis_url(), socket_timeout=5)


class SlackReplies(SlackBot):
    """Posts each response as one message (Rasa's splits text at blank lines)."""

    def __init__(self, token: Text, api_url: Text, channel: Optional[Text], thread_id: Optional[Text],
                 proxy: Optional[Text] = None) -> None:
        super().__init__(token, channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, text, [], kwargs.get("metadata"))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        if len(buttons) > MAX_BUTTONS:
            titles = "\n".join(f"• {b['title']}" for b in buttons)
            return await self._send(recipient_id, f"{text}\n\nYou can ask:\n{titles}", [], kwargs.get("metadata"))
        await self._send(recipient_id, text, buttons, kwargs.get("metadata"))

    async def _send(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                    response_metadata: Optional[Dict[Text, Any]]) -> None:
        """One message: the text, its buttons, and for an answer that may be rated a small
        actions block with 👍 / 👎 (channels/feedback.py) after them."""
        mrkdwn = slack_mrkdwn(text)
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}]
        if buttons:
            blocks.append({"type": "actions", "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": b["title"][:75]}, "value": b["payload"]}
                for b in buttons
            ]})
        topic = rated_topic(response_metadata)
        if topic:
            blocks.append({"type": "actions", "block_id": "feedback", "elements": [
                {"type": "button", "action_id": f"feedback_{rating}",
                 "text": {"type": "plain_text", "text": emoji, "emoji": True}, "accessibility_label": label,
                 "value": f'/feedback{{"rating": "{rating}", "topic": "{topic}"}}'}
                for rating, emoji, label in (("up", "👍", "This helped"), ("down", "👎", "This did not help"))
            ]})
        if len(blocks) == 1:
            await self._post_message(channel=self.slack_channel or recipient_id, text=mrkdwn)
        else:
            await self._post_message(channel=self.slack_channel or recipient_id, text=mrkdwn, blocks=blocks)


class MalformedRequest(Exception):
    pass


def content_type(request: Request) -> Text:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def parse_body(request: Request) -> Tuple[Text, Dict[Text, Any]]:
    """("event", the Events API JSON) or ("action", the interactive payload), else MalformedRequest."""
    try:
        if content_type(request) == "application/json":
            body = json.loads(request.body)
            kind = "event"
        elif content_type(request) == "application/x-www-form-urlencoded":
            body = json.loads(parse_qs(request.body.decode())["payload"][0])
            kind = "action"
        else:
            raise MalformedRequest(f"unexpected content type {content_type(request)!r}")
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        raise MalformedRequest(type(error).__name__) from error
    if not isinstance(body, dict):
        raise MalformedRequest("not a JSON object")
    return kind, body


def an_object(value: Any, what: Text) -> Dict[Text, Any]:
    """A JSON object of the body ({} when absent), else MalformedRequest."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedRequest(f"{what} is not an object")
    return value


class SlackChannel(SlackInput):
    def __init__(self, *args: Any, api_url: Optional[Text] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = api_url or "https://slack.com/api/"
        self.seen: Dict[tuple, float] = {}  # answered messages and clicks, when first seen
        self.shared_seen = shared_redis()
        self.limiter = RateLimiter()
        self.tasks: Set[asyncio.Task] = set()

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
            use_threads=True,
            slack_signing_secret=secret,
            conversation_granularity="thread",  # one conversation per thread, or per person in DMs
            api_url=os.environ.get("SLACK_API_URL"),
        )

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackReplies(self.slack_token, self.api_url, channel or self.slack_channel, thread_id, self.proxy)

    @staticmethod
    def _is_user_message(slack_event: Dict[Text, Any]) -> bool:
        event = slack_event.get("event") or {}
        return SlackInput._is_user_message(slack_event) and event.get("subtype") in USER_MESSAGE_SUBTYPES

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("slack_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.is_request_from_slack_authentic(request):
                return response.text("Invalid X-Slack-Signature", status=400)
            try:
                kind, body = parse_body(request)
                found = self.message_in(kind, body)
            except MalformedRequest as error:
                logger.info(f"Slack request that Slack would not send: {error}")
                return response.text("Malformed request", status=400)
            if kind == "event" and body.get("type") == "url_verification":
                return response.text(str(body.get("challenge", "")))
            if found is None:
                return response.text("")
            seen_key, text, sender, channel, thread = found
            if not self.first_time(seen_key):
                logger.debug("Slack delivered a message or click again: ignored.")
                return response.text("", headers={"X-Slack-No-Retry": "1"})
            prepare(request.app.ctx.agent)
            task = asyncio.create_task(self.handle(on_new_message, text, sender, channel, thread,
                                                   request.app.ctx.agent))
            self.tasks.add(task)  # a reference, so the task is not garbage-collected
            task.add_done_callback(self.tasks.discard)
            return response.text("")

        return webhook

    def message_in(self, kind: Text, body: Dict[Text, Any]) -> Optional[tuple]:
        """(seen key, text, conversation id, channel, thread) of a message or click to answer, or
        None; MalformedRequest for a body whose fields are not what Slack sends."""
        if kind == "event":
            event = an_object(body.get("event"), "event")
            if not self._is_user_message(body):
                return None
            user, channel, text, ts = (event.get(field) for field in ("user", "channel", "text", "ts"))
            if not isinstance(ts, str):
                raise MalformedRequest("no ts")
            authorizations = body.get("authorizations")
            bot_users = [a["user_id"] for a in authorizations if isinstance(a, dict)
                         and isinstance(a.get("user_id"), str)][:1] if isinstance(authorizations, list) else []
            if not self._is_supported_channel(body, {"out_channel": channel}):
                return None
            thread = event.get("thread_ts") or (None if event.get("channel_type") == "im" else ts)
            if isinstance(text, str):
                text = self._sanitize_user_message(text, bot_users)
            seen_key = ("message", channel, ts)
        else:
            actions = body.get("actions")
            if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
                raise MalformedRequest("no actions")
            if not self._is_interactive_message(body) or actions[0].get("type") != "button":
                return None
            text = actions[0].get("value")
            if text is None:
                return None  # a link button: nothing to answer
            if not isinstance(actions[0].get("action_ts"), str):
                raise MalformedRequest("no action_ts")
            thread = an_object(body.get("message"), "message").get("thread_ts")
            user = an_object(body.get("user"), "user").get("id")
            channel = an_object(body.get("channel"), "channel").get("id")
            seen_key = ("click", user, actions[0]["action_ts"])
        if not (isinstance(user, str) and isinstance(channel, str) and isinstance(text, str)
                and isinstance(thread, (str, type(None)))):
            raise MalformedRequest("no user, channel or text")
        conversation = self._get_conversation_id(user, channel, thread)
        if not valid_sender(conversation):  # ids Slack never sends (a NUL, 1,000 characters)
            raise MalformedRequest("user, channel or thread id Slack would not send")
        return seen_key, text, namespaced("slack", conversation), channel, thread

    def first_time(self, key: tuple) -> bool:
        """False for a message or click already answered.

        Several servers (README, Deploying) remember answered messages in their shared
        Redis: Slack's retry or second event may reach another server."""
        if self.shared_seen is not None:
            prefix = os.environ.get("CART_LOCK_PREFIX") or "cart"
            return bool(self.shared_seen.set(f"{prefix}:slack-seen:{':'.join(map(str, key))}", 1,
                                             nx=True, ex=SEEN_FOR_S))
        now = time.monotonic()
        for old, at in list(self.seen.items()):  # oldest first
            if now - at < SEEN_FOR_S:
                break
            del self.seen[old]
        if key in self.seen:
            return False
        self.seen[key] = now
        return True

    async def handle(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], text: Text, sender: Text,
                     channel: Text, thread: Optional[Text], agent: Any = None) -> None:
        output = self.get_output_channel(channel, thread)
        if not self.limiter.allow(sender):
            await output.send_text_message(channel, RATE_LIMITED_TEXT)
            return
        try:
            feedback = parse_feedback(text)
            if feedback is not None:  # a click on 👍 / 👎: stored, not a turn of the conversation
                if await record_feedback(agent, sender, feedback) and feedback["rating"] == "down":
                    await output.send_text_message(channel, FEEDBACK_QUESTION)
                return
            await on_new_message(UserMessage(clean_text(text), output, sender, input_channel=self.name(),
                                             metadata={"out_channel": channel, "thread_id": thread}))
        except ConversationStoreUnavailable:
            await output.send_text_message(channel, UNAVAILABLE_TEXT)
        except Exception as error:  # a background task: nobody else would hear of it
            logger.error(f"Slack message not answered: {type(error).__name__}")


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
