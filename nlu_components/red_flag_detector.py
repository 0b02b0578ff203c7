"""Rasa NLU component: sends messages that describe warning signs now to `emergency`.

Runs after the classifiers and the FallbackClassifier, so a red flag wins over any
intent, a low-confidence fallback or an FAQ answer: emergency recall does not rest
on the classifier alone. The rules are in content/red_flags.yml.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from nlu_components.red_flags import DEFAULT_PIPELINE, RedFlagMatcher
from nlu_components.base import IntentRule


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
