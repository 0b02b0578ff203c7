"""Rasa NLU component: picks the intent and, for a retrieval intent, the answer, in one step.

A linear classifier (scikit-learn's LinearSVC) over TF-IDF word pairs and character
n-grams, with one class per answer ("risks/crs") or plain intent ("greet"). It replaces
Rasa's DIETClassifier + ResponseSelector pair: on questions written by others than the
training data's authors it is right far more often, it trains in seconds instead of
minutes, and it predicts in well under a millisecond with no TensorFlow model in memory
(README, "Results" and "Benchmark"; docs/benchmark.md).

Its output has the shape of Rasa's own classifiers, so Rasa's FallbackClassifier, the
`utter_<group>` retrieval actions and this project's components read it unchanged:
- `intent`: the group of the likeliest answer ("risks"), its confidence the sum of that
  group's answers' probabilities; `intent_ranking`: every intent so scored;
- `response_selector.default`: the likeliest answer of a retrieval intent with its own
  probability (AnswerConfidenceGate falls back below its threshold) and the ranking of all
  answers ("did you mean" offers the likeliest).
Probabilities are a softmax of the classifier's margins, sharpened by `temperature`.
"""
from __future__ import annotations

import hashlib
import re
import warnings
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (RESPONSE_SELECTOR_DEFAULT_INTENT, RESPONSE_SELECTOR_PREDICTION_KEY,
                                RESPONSE_SELECTOR_PROPERTY_NAME, RESPONSE_SELECTOR_RANKING_KEY,
                                RESPONSE_SELECTOR_RESPONSES_KEY, RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
                                RESPONSE_SELECTOR_UTTER_ACTION_KEY, SPACY_DOCS)
from rasa.shared.constants import UTTER_PREFIX
from rasa.shared.nlu.constants import (INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY,
                                       PREDICTED_CONFIDENCE_KEY, TEXT)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from nlu_components.base import SECOND_ANSWER, PickledModelComponent
from nlu_components.pattern_rules import SPELLINGS_FILE, normalise

# Rasa's configuration check looks for its own response selector and entity extractors by
# type, and warns that the retrieval intents' examples and the entity annotations go unused:
# this component learns the answers, and the spaCy entity ruler finds the entities.
for _unfounded in ("You have defined training data with examples for training a response selector, but your "
                   "NLU configuration does not include a response selector component.",
                   "You have defined training data consisting of entity examples, but your NLU configuration "
                   "does not include an entity extractor trained on your training data."):
    warnings.filterwarnings("ignore", message=re.escape(_unfounded), category=UserWarning)

RANKING_LENGTH = 10  # as Rasa's classifiers report


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LexicalTopicClassifier(PickledModelComponent, IntentClassifier):
    MODEL_FILE = "lexical_topic_classifier.pkl"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 1.0,  # the SVM's regularisation (smaller: smoother)
            "temperature": 5.0,  # margins -> probabilities
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "char_min_df": 2,  # a character n-gram seen once is noise
            # Entities (found by the spaCy pipeline before this component) read as one word
            # per type, "what does productname cost": a named product fills a slot, it does
            # not pick the topic (the contract's boundary rules).
            "placeholders": [],
            # Read the message as the rule sets do (nlu_components/pattern_rules.py `normalise`):
            # misspellings and texting shorthand spelt out ("what r the side effects i shud know
            # abt"), from content/spellings.yml.
            "spellings": False,
            # Regular expression -> what the classifier reads instead (case ignored), for
            # wordings that would mislead it: see config.yml.
            "rewrites": {},
            # Two questions in one message ("how long is the hospital stay, and does someone have
            # to stay with him?"): when each part on its own gets a different answer with at least
            # this probability, the first part's answer is the message's and the second part's
            # becomes `second_answer` (answered after it: dialogue_policies/second_question.py).
            # 0 turns it off.
            "second_question_confidence": 0.0,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The spellings are read outside Rasa's graph: a change to them must retrain the
        classifier, whose training examples were read through them."""
        # Rasa's fingerprint run may pass the configuration as config.yml gives it, without the defaults
        if not {**cls.get_default_config(), **config}["spellings"]:
            return None
        return hashlib.sha256(SPELLINGS_FILE.read_bytes()).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        self.model = fit_model(training_data.intent_examples, self.config)
        self.model["retrieval_intents"] = sorted(training_data.retrieval_intents)
        self.model["responses"] = {key: training_data.responses.get(UTTER_PREFIX + key, [])
                                   for key in self.model["svm"].classes_ if "/" in key}
        return self.persist()

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        texts = [classified_text(message, self.config) for message in messages]
        for message, text, probs in zip(messages, texts, self._probabilities(texts)):
            if not (message.get(TEXT) or "").strip():
                # nothing to classify: no intent (as DIET says), so FallbackClassifier falls back
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            two = self._two_answers(text)
            if two:  # the first question's prediction is the message's; the second's answer waits
                (probs, _), (_, second_answer) = two
                message.set(SECOND_ANSWER, second_answer, add_to_output=True)
            self._set_prediction(message, probs)
        return messages

    def _probabilities(self, texts: List[Text]) -> np.ndarray:
        margins = self.model["svm"].decision_function(self.model["features"].transform(texts))
        return np.array([probabilities(row, self.config["temperature"]) for row in margins.reshape(len(texts), -1)])

    def _two_answers(self, text: Text) -> Optional[List[Tuple[np.ndarray, Dict[Text, Any]]]]:
        """For a message that asks two questions, each part's probabilities and its answer
        ({intent_response_key, confidence}); None unless each part gets a different answer with
        at least `second_question_confidence`."""
        threshold = self.config["second_question_confidence"]
        parts = question_parts(text) if threshold else None
        if not parts:
            return None
        keys = self.model["svm"].classes_
        found = []
        for probs in self._probabilities(list(parts)):
            best = int(np.argmax(probs))
            if "/" not in keys[best] or probs[best] < threshold:
                return None
            found.append((probs, {INTENT_RESPONSE_KEY: keys[best], PREDICTED_CONFIDENCE_KEY: float(probs[best])}))
        return found if found[0][1][INTENT_RESPONSE_KEY] != found[1][1][INTENT_RESPONSE_KEY] else None

    def _set_prediction(self, message: Message, probs: np.ndarray) -> None:
        keys = self.model["svm"].classes_
        order = np.argsort(-probs)
        by_intent: Dict[str, float] = {}
        for key, p in zip(keys, probs):
            intent = key.split("/", 1)[0]
            by_intent[intent] = by_intent.get(intent, 0.0) + float(p)
        best = keys[order[0]].split("/", 1)[0]
        ranking = sorted(by_intent.items(), key=lambda item: (item[0] != best, -item[1]))
        ranking = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: p} for name, p in ranking[:RANKING_LENGTH]]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

        answers = [(keys[i], float(probs[i])) for i in order if "/" in keys[i]]
        if not answers:
            return
        top_key, top_p = answers[0]
        selector = {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                RESPONSE_SELECTOR_RESPONSES_KEY: self.model["responses"].get(top_key, []),
                PREDICTED_CONFIDENCE_KEY: top_p,
                INTENT_RESPONSE_KEY: top_key,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: UTTER_PREFIX + top_key,
            },
            RESPONSE_SELECTOR_RANKING_KEY: [{INTENT_RESPONSE_KEY: key, PREDICTED_CONFIDENCE_KEY: p}
                                            for key, p in answers[:RANKING_LENGTH]],
        }
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, {
            RESPONSE_SELECTOR_RETRIEVAL_INTENTS: self.model["retrieval_intents"],
            RESPONSE_SELECTOR_DEFAULT_INTENT: selector,
        }, add_to_output=True)


# Where a message's second question starts: after a question mark, or at "and"/"also" followed by
# the words a question opens with ("..., and does someone have to stay with him?"). Each part needs
# a few words of its own, and each must read as a question.
_QUESTION_WORDS = r"(?:how|what|when|where|who|why|which|is|are|can|could|do|does|did|will|would|should|has|have)\b"
_SECOND_QUESTION = re.compile(rf"(?:\?\s+|,?\s+(?:and|also|plus)\s+(?=(?:also\s+)?{_QUESTION_WORDS}))(?:(?:and|also|plus)\s+)?",
                              re.IGNORECASE)
_A_QUESTION = re.compile(rf"^{_QUESTION_WORDS}|\?\s*$", re.IGNORECASE)
_ASKS = re.compile(rf"^{_QUESTION_WORDS}|\b(?:how|what|when|where|who|why|which)\b", re.IGNORECASE)
MIN_PART_WORDS = 3


def question_parts(text: Text) -> Optional[Tuple[Text, Text]]:
    """The two questions of a message that asks two ("What does it cost? And will insurance pay?"),
    split where the second starts; None for one question, or for more than two."""
    text = text.strip()
    splits = [m for m in _SECOND_QUESTION.finditer(text) if m.end() < len(text)]
    if len(splits) != 1:
        return None
    first, second = text[:splits[0].start()], text[splits[0].end():]
    if min(len(first.split()), len(second.split())) < MIN_PART_WORDS:
        return None
    if not (_ASKS.search(first) and _A_QUESTION.search(second)):
        return None  # "My husband has DLBCL and is he eligible?", "will it fall out again? it's just grown back"
    return first, second


def label(example: Message) -> Text:
    """The class an example teaches: its answer ("risks/crs") or its plain intent ("greet")."""
    return example.get(INTENT_RESPONSE_KEY) or example.get(INTENT)


def classified_text(message: Message, config: Dict[Text, Any]) -> Text:
    """The text the classifier reads: the message's, with each entity of a type in
    `placeholders` replaced by "<type>name" (the spaCy doc's text is lower-cased; so are the
    classifier's features), spelt out with `spellings`, then the `rewrites` applied."""
    doc = message.get(SPACY_DOCS[TEXT])
    if not config["placeholders"] or doc is None:
        text = message.get(TEXT) or ""
    else:
        text = doc.text
        for entity in reversed(doc.ents):
            if entity.label_ in config["placeholders"]:
                text = f"{text[:entity.start_char]} {entity.label_}name {text[entity.end_char:]}"
    if config.get("spellings"):
        text = normalise(text)
    for pattern, replacement in config["rewrites"].items():
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text


def fit_model(examples: List[Message], config: Dict[Text, Any]) -> Dict[Text, Any]:
    """The features and the SVM, trained on these examples."""
    features = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=tuple(config["word_ngrams"]), sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(config["char_ngrams"]),
                                  min_df=config["char_min_df"], sublinear_tf=True)),
    ])
    texts = [classified_text(example, config) for example in examples]
    # a fixed seed: liblinear shuffles the examples, and the same data should give the same model
    svm = LinearSVC(C=config["C"], random_state=0).fit(features.fit_transform(texts), [label(e) for e in examples])
    return {"features": features, "svm": svm}


def probabilities(margins: np.ndarray, temperature: float) -> np.ndarray:
    scaled = np.exp((margins - margins.max()) * temperature)
    return scaled / scaled.sum()
