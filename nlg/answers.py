"""Rasa's response NLG with three additions of this assistant.

endpoints.yml:
    nlg:
      type: nlg.answers.AnswerNLG

- Buttons that name a topic by payload only (`- payload: /risks/crs_treatment`) get that
  topic's title, written once beside its answer (actions/titles.py).
- A topic's answer names its topic in its metadata, so that clients can offer 👍 / 👎 on it
  (channels/feedback.py).
- A topic's answer given with low confidence starts its buttons with the next likeliest topics
  and says so ("Not what you asked? ..."; actions/clarify.py, `alternative_topics`).
- A topic's answer to a question that names a product gets the product's own fact for that
  topic (content/product_facts.yml), before "Learn more": "Who is eligible for Abecma?" ->
  the eligibility answer and Abecma's label population; so does "who is eligible?" right after
  the answer about Abecma. A custom action can ask for the same with
  `dispatcher.utter_message(response=..., product="Carvykti")` (follow-ups). A cancer named
  instead gets the same for the eligibility answer: the products approved for it, or none.
- A reply given shortly after the emergency or crisis reply (the person's next two messages,
  actions/answers.py `SAFETY_WINDOW`) starts with that reply's advice (the first paragraph of its
  reminder, domain.yml): "we're at the hotel, it's 11pm" after "call your team now" gets "don't
  wait, call now" before the answer about staying nearby. So does a reply to a message that the
  learned safety net read as a warning sign or a crisis (nlu_components/safety_net.py).
- An answer giving US facts to a message that names a place outside the US ("does insurance
  pay for CAR T in Canada?") says that it is about the US and offers "CAR T outside the US"
  first (content/places.yml).
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Text, Tuple

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import AllSlotsReset, Restarted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from actions.answers import (SAFETY_REMINDERS, action_answers, advice_paragraph, safety_net_reminder, safety_reminder,
                             with_paragraph)
from actions.clarify import alternative_topics
from actions.content import catalog, places, product_fact
from actions.indications import cancer_fact
from actions.titles import titles_by_payload, with_titles
from nlu_components.pattern_rules import normalise


class AnswerNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)
        self._titles: Dict[Text, Text] = {}
        self._titles_of: Optional[Dict] = None

    @property
    def titles(self) -> Dict[Text, Text]:
        """Button payload -> title, from the responses in use. Rasa creates the NLG before it
        loads a model and then replaces `responses` with the model's (and on each reload)."""
        if self._titles_of is not self.responses:
            self._titles, self._titles_of = titles_by_payload(self.responses, action_answers()), self.responses
        return self._titles

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text,
                       **kwargs: Any) -> Optional[Dict[Text, Any]]:
        message = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if not message:
            return message
        if message.get("buttons"):
            message["buttons"] = with_titles(message["buttons"], self.titles)
        self._remind_of_safety_advice(message, utter_action, tracker)
        topic = utter_action.split("/", 1)[1] if "/" in utter_action else ""
        if topic and message.get("text"):
            products = named_products(tracker, kwargs.get("product"))
            for product in products:
                message["text"] = with_paragraph(message["text"], product_fact(topic, product))
            for cancer in [] if products else named_cancers(tracker):
                message["text"] = with_paragraph(message["text"], cancer_fact(topic, cancer))
            noted = self._note_outside_us(message, topic, tracker)
            message["metadata"] = {**(message.get("metadata") or {}), "topic": topic}  # may be rated
            self._offer_alternatives(message, topic, tracker, offered=(OUTSIDE_US_PAYLOAD,) if noted else ())
        return message

    def _remind_of_safety_advice(self, message: Dict[Text, Any], utter_action: Text,
                                 tracker: Optional[DialogueStateTracker]) -> None:
        """Shortly after the emergency or crisis reply, or when the safety net flagged the message,
        any other reply starts with that reply's advice."""
        if not message.get("text") or utter_action in SAFETY_REMINDERS or utter_action in SAFETY_REMINDERS.values():
            return
        # newest first, converted only as far as the window reaches (this runs for every reply)
        reminder = (safety_reminder(e.as_dict() for e in reversed(events_before_latest_message(tracker)))
                    or safety_net_reminder(tracker.latest_message.parse_data if tracker and tracker.latest_message else {}))
        if reminder:
            message["text"] = advice_paragraph(self.responses, reminder) + "\n\n" + message["text"]

    def _note_outside_us(self, message: Dict[Text, Any], topic: Text, tracker: DialogueStateTracker) -> bool:
        """An answer giving US facts to a message that names a place outside the US says so and
        offers "CAR T outside the US" first (content/places.yml). True if it did."""
        text = normalise((tracker.latest_message.text if tracker and tracker.latest_message else "") or "")
        if (topic == OUTSIDE_US or not places()["us_facts"].search(message["text"])
                or not any(p.search(text) for p in places()["places"])):
            return False
        message["text"] = with_paragraph(message["text"], places()["note"])
        others = [b for b in message.get("buttons") or [] if b.get("payload") != OUTSIDE_US_PAYLOAD]
        message["buttons"] = with_titles([{"payload": OUTSIDE_US_PAYLOAD}], self.titles) + others
        return True

    def _offer_alternatives(self, message: Dict[Text, Any], topic: Text, tracker: DialogueStateTracker,
                            offered: Tuple[Text, ...] = ()) -> None:
        """An unsure answer to the latest message: the likelier alternatives as its first buttons
        (but not one the answer already `offered` in its text)."""
        parse = tracker.latest_message.parse_data if tracker and tracker.latest_message else {}
        payloads = [payload for _, payload in alternative_topics(parse, self.titles, topic) if payload not in offered]
        if not payloads:
            return
        related = [b for b in message.get("buttons") or [] if b.get("payload") not in payloads]
        message["buttons"] = with_titles([{"payload": p} for p in payloads], self.titles) + related
        names = " or ".join(f'"{self.titles[p]}"' for p in payloads)
        message["text"] += "\n\n" + action_answers()["other_topics"]["text"].format(topics=names)


# "how common is CRS with it?" after Tecartus was discussed: "it" is the product in the `product` slot.
PRODUCT_REFERENCE = re.compile(r"\b(with|for|on|after|from|of) (it|that one|this one|that product|this product)\b")
# Answers about one product (actions/indications.py) are given under this topic.
PRODUCT_TOPIC = "approved_products"
OUTSIDE_US = "outside_us"
OUTSIDE_US_PAYLOAD = f"/research/{OUTSIDE_US}"


def named_products(tracker: DialogueStateTracker, product: Optional[Text]) -> list:
    """The products a custom action passed, else those the latest message names or refers to,
    else the product the answer just before was about ("What is Abecma?", then "who is
    eligible?": Abecma's label population too), unless the message names a cancer instead."""
    latest = tracker.latest_message if tracker else None
    entities = latest.entities if latest else []
    names = [product] if product else [e.get("value") for e in entities if e.get("entity") == "product"]
    names_a_cancer = any(e.get("entity") == "cancer" for e in entities)
    if not names and latest and tracker.get_slot("product") and not names_a_cancer and (
            PRODUCT_REFERENCE.search((latest.text or "").lower()) or topic_before_latest_message(tracker) == PRODUCT_TOPIC):
        names = [tracker.get_slot("product")]
    products = [catalog().product(n) for n in dict.fromkeys(names)]
    return [p for p in products if p]


def named_cancers(tracker: DialogueStateTracker) -> list:
    """The cancers the latest message names."""
    entities = tracker.latest_message.entities if tracker and tracker.latest_message else []
    names = dict.fromkeys(e.get("value") for e in entities if e.get("entity") == "cancer")
    return [c for c in map(catalog().cancer, names) if c]


def events_before_latest_message(tracker: Optional[DialogueStateTracker]) -> list:
    """The conversation's events before the latest message."""
    events = list(tracker.events) if tracker else []
    return events[:max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=0)]


def topic_before_latest_message(tracker: DialogueStateTracker) -> Optional[Text]:
    """The `topic` slot as it stood when the latest message came: what the answer before was
    about (the conversation policy sets it to the new topic before that topic is answered)."""
    topic = None
    for event in events_before_latest_message(tracker):
        if isinstance(event, SlotSet) and event.key == "topic":
            topic = event.value
        elif isinstance(event, (Restarted, SessionStarted, AllSlotsReset)):
            topic = None
    return topic
