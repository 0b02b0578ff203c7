"""Tunes on real questions without touching a hold-out: cross-validation by source.

The training data's real questions (examples with `metadata.source`: pages whose
organisation is not held out) are split into folds by host. Each fold's questions are
answered by the classifier trained on everything else, through the thresholds of
config.yml (FallbackClassifier, AnswerConfidenceGate), and judged as the hold-outs are:
right, clarified (with or without the right topic among the buttons) or wrong.

Choices such as the number of "did you mean" buttons (actions/clarify.py) are made on
these figures, so the hold-outs in tests/holdout/ stay untouched measurements. These are
tuning figures, not results. Entity answers and the rule components (follow-ups, red flags)
are left out: this measures the classifier and the thresholds only.

Usage: python scripts/cross_validate_sources.py [--folds 5]
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import urlparse

import yaml
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.training_data.message import Message

from actions.answers import topic_titles
from nlu_components.answer_confidence_gate import AnswerConfidenceGate
from nlu_components.lexical_topic_classifier import LexicalTopicClassifier, fit_model, label
from scripts.evaluate_nlu import HoldoutResult, Question, judge

ROOT = Path(__file__).resolve().parent.parent


def component_config(pipeline: List[Dict[str, Any]], component: type) -> Dict[str, Any]:
    """A pipeline entry's settings over the component's defaults."""
    entry = next(e for e in pipeline if e["name"].split(".")[-1] == component.__name__)
    return {**component.get_default_config(), **{k: v for k, v in entry.items() if k != "name"}}


def source_host(example: Message) -> str:
    source = ((example.get("metadata") or {}).get("example") or {}).get("source") or ""
    return (urlparse(source).hostname or "").removeprefix("www.")  # as the real-world hold-out splits


def fold_of(host: str, folds: int) -> int:
    return int(hashlib.md5(host.encode()).hexdigest(), 16) % folds


def cross_validate(folds: int = 5) -> HoldoutResult:
    importer = TrainingDataImporter.load_from_config(str(ROOT / "config.yml"), str(ROOT / "domain.yml"),
                                                     [str(ROOT / "data")])
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    classifier_config = component_config(pipeline, LexicalTopicClassifier)
    fallback = FallbackClassifier(component_config(pipeline, FallbackClassifier))
    gate = AnswerConfidenceGate(component_config(pipeline, AnswerConfidenceGate))
    training_data = importer.get_nlu_data()
    spacy_model = SpacyNLP.load_model(str(ROOT / "build" / "spacy_pipeline"))
    spacy_nlp = SpacyNLP(spacy_model, component_config(pipeline, SpacyNLP))
    spacy_nlp.process_training_data(training_data, spacy_model)  # the docs whose entities the classifier reads
    titles = topic_titles(importer.get_domain().as_dict())

    examples = training_data.intent_examples
    hosts = [source_host(e) for e in examples]  # "" for the project's own examples: never held out
    outcomes = []
    for fold in range(folds):
        held = [bool(host) and fold_of(host, folds) == fold for host in hosts]
        held_out = [(e, host) for e, host, h in zip(examples, hosts, held) if h]
        trained = [e for e, h in zip(examples, held) if not h]
        model = {**fit_model(trained, classifier_config), "retrieval_intents": sorted(training_data.retrieval_intents),
                 "responses": {}}
        classifier = LexicalTopicClassifier(classifier_config, None, None, model)
        messages = spacy_nlp.process([Message(data={"text": e.get("text")}) for e, _ in held_out], spacy_model)
        for (example, host), message in zip(held_out, gate.process(fallback.process(classifier.process(messages)))):
            parse = {**message.as_dict(only_output_properties=True), "text": message.get("text")}
            question = Question(example.get("text"), label(example).split("/")[-1], source=host)
            outcomes.append(judge(question, parse, titles))
    return HoldoutResult("training sources, cross-validated", outcomes, kind="tuning set")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    print(cross_validate(parser.parse_args().folds).format())


if __name__ == "__main__":
    main()
