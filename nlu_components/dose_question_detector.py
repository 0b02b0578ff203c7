"""Rasa NLU component: sends questions about how much of a medicine to take to `personal_advice`.

The assistant never gives doses; such a question gets the "ask your care team"
answer whatever the classifier said. Runs before the RedFlagDetector and the
CrisisDetector, so a warning sign or a crisis in the same message still wins. The
patterns are in content/dose_questions.yml.
"""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from nlu_components.base import IntentRule
from nlu_components.pattern_rules import CONTENT_DIR, PatternRules

PATTERNS_FILE = CONTENT_DIR / "dose_questions.yml"


def dose_questions() -> PatternRules:
    return PatternRules(PATTERNS_FILE)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class DoseQuestionDetector(IntentRule):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "personal_advice"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.questions = dose_questions()

    def matches(self, text: Text) -> bool:
        return self.questions.match(text)
