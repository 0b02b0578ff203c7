"""Rasa NLU component: makes a button payload `/<retrieval intent>/<topic>` select that answer.

Rasa's RegexMessageHandler understands `/intent` payloads but not a retrieval
intent's response key, so a click on "How is CRS treated?" would otherwise go
through the classifiers as the literal text "/risks/crs_treatment". Only the answers
the model was trained with are selected (they are learnt from the training data):
"/basics/anything" is read as text, so no answer that does not exist is asked for.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_DEFAULT_INTENT,
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
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.base import RULE_CONFIDENCE, override_intent

PAYLOAD = re.compile(r"^/(?P<intent>\w+)/(?P<key>\w+)$")
KEYS_FILE = "response_keys.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class TopicPayloadHandler(GraphComponent):
    def __init__(self, model_storage: ModelStorage, resource: Resource, response_keys: Set[Text]) -> None:
        self.model_storage, self.resource = model_storage, resource
        self.response_keys = response_keys

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TopicPayloadHandler":
        return cls(model_storage, resource, set())

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "TopicPayloadHandler":
        try:
            with model_storage.read_from(resource) as directory:
                keys = set(json.loads((directory / KEYS_FILE).read_text(encoding="utf-8")))
        except ValueError:  # not trained: Rasa's "resource not found"
            keys = set()
        return cls(model_storage, resource, keys)

    def train(self, training_data: TrainingData) -> Resource:
        self.response_keys = {m.get(INTENT_RESPONSE_KEY) for m in training_data.intent_examples
                              if m.get(INTENT_RESPONSE_KEY)}
        with self.model_storage.write_to(self.resource) as directory:
            (directory / KEYS_FILE).write_text(json.dumps(sorted(self.response_keys)), encoding="utf-8")
        return self.resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            match = PAYLOAD.match((message.get(TEXT) or "").strip())
            selections = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            if not match or match["intent"] not in selections.get(RESPONSE_SELECTOR_RETRIEVAL_INTENTS, []):
                continue
            response_key = f"{match['intent']}/{match['key']}"
            if response_key not in self.response_keys:
                continue
            select_answer(message, response_key)
        return messages


def select_answer(message: Message, response_key: Text) -> None:
    """Gives the message exactly this answer of a retrieval intent ("support/coping"), as a rule's: under the
    intent's own key, which utter_<intent> prefers, and the catch-all one, which Rasa's tests and the HTTP
    API's parse read."""
    intent = response_key.split("/", 1)[0]
    selections = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
    selections[intent] = selections[RESPONSE_SELECTOR_DEFAULT_INTENT] = selection(response_key)
    message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selections, add_to_output=True)
    override_intent(message, intent, RULE_CONFIDENCE)


def selection(response_key: Text) -> Dict[Text, Any]:
    """A response_selector result that picks exactly this answer."""
    return {
        RESPONSE_SELECTOR_PREDICTION_KEY: {
            RESPONSE_SELECTOR_RESPONSES_KEY: [],
            PREDICTED_CONFIDENCE_KEY: 1.0,
            INTENT_RESPONSE_KEY: response_key,
            RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"{UTTER_PREFIX}{response_key}",
        },
        RESPONSE_SELECTOR_RANKING_KEY: [{INTENT_RESPONSE_KEY: response_key, PREDICTED_CONFIDENCE_KEY: 1.0}],
    }
