"""Rasa NLU component: sends messages that describe warning signs now to `emergency`.

Runs after the classifiers and the FallbackClassifier, so a red flag wins over any
intent, a low-confidence fallback or an FAQ answer: emergency recall does not rest
on the classifier alone. The rules are in content/red_flags.yml.

The other way round, the classifier's own `emergency` is believed only when the message names
a warning sign now: "wife got carvykti 10 days ago, we're at the hotel near the center. whats
the best food for her right now" reads like its training examples but names no sign. Such a
message gets "did you mean", whose buttons still offer the warning signs first.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.red_flags import DEFAULT_PIPELINE, RedFlagMatcher
from nlu_components.base import RULE_CONFIDENCE, IntentRule, override_intent


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class RedFlagDetector(IntentRule):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "emergency", "model": str(DEFAULT_PIPELINE)}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.matcher = RedFlagMatcher(Path(config["model"]))

    def matches(self, text: Text) -> bool:
        return self.matcher.is_red_flag(text)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent, text = message.get(INTENT) or {}, message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button payload
            if self.matches(text):
                override_intent(message, self.config["intent"], RULE_CONFIDENCE)
            elif intent.get(INTENT_NAME_KEY) == self.config["intent"] and not self.matcher.names_a_sign_now(text):
                self.ask_instead(message, intent.get(PREDICTED_CONFIDENCE_KEY, 0.0))
        return messages

    def ask_instead(self, message: Message, confidence: float) -> None:
        """"Did you mean", with the warning signs first and then the message's other likely topics,
        read as if the emergency had not taken its share ("what food is ok for her now?" should
        offer everyday life, which the classifier gave 3% beside 85% for the emergency)."""
        others = max(1.0 - confidence, 1e-6)
        ranking = [{**i, PREDICTED_CONFIDENCE_KEY: min(1.0, (i.get(PREDICTED_CONFIDENCE_KEY) or 0.0) / others)}
                   if i.get(INTENT_NAME_KEY) != self.config["intent"] else i
                   for i in message.get(INTENT_RANKING_KEY) or []]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, confidence)
