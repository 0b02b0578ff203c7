"""nlu_components.fast_loading: the trained model predicts exactly as when Rasa loads it its own way."""
from __future__ import annotations

import pytest
from rasa.nlu.classifiers.diet_classifier import DIET
from rasa.nlu.selectors.response_selector import DIET2BOW, DIET2DIET

from nlu_components import fast_loading
from scripts.evaluate_nlu import holdout_questions, load_agent, parse_all


def scores(parse: dict) -> dict:
    selection = parse["response_selector"]["default"]
    return {
        "intents": {r["name"]: r["confidence"] for r in parse["intent_ranking"]},
        "answers": {r["intent_response_key"]: r["confidence"] for r in selection["ranking"]},
    }


def test_model_uses_the_fast_loading_components(agent):
    used = {node.uses for node in agent.processor.model_metadata.predict_schema.nodes.values()}
    assert {fast_loading.FastLoadingDIETClassifier, fast_loading.FastLoadingResponseSelector} <= used


def test_predictions_equal_those_of_rasas_own_loading(agent, monkeypatch):
    monkeypatch.setattr(fast_loading.FastLoadingDIETClassifier, "model_class", staticmethod(lambda: DIET))
    monkeypatch.setattr(fast_loading.FastLoadingResponseSelector, "model_class",
                        staticmethod(lambda use_text_as_label: DIET2DIET if use_text_as_label else DIET2BOW))
    rasa_loaded = load_agent()
    texts = [q for qs in holdout_questions().values() for q in qs][::4]
    for fast, stock in zip(parse_all(agent, texts), parse_all(rasa_loaded, texts)):
        fast_scores, stock_scores = scores(fast), scores(stock)
        assert fast_scores["intents"].keys() == stock_scores["intents"].keys()
        assert fast_scores["answers"].keys() == stock_scores["answers"].keys()
        for kind in ("intents", "answers"):
            for name, confidence in stock_scores[kind].items():
                assert fast_scores[kind][name] == pytest.approx(confidence, abs=1e-6), (fast["text"], name)
