"""Rasa NLU component: makes a button payload `/<retrieval intent>/<topic>` select that answer.

Rasa's RegexMessageHandler understands `/intent` payloads but not a retrieval
intent's response key, so a click on "How is CRS treated?" would otherwise go
through the classifiers as the literal text "/risks/crs_treatment".
"""
from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.constants import UTTER_PREFIX
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.base import PredictionRewriter, override_intent

PAYLOAD = re.compile(r"^/(?P<intent>\w+)/(?P<key>\w+)$")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class TopicPayloadHandler(PredictionRewriter):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            match = PAYLOAD.match((message.get(TEXT) or "").strip())
            selections = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            if not match or match["intent"] not in selections.get(RESPONSE_SELECTOR_RETRIEVAL_INTENTS, []):
                continue
            # under the intent's own key, which utter_<intent> prefers to the catch-all selection
            response_key = f"{match['intent']}/{match['key']}"
            selections[match["intent"]] = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: [],
                    PREDICTED_CONFIDENCE_KEY: 1.0,
                    INTENT_RESPONSE_KEY: response_key,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"{UTTER_PREFIX}{response_key}",
                },
                RESPONSE_SELECTOR_RANKING_KEY: [
                    {INTENT_RESPONSE_KEY: response_key, PREDICTED_CONFIDENCE_KEY: 1.0}
                ],
            }
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selections, add_to_output=True)
            override_intent(message, match["intent"], 1.0)
        return messages
