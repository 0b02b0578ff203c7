"""Feedback on answers (👍 / 👎): what clients are offered, what they send, how it is kept.

An answer that may be rated carries its topic in the message metadata
(`"metadata": {"feedback": {"topic": "crs"}}`, channels/messages.py); the emergency and
crisis replies, "did you mean" and small talk never do. A client sends a rating as a
message payload:

    /feedback{"rating": "down", "topic": "crs"}

A rating is not a turn of the conversation: the channel stores it in the conversation's
tracker as a `feedback` slot event (a slot that influences nothing, domain.yml), under the
conversation's lock, and the assistant says nothing, so the dialogue goes on as before. After
a 👎 a client may ask "What were you looking for?"; the answer is an ordinary message, marked
with the metadata `{"feedback_comment": true}`. `make review` reads both (scripts/review.py).
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional, Text

from rasa.shared.core.events import SlotSet

FEEDBACK_SLOT = "feedback"
RATINGS = ("up", "down")
PAYLOAD = re.compile(r"^/feedback(\{.*\})?\s*$", re.DOTALL)
TOPIC = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
NOT_RATED = {"emergency", "crisis"}  # never offered, and refused if sent anyway


def parse_feedback(text: Text) -> Optional[Dict[Text, Text]]:
    """None if `text` is not a feedback payload; {} if it is one but not valid (ignored);
    else {"rating": "up" | "down", "topic": "<topic id>"}."""
    match = PAYLOAD.match(text or "")
    if not match:
        return None
    try:
        data = json.loads(match.group(1) or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    rating, topic = data.get("rating"), data.get("topic")
    if rating not in RATINGS or not isinstance(topic, str) or not TOPIC.match(topic) or topic in NOT_RATED:
        return {}
    return {"rating": rating, "topic": topic}


def rated_topic(response_metadata: Optional[Dict[Text, Any]]) -> Optional[Text]:
    """The topic a response may be rated on, from the metadata its answer was given with."""
    metadata = response_metadata or {}
    topic = metadata.get("topic")
    if metadata.get("emergency") or not isinstance(topic, str) or topic in NOT_RATED:
        return None
    return topic


async def record_feedback(agent: Any, sender_id: Text, feedback: Dict[Text, Text]) -> bool:
    """Appends the rating to the conversation's tracker; False if it was not valid or the
    conversation does not exist. Store outages raise, as for any message."""
    if not feedback:
        return False
    async with agent.lock_store.lock(sender_id):
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None or not tracker.events:
            return False
        tracker.update(SlotSet(FEEDBACK_SLOT, feedback))
        await agent.tracker_store.save(tracker)
    return True
