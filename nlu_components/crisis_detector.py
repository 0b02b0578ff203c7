"""Rasa NLU component: sends messages about suicide or self-harm to `crisis` (988 / 911).

Runs last, after the RedFlagDetector, so a crisis wins over every other intent, a
fallback and a warning sign (the crisis reply also says to tell the CAR T team, since
a sudden change in mood after CAR T can be a side effect). Crisis recall does not rest
on the classifier alone. The patterns are in content/crisis.yml.

The classifier's own `crisis` counts only when it is sure (`classifier_threshold`): an
unsure one ("my grandmother died of myeloma...") becomes a "did you mean" that offers
the crisis reply among the likeliest topics, instead of a 988 reply out of the blue. So
does a sure one for a message that says in so many words that it is not one ("not suicidal or
anything, just sad and worn down"), unless a pattern finds a crisis all the same (`denials` in
content/crisis.yml).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.base import IntentRule, override_intent
from nlu_components.pattern_rules import CONTENT_DIR, PatternRules, normalise

PATTERNS_FILE = CONTENT_DIR / "crisis.yml"


def crisis_messages() -> PatternRules:
    return PatternRules(PATTERNS_FILE)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisDetector(IntentRule):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "crisis", "classifier_threshold": 0.8}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.messages = crisis_messages()
        self.denials = self.messages.patterns("denials")

    def matches(self, text: Text) -> bool:
        return self.messages.match(text)

    def denied(self, text: Text) -> bool:
        """The message says it is no crisis, and no pattern finds one in it."""
        return any(p.search(normalise(text)) for p in self.denials) and not self.matches(text)

    def process(self, messages: List[Message]) -> List[Message]:
        threshold = self.config["classifier_threshold"]
        for message in super().process(messages):
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != self.config["intent"]:
                continue
            if intent.get(PREDICTED_CONFIDENCE_KEY, 0) < threshold or self.denied(message.get(TEXT) or ""):
                override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, threshold)
        return messages
