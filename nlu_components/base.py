"""What the custom NLU components share: the rules train nothing, they only rewrite predictions;
the two learned components keep their model as one pickled object in Rasa's model storage."""
from __future__ import annotations

import pickle
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_DEFAULT_INTENT, RESPONSE_SELECTOR_RETRIEVAL_INTENTS
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


RULE_CONFIDENCE = 1.0  # an intent a rule set; dialogue_policies/safety_window.py tells it from a classifier's guess


class PredictionRewriter(GraphComponent):
    """Base class: created from its config (defaults merged by Rasa), trains nothing."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


class PickledModelComponent(GraphComponent):
    """Base class: a trainable component whose model (any picklable object, None before training)
    is stored in the model archive as `MODEL_FILE`. A subclass's `train` sets `self.model` and
    returns `self.persist()`."""

    MODEL_FILE = "model.pkl"

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Any = None) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        return cls(config, model_storage, resource)

    def persist(self) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            with open(directory / self.MODEL_FILE, "wb") as f:
                pickle.dump(self.model, f)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> GraphComponent:
        try:
            with model_storage.read_from(resource) as directory:
                with open(directory / cls.MODEL_FILE, "rb") as f:
                    model = pickle.load(f)  # a file this component wrote into the model archive
        except ValueError:  # not trained (no NLU data): predicts nothing
            model = None
        return cls(config, model_storage, resource, model)


class IntentRule(PredictionRewriter):
    """Base class: a typed message (not a button payload) that `matches` gets the configured
    intent with full confidence, whatever the classifiers predicted."""

    def matches(self, text: Text) -> bool:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.startswith("/") and self.matches(text):
                override_intent(message, self.config["intent"], RULE_CONFIDENCE)
        return messages


def override_intent(message: Message, name: str, confidence: float) -> None:
    """Sets the intent and puts it first in the ranking (as FallbackClassifier does)."""
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


def answer_selection(selections: Dict[Text, Any], intent: Optional[Text]) -> Optional[Dict[Text, Any]]:
    """The chosen answer for a retrieval intent, as utter_<intent> reads it:
    the intent's own selection (a button payload) or else the catch-all selector's ("default")."""
    if intent not in selections.get(RESPONSE_SELECTOR_RETRIEVAL_INTENTS, []):
        return None
    return selections.get(intent) or selections.get(RESPONSE_SELECTOR_DEFAULT_INTENT)


# A message's property: the answer ({intent_response_key, confidence}) to its second question
# (nlu_components/lexical_topic_classifier.py).
SECOND_ANSWER = "second_answer"


def second_answer(parse: Dict[Text, Any]) -> Optional[Text]:
    """The answer key ("aftercare/caregiver") to a parsed message's second question, when its first
    question gets a retrieval intent's answer (not a safety reply, a follow-up or "did you mean"):
    what dialogue_policies/second_question.py answers next."""
    intent = (parse.get(INTENT) or {}).get(INTENT_NAME_KEY)
    if answer_selection(parse.get("response_selector") or {}, intent) is None:
        return None
    return (parse.get(SECOND_ANSWER) or {}).get("intent_response_key")
