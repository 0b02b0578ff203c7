"""The topic the `topic` slot keeps for follow-ups (dialogue_policies/conversation_context.py)."""
from __future__ import annotations

import pytest

from dialogue_policies.conversation_context import answered_topic

SELECTORS = {"all_retrieval_intents": ["risks"],
             "default": {"response": {"intent_response_key": "risks/crs"}}}


@pytest.mark.parametrize("intent, topic", [
    ("risks", "crs"),  # an FAQ answer: its topic
    ("cancers_treated", "cancers_treated"),  # answered by a custom action
    ("crisis", "coping"),  # "who could I talk to about this?" after the crisis reply
    ("emergency", None), ("greet", None), ("nlu_fallback", None),
])
def test_the_topic_a_message_leaves_for_the_next_one(intent, topic):
    assert answered_topic({"intent": {"name": intent}, "response_selector": SELECTORS}) == topic
