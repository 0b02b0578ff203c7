"""Rasa NLU component: falls back when the classifier is unsure of the answer.

FallbackClassifier only looks at the intent. For a retrieval intent such as `risks`,
the classifier can be confident that the message is about risks (the sum of its
answers) while unsure *which* answer fits; giving the top answer then risks a wrong
medical answer. Below `threshold` this component turns the prediction into `nlu_fallback`,
keeping the rankings so the clarification action can offer the likeliest topics.

An answer also needs its intent's confidence to reach `intent_threshold`, which can be
stricter than FallbackClassifier's: a medical answer given on a guess is the worst outcome,
while a greeting or "thanks" read at 40% costs nothing, and "did you mean" with no buttons
would be a poor reply to "hiya". Plain intents whose reply is medical (`gated_intents`:
personal advice, buying drugs, the product and cancer answers) are held to `intent_threshold` too.

A short "what is <term>?" whose answer is one of `term_answers` also needs the term to be that
answer's subject (its pattern): "what is ambulatory care?" with a term the classifier has never
seen leaves it only "what is" to go by, which it reads as "what is CAR T?".
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PREDICTION_KEY, RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RESPONSE_KEY,
                                       PREDICTED_CONFIDENCE_KEY, TEXT)
from rasa.shared.nlu.training_data.message import Message

from nlu_components.base import PredictionRewriter, answer_selection, override_intent


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class AnswerConfidenceGate(PredictionRewriter):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"threshold": 0.5, "intent_threshold": 0.0, "gated_intents": [], "term_answers": {}}

    def __init__(self, config: Dict[Text, Any]) -> None:
        config = {**self.get_default_config(), **config}  # Rasa merges the defaults; a test may not
        super().__init__(config)
        self.threshold = config["threshold"]
        self.intent_threshold = config["intent_threshold"]
        self.gated_intents = set(config["gated_intents"])
        self.term_answers = {key: re.compile(pattern, re.IGNORECASE) for key, pattern in config["term_answers"].items()}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) in self.gated_intents:
                if intent.get(PREDICTED_CONFIDENCE_KEY, 0.0) < self.intent_threshold:
                    override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, self.threshold)
                continue
            selection = answer_selection(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {},
                                         intent.get(INTENT_NAME_KEY))
            if not selection:
                continue
            prediction = selection[RESPONSE_SELECTOR_PREDICTION_KEY]
            if (prediction[PREDICTED_CONFIDENCE_KEY] < self.threshold
                    or intent.get(PREDICTED_CONFIDENCE_KEY, 0.0) < self.intent_threshold
                    or self.off_subject(message, prediction.get(INTENT_RESPONSE_KEY))):
                override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, self.threshold)
        return messages

    def off_subject(self, message: Message, answer: Optional[Text]) -> bool:
        """A "what is <term>?" whose term is not the subject of the answer chosen for it."""
        subject = self.term_answers.get(answer or "")
        term = term_asked(message.get(TEXT) or "")
        return bool(subject and term and not subject.search(term) and not message.get(ENTITIES))


# "what is X", "whats an X?", "what does X mean", "define X", "X meaning": the whole message asks
# what one short term is (a longer message has other words for the classifier to go by). Its words
# are separated by spaces, so that a long word cannot be split many ways (catastrophic backtracking).
_TERM_QUESTION = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|um+|hi|hey)\W+)?(?:what\s*(?:is|are|'?s|r)|define|meaning\s+of|what\s+do(?:es)?)\s+"
    r"(?:an?\s+|the\s+)?(?P<term>[\w'-]+(?:\s+[\w'-]+){0,4}?)\s*(?:mean|stand\s+for|meaning)?\W*$"
    r"|^\W*(?P<term2>[\w'-]+(?:\s+[\w'-]+){0,4}?)\s+(?:meaning|definition)\W*$", re.IGNORECASE)


def term_asked(text: Text) -> Optional[Text]:
    """The term a "what is <term>?" message asks about, or None for any other message."""
    match = _TERM_QUESTION.match(text.strip())
    return (match.group("term") or match.group("term2")).strip() if match else None
