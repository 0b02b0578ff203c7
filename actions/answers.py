"""Sends the answers of content/action_answers.yml, filling in their {placeholders}."""
from __future__ import annotations

from functools import lru_cache, wraps
from typing import Any, Callable, Dict, Iterable, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content import load_yaml
from actions.titles import titles_by_payload, with_titles
from nlu_components.pattern_rules import CONTENT_DIR, PatternRules


@lru_cache(maxsize=1)
def action_answers() -> Dict[str, dict]:
    return load_yaml("action_answers.yml")["answers"]


def topic_titles(domain: Dict[Text, Any]) -> Dict[Text, Text]:
    """Button payload -> topic title, from the domain Rasa sends with each action call."""
    return titles_by_payload(domain.get("responses") or {}, action_answers())


LEARN_MORE = "\n\nLearn more"
# The emergency and crisis replies -> the reminder of their advice (domain.yml). Right after them,
# a message that cannot be placed gets the reminder before any "did you mean" (data/rules.yml,
# actions/follow_ups.py, actions/clarify.py), and a reply starts with its first paragraph (nlg/answers.py).
SAFETY_REMINDERS = {"utter_emergency": "utter_emergency_reminder", "utter_crisis": "utter_crisis_reminder"}
# For how many of the person's messages the safety reply stays in force: "he lives alone and I'm
# 40 min away" and "they said go to the ER, anything I need to bring?" came two messages after
# "call your team now" and got the eligibility and ICANS answers without a word of it.
SAFETY_WINDOW = 2


@lru_cache(maxsize=None)
def about_the_advice(reply: Text) -> PatternRules:
    """The messages that are about the advice of `reply` ("emergency" or "crisis"), and (its
    `unless`) those that show it was taken or ask something new: content/safety_window.yml."""
    return PatternRules(CONTENT_DIR / "safety_window.yml", section=reply)


def advice_of(reminder: Text) -> Text:
    """"emergency" for utter_emergency_reminder: the section of content/safety_window.yml."""
    return next(reply for reply, name in SAFETY_REMINDERS.items() if name == reminder)[len("utter_"):]


def reminder_sent(event: Dict[Text, Any]) -> Optional[str]:
    """The reminder this event gave (its action, or a custom action's message that sent it), or None."""
    if event.get("event") == "action":
        name = event.get("name")
    elif event.get("event") == "bot":
        name = (event.get("metadata") or {}).get("utter_action")
    else:
        return None
    return name if name in SAFETY_REMINDERS.values() else None


def safety_reminder(latest_first: Iterable[Dict[Text, Any]]) -> Optional[str]:
    """The reminder of the emergency or crisis reply if it, or its reminder, answered one of the
    person's last SAFETY_WINDOW messages, else None. `latest_first`: the conversation's events
    before the latest message, as Rasa stores them (dicts), newest first; read only as far as the
    window reaches."""
    messages, sent = 0, None
    for event in latest_first:
        if event.get("event") == "user":
            # the advice given again renews the window: "whatever." then "fine. give me the number
            # again" came three messages after the crisis reply, two after its reminder. Not the advice
            # the learned safety net gave a message: it is a guess, and "can he eat sushi?" read as a
            # warning sign gave the advice to the next two messages ("speaking of sushi, a good place in
            # boston?"; sixteenth round, set CQ).
            if sent and not (event.get("parse_data") or {}).get("safety_net"):
                return sent
            sent = None
            messages += 1
            if messages >= SAFETY_WINDOW:
                return None
        elif event.get("event") == "action" and event.get("name") in SAFETY_REMINDERS:
            return SAFETY_REMINDERS[event["name"]]
        elif event.get("event") in ("restart", "session_started"):
            return None
        else:
            sent = sent or reminder_sent(event)
    return sent


def safety_net_reminder(parse_data: Dict[Text, Any]) -> Optional[str]:
    """The reminder whose advice a message gets because the learned safety net read it as a warning
    sign or a crisis that nothing else caught (nlu_components/safety_net.py), else None."""
    advice = ((parse_data or {}).get("safety_net") or {}).get("advice")
    return SAFETY_REMINDERS.get(f"utter_{advice}")


def events_before_latest_message(tracker: Tracker) -> List[Dict[Text, Any]]:
    """The conversation's events before the latest message, as the action server gets them (dicts)."""
    events = list(tracker.events)
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    return events[:users[-1]] if users else []


def advice_paragraph(responses: Dict[Text, Any], reminder: Text) -> Text:
    """The advice a reply starts with: the first paragraph of the reminder (domain.yml)."""
    return responses[reminder][0]["text"].split("\n\n")[0]


def with_safety_advice(run: Callable) -> Callable:
    """For an action's `run`: a reply it writes itself (text, not a response) starts with the safety advice where a
    response would (nlg/answers.py): shortly after the emergency or crisis reply, or when the safety net flagged the
    message. "ambulance coming. is kymriah the one that's only for kids?" got Kymriah's answer without a word of it
    (sixteenth round, set CN). Not when the action sent a response: the NLG starts that one with the advice, or it is
    the reminder itself."""
    @wraps(run)
    def answered(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        events = run(self, dispatcher, tracker, domain)
        texts = [m for m in dispatcher.messages if m.get("text")]
        if texts and not any(m.get("response") for m in dispatcher.messages):
            reminder = (safety_reminder(reversed(events_before_latest_message(tracker)))
                        or safety_net_reminder(tracker.latest_message))
            if reminder:
                texts[0]["text"] = advice_paragraph(domain.get("responses") or {}, reminder) + "\n\n" + texts[0]["text"]
        return events
    return answered


def with_paragraph(text: str, paragraph: str) -> str:
    """The answer with a paragraph added before its "Learn more" line (or at its end)."""
    if not paragraph:
        return text
    body, found, rest = text.partition(LEARN_MORE)
    return f"{body}\n\n{paragraph}{found}{rest}"


def send_answer(
    dispatcher: CollectingDispatcher, domain: Dict[Text, Any], name: str, buttons: List[dict] = (),
    note: str = "", topic: Optional[str] = None, **values: str
) -> None:
    """Sends an answer of content/action_answers.yml with its {placeholders} filled in and,
    if given, a note (a fact specific to the product or cancer asked about). An answer given
    for a `topic` names it in its metadata, so that clients can offer 👍 / 👎 on it."""
    answer = action_answers()[name]
    dispatcher.utter_message(
        text=with_paragraph(answer["text"].format(**values), note),
        buttons=with_titles([*buttons, *answer.get("buttons", [])], topic_titles(domain)),
        **({"metadata": {"topic": topic}} if topic else {}),
    )
