"""What every channel checks before a message reaches Rasa: the sender or session id, the
message text and how fast one sender writes. One set of rules for REST, the widget and Slack.

- Sender ids: letters, digits and `. _ : @ + = / -`, at most MAX_SENDER_CHARS. Anything
  else (a NUL, a lone surrogate, 100,000 characters) is refused before it reaches the
  tracker store, whose driver could not store it.
- Sender ids are namespaced per channel ("rest:me", "webchat:<session>", "slack:<user>"),
  so a REST client cannot write into a Slack user's or a widget visitor's conversation.
- Request bodies and Socket.IO packets over MAX_REQUEST_BYTES (CART_MAX_REQUEST_BYTES) are refused (413).
- Message texts are cut to MAX_MESSAGE_CHARS and stripped of characters a database cannot
  store (NUL, other control characters, lone surrogates) before they are stored, not only
  before NLU. A client's message metadata (stored with the message) is at most
  MAX_METADATA_BYTES of JSON: REST refuses more (400), the widget drops it.
- A sender (REST, Slack) or a widget connection may send RATE_BURST messages at once and
  then RATE_PER_S a second; beyond that it gets RATE_LIMITED_TEXT and nothing is stored.
  A person typing or clicking never comes near it; a script flooding one conversation does.
  The counts are per server process.
"""
from __future__ import annotations

import json
import os
import re
import time
from collections import OrderedDict
from typing import Any, Optional, Text

MAX_REQUEST_BYTES = int(os.environ.get("CART_MAX_REQUEST_BYTES") or 262144)
# Sanic takes its body limit from the environment when Rasa creates the web app, which is
# after Rasa loads the channels: so `rasa run` refuses larger bodies (413) as scripts/run.sh does.
os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(MAX_REQUEST_BYTES))
MAX_MESSAGE_CHARS = 2000  # the same as MessageGuard's max_characters in config.yml (a test checks)
MAX_METADATA_BYTES = 4096  # the widget sends a few fields; nothing a person writes goes there
MAX_SENDER_CHARS = 128  # PostgreSQL's events.sender_id holds 255, with room for the channel prefix
SENDER = re.compile(r"[A-Za-z0-9._:@+=/-]{1,%d}" % MAX_SENDER_CHARS)
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

RATE_BURST = 20
RATE_PER_S = 1.0
RATE_LIMITED_TEXT = (
    "You are sending messages faster than I can answer. Please wait a few seconds and try again. "
    "If you have warning signs after CAR T, call your CAR T team's 24/7 number now, or 911."
)


def valid_sender(value: Any) -> bool:
    return isinstance(value, str) and SENDER.fullmatch(value) is not None


def namespaced(channel: Text, sender: Text) -> Text:
    return f"{channel}:{sender}"


def bounded_metadata(value: Any) -> Optional[dict]:
    """A client's metadata if it is a JSON object of at most MAX_METADATA_BYTES, else None."""
    if not isinstance(value, dict):
        return None
    try:
        size = len(json.dumps(value, ensure_ascii=False).encode("utf-8", "replace"))
    except (TypeError, ValueError):
        return None
    return value if size <= MAX_METADATA_BYTES else None


def clean_text(text: Text) -> Text:
    """The message as it will be stored: cut, without control characters or lone surrogates."""
    text = _UNSTORABLE.sub("", text[:MAX_MESSAGE_CHARS])
    return text.encode("utf-8", "replace").decode("utf-8")


class RateLimiter:
    """A token bucket per key (sender or connection), kept for the most recent keys."""

    MAX_KEYS = 100_000

    def __init__(self, burst: float = RATE_BURST, per_s: float = RATE_PER_S) -> None:
        self.burst, self.per_s = burst, per_s
        self.buckets: "OrderedDict[Text, tuple]" = OrderedDict()  # key -> (tokens, at)

    def allow(self, key: Text, now: Optional[float] = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, at = self.buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.per_s)
        allowed = tokens >= 1
        self.buckets[key] = (tokens - 1 if allowed else tokens, now)
        if len(self.buckets) > self.MAX_KEYS:
            self.buckets.popitem(last=False)
        return allowed
