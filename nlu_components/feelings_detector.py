"""Rasa NLU component: a feeling told, with nothing asked, gets the answer about feelings.

"I'm on edge all the time watching her, I can't switch off" asks nothing; the classifier reads it
by its other words (the safety switches, at 76%) or is unsure of it. By the contract's boundary
rules the person's own feelings get `coping` and a caregiver's own strain `caregiver_support`
(content/feelings.yml says when a message tells a feeling, and when it speaks of caring for
someone). Runs before the red-flag and crisis detectors, which win; a classifier's own crisis,
condolences, thanks or goodbye (`kept_intents`) stays as it is: a crisis even when the classifier
is unsure of it, which gets "did you mean" with the crisis reply among the buttons
(nlu_components/crisis_detector.py), not a feelings answer out of the blue.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME, RESPONSE_SELECTOR_RETRIEVAL_INTENTS
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.base import PredictionRewriter
from nlu_components.pattern_rules import CONTENT_DIR, PatternRules, normalise
from nlu_components.topic_payloads import select_answer

PATTERNS_FILE = CONTENT_DIR / "feelings.yml"


def feelings_told() -> PatternRules:
    return PatternRules(PATTERNS_FILE)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class FeelingsDetector(PredictionRewriter):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"own": "support/coping", "caregiver": "support/caregiver_support",
                "kept_intents": ["crisis", "emergency", "bereavement", "thank", "goodbye"]}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__({**self.get_default_config(), **config})
        self.feelings = feelings_told()
        self.caregiver = self.feelings.patterns("caregiver")

    def answer(self, text: Text) -> Text:
        """The answer for a message that tells a feeling: the caregiver's when it speaks of caring for someone."""
        return self.config["caregiver" if any(p.search(normalise(text)) for p in self.caregiver) else "own"]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            selections = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            if (text.startswith("/") or (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in self.config["kept_intents"]
                    or not self.feelings.match(text)):
                continue
            key = self.answer(text)
            if key.split("/", 1)[0] in selections.get(RESPONSE_SELECTOR_RETRIEVAL_INTENTS, []):  # else a model without it
                select_answer(message, key)
        return messages
