"""A conversation's turns, read from its stored events, and what the assistant answered in
each: the same reading for the follow-up hold-out (scripts/evaluate_follow_ups.py) and the
maintainer's review (scripts/review.py).

An event is a dict as Rasa stores it (`{"event": "user", "text": ..., "parse_data": ...}`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

# Replies named after their intent (utter_<name>); every other answer is an FAQ topic.
NAMED_REPLIES = {"emergency", "crisis", "greet", "goodbye", "thank", "bot_challenge", "privacy", "bereavement", "help",
                 "order_drugs", "personal_advice", "human_handoff", "out_of_scope"}
CLARIFY = "clarify"
REMINDER = "_reminder"  # utter_emergency_reminder: the emergency reply's advice again
# "Did you mean" (action_clarify) and its variants sent by other actions (content/action_answers.yml):
# no answer was given.
CLARIFY_OPENINGS = ("I'm not sure", "Sorry, I didn't understand")


@dataclass
class Turn:
    user: dict  # the user event
    events: List[dict] = field(default_factory=list)  # what followed, up to the next user event

    @property
    def bot_texts(self) -> List[str]:
        return [e.get("text") or "" for e in self.events if e.get("event") == "bot"]

    @property
    def actions(self) -> List[str]:
        return [e.get("name") or "" for e in self.events if e.get("event") == "action"]

    @property
    def replies(self) -> List[str]:
        """The responses given, by name: actions run (utter_greet) and the responses a custom
        action sent (a follow-up that gave the emergency advice again: utter_emergency_reminder)."""
        sent = [(e.get("metadata") or {}).get("utter_action") or "" for e in self.events if e.get("event") == "bot"]
        return self.actions + sent


def split_turns(events: List[dict]) -> List[Turn]:
    """The user turns of a conversation (events before the first user message are dropped)."""
    turns: List[Turn] = []
    for event in events:
        if event.get("event") == "user":
            turns.append(Turn(event))
        elif turns:
            turns[-1].events.append(event)
    return turns


def topic_set(events: List[dict]) -> Optional[str]:
    """The last value the `topic` slot was set to in these events."""
    return next((e.get("value") for e in reversed(events)
                 if e.get("event") == "slot" and e.get("name") == "topic"), None)


def topics_answered(turn: Turn) -> List[str]:
    """Every FAQ topic the turn answered, in order: two for a message that asked two questions
    (the `topic` slot is set once for each answer)."""
    return [e.get("value") for e in turn.events if e.get("event") == "slot" and e.get("name") == "topic" and e.get("value")]


def answer_of(turn: Turn, topic_before: Optional[str]) -> str:
    """What the assistant answered: "clarify", a named reply (emergency, crisis, greet, ...; its
    reminder counts as the reply), or the FAQ topic (the `topic` slot after the turn; unchanged
    when the same topic was given again). "none" when nothing was answered."""
    # the advice again is that reply, also before "did you mean" buttons for whatever else was meant
    reminded = [name[len("utter_"):-len(REMINDER)] for name in turn.replies if name.endswith(REMINDER)]
    if reminded:
        return reminded[0]
    if "action_clarify" in turn.actions or any(t.startswith(CLARIFY_OPENINGS) for t in turn.bot_texts):
        return CLARIFY
    for name in turn.replies:
        if name.startswith("utter_") and name[len("utter_"):] in NAMED_REPLIES:
            return name[len("utter_"):]
    if not turn.bot_texts:
        return "none"
    return topic_set(turn.events) or topic_before or "none"
