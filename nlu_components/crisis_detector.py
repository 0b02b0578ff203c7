"""Rasa NLU component: sends messages about suicide or self-harm to `crisis` (988 / 911).

Runs last, after the RedFlagDetector, so a crisis wins over every other intent, a
fallback and a warning sign (the crisis reply also says to tell the CAR T team, since
a sudden change in mood after CAR T can be a side effect). Crisis recall does not rest
on the classifier alone. The patterns are in content/crisis.yml.
"""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from nlu_components.base import IntentRule
from nlu_components.pattern_rules import CONTENT_DIR, PatternRules

PATTERNS_FILE = CONTENT_DIR / "crisis.yml"


def crisis_messages() -> PatternRules:
    return PatternRules(PATTERNS_FILE)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisDetector(IntentRule):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "crisis"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.messages = crisis_messages()

    def matches(self, text: Text) -> bool:
        return self.messages.match(text)
