"""Rasa NLU component: an unsure message that leans on the conversation becomes a follow-up.

The classifier learns follow-ups from examples (data/follow_ups.yml), but people word them in
endless ways ("r they permanent?", "and my kids, can they still get theirs?"). When it is
unsure of a message (nlu_fallback) that reads like the next turn of a conversation
(content/elliptical_follow_ups.yml: short, with "it"/"they"/"that" or opening with "and",
"what about"), or that the classifier itself ranks as a likely follow-up, first or second,
the intent becomes `follow_up`: action_answer_follow_up answers it in the
conversation's context when that resolves it, and asks "did you mean" otherwise, as the
fallback would have. A confident prediction is changed only for a message that names a
product or cancer and nothing else but "and", "what about", "with" ("and with Breyanzi?"):
the same question again for another product, not a question about that product; and for the
few wordings listed as `always` ("which products?") or as `always_aspects` ("the second one").
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from nlu_components.base import RULE_CONFIDENCE, PredictionRewriter, override_intent
from nlu_components.pattern_rules import CONTENT_DIR, PatternRules, normalise

PATTERNS_FILE = CONTENT_DIR / "elliptical_follow_ups.yml"
NAMED_ENTITIES = ("product", "cancer")


class NameOnly:
    """A message that only names a product or cancer after an opening such as "and"."""

    def __init__(self, rules: Dict[Text, List[Text]]) -> None:
        exclamations = "|".join(map(re.escape, sorted(rules.get("exclamations") or [], key=len, reverse=True)))
        self.opening = re.compile(r"^(?:(?:%s)\W+)?(%s)\b" % (exclamations or "(?!)", "|".join(map(re.escape, rules["opening"]))))
        self.fillers = set(rules["fillers"])

    def match(self, text: Text, entities: List[Dict[Text, Any]]) -> bool:
        spans = sorted((e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_END]) for e in entities
                       if e.get("entity") in NAMED_ENTITIES and ENTITY_ATTRIBUTE_START in e)
        if not spans:
            return False
        rest, last = [], 0
        for start, end in spans:
            rest.append(text[last:start])
            last = max(last, end)
        rest = normalise(" ".join(rest) + " " + text[last:])
        if not self.opening.match(rest):
            return False
        words = re.findall(r"[a-z']+", self.opening.sub("", rest))
        return all(word in self.fillers for word in words)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class EllipticalFollowUp(PredictionRewriter):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # "how long should we wait" after the fertility answer: personal advice 0.35, follow-up
        # 0.31. Nonsense ("hmm", "blorp") leans on nothing; the classifier gives every intent less.
        return {"intent": "follow_up", "min_follow_up_confidence": 0.3}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.rules = PatternRules(PATTERNS_FILE)  # `rules` and `unless`
        data = self.rules.data
        self.name_only = NameOnly(data["name_only"])
        aspects = yaml.safe_load((CONTENT_DIR / "follow_ups.yml").read_text(encoding="utf-8"))["aspects"]
        self.always = [re.compile(p) for p in [*(data.get("always") or []),
                                               *(p for name in data.get("always_aspects") or [] for p in aspects[name])]]
        self.comparison = self.rules.patterns("compares_one_product")
        products_for_cancer = data.get("lists_products_for_named_cancer") or {}
        self.products_for_cancer = [re.compile(p) for p in products_for_cancer.get("patterns") or []]
        self.product_and_cancer_intents = set(products_for_cancer.get("unless_intents") or [])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue
            plain = normalise(text)
            entities = message.get(ENTITIES) or []
            if (self.name_only.match(text, entities) or any(p.search(plain) for p in self.always)
                    or self.compares_one_product(plain, entities)
                    or (intent.get(INTENT_NAME_KEY) not in self.product_and_cancer_intents
                        and self.lists_products_for_named_cancer(plain, entities))):
                override_intent(message, self.config["intent"], RULE_CONFIDENCE)
            elif intent.get(INTENT_NAME_KEY) == DEFAULT_NLU_FALLBACK_INTENT_NAME and (
                    self.rules.match(text) or (self.torn_with_follow_up(message) and not self.rules.excluded(text))):
                override_intent(message, self.config["intent"], intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        return messages

    def compares_one_product(self, plain: Text, entities: List[Dict[Text, Any]]) -> bool:
        """One product named and compared with something unnamed: the product discussed before."""
        products = {e.get("value") for e in entities if e.get("entity") == "product"}
        return len(products) == 1 and any(p.search(plain) for p in self.comparison)

    def lists_products_for_named_cancer(self, plain: Text, entities: List[Dict[Text, Any]]) -> bool:
        return any(e.get("entity") == "cancer" for e in entities) and any(p.search(plain) for p in self.products_for_cancer)

    def torn_with_follow_up(self, message: Message) -> bool:
        """The follow-up is one of the classifier's own two likeliest intents, and a likely one
        ("how long should we wait": personal advice or a follow-up?): the conversation decides,
        and without one the follow-up asks "did you mean" as the fallback would have."""
        ranking = [i for i in message.get(INTENT_RANKING_KEY) or []
                   if i.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
        return any(i.get(INTENT_NAME_KEY) == self.config["intent"]
                   and (i.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self.config["min_follow_up_confidence"]
                   for i in ranking[:2])
