"""Rasa NLU component: sends questions about how much of a medicine to take to `personal_advice`.

The assistant never gives doses; such a question gets the "ask your care team"
answer whatever the classifier said. Runs before the RedFlagDetector, so a warning
sign in the same message still gets the emergency reply. The patterns are in
content/dose_questions.yml.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, Text

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from nlu_components.base import IntentRule

PATTERNS_FILE = Path(__file__).resolve().parent.parent / "content" / "dose_questions.yml"


class DoseQuestions:
    def __init__(self, patterns_file: Path = PATTERNS_FILE) -> None:
        patterns = yaml.safe_load(patterns_file.read_text(encoding="utf-8"))
        self.rules = [[re.compile(p) for p in rule] for rule in patterns["rules"]]
        self.unless = [re.compile(p) for p in patterns["unless"]]

    def match(self, text: Text) -> bool:
        text = text.lower()
        return not any(p.search(text) for p in self.unless) and any(
            all(p.search(text) for p in rule) for rule in self.rules
        )


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class DoseQuestionDetector(IntentRule):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "personal_advice"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.questions = DoseQuestions()

    def matches(self, text: Text) -> bool:
        return self.questions.match(text)
