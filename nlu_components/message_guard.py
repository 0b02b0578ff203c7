"""Rasa NLU component: makes any message safe to read, before anything reads it.

- Cuts an over-long message to `max_characters`, so spaCy and the featurizers never
  work through a pasted document (the web server already refuses bodies over
  CART_MAX_REQUEST_BYTES). The limit is far above a chat message, so a warning sign in a
  long message is still read.
- Replaces characters that cannot be encoded (lone surrogates, which JSON allows as
  "\\udcff"): spaCy fails on them and the reply would be an HTTP 500.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.base import PredictionRewriter


def safe_text(text: Text, max_characters: int) -> Text:
    return text[:max_characters].encode("utf-8", "replace").decode("utf-8")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class MessageGuard(PredictionRewriter):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_characters": 2000}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(TEXT, safe_text(text, self.config["max_characters"]))
        return messages
