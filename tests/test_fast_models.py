"""nlu_components.fast_models: the trained model predicts exactly as Rasa's own classes do."""
from __future__ import annotations

from typing import List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.selectors.response_selector import DIET2BOW, DIET2DIET
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components import fast_models
from nlu_components.sentence_scorer import SentenceScorer
from scripts.evaluate_nlu import holdout_questions, load_agent, parse_all

pytestmark = pytest.mark.integration  # the trained model, and small models trained here


def scores(parse: dict) -> dict:
    selection = parse["response_selector"]["default"]
    return {
        "intents": {r["name"]: r["confidence"] for r in parse["intent_ranking"]},
        "answers": {r["intent_response_key"]: r["confidence"] for r in selection["ranking"]},
    }


def fast_components(agent) -> List:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    return [n._component for n in nodes if isinstance(n._component, fast_models.SentenceScoring)]


def test_model_uses_the_fast_components_and_scores_in_numpy(agent):
    components = fast_components(agent)
    assert {type(c) for c in components} == {fast_models.FastDIETClassifier, fast_models.FastResponseSelector}
    assert all(c.scorer is not None for c in components)


def test_predictions_equal_those_of_rasas_own_loading_and_tensorflow(agent, monkeypatch):
    monkeypatch.setattr(fast_models.FastDIETClassifier, "model_class", staticmethod(lambda: DIET))
    monkeypatch.setattr(fast_models.FastResponseSelector, "model_class",
                        staticmethod(lambda use_text_as_label: DIET2DIET if use_text_as_label else DIET2BOW))
    monkeypatch.setattr(SentenceScorer, "for_model", classmethod(lambda cls, model: None))
    stock = load_agent()
    assert all(c.scorer is None for c in fast_components(stock))
    texts = [q for qs in holdout_questions().values() for q in qs] + ["zzz qqq", "?"]
    for fast, tensorflow in zip(parse_all(agent, texts), parse_all(stock, texts)):
        fast_scores, stock_scores = scores(fast), scores(tensorflow)
        assert fast_scores["intents"].keys() == stock_scores["intents"].keys()
        assert fast_scores["answers"].keys() == stock_scores["answers"].keys()
        for kind in ("intents", "answers"):
            for name, confidence in stock_scores[kind].items():
                assert fast_scores[kind][name] == pytest.approx(confidence, abs=1e-5), (fast["text"], name)


def test_a_layout_the_scorer_does_not_know_falls_back_to_tensorflow_with_a_warning(agent, monkeypatch, caplog):
    """Another Rasa version may lay out its layers differently: then Rasa's own prediction."""
    component = fast_components(agent)[0]
    layers = {k: v for k, v in component.model._tf_layers.items() if not k.startswith("sequence_layer")}
    monkeypatch.setattr(component.model, "_tf_layers", layers)
    assert SentenceScorer.for_model(component.model) is None
    assert "predicting with Rasa's TensorFlow model" in caplog.text
    monkeypatch.undo()
    [before] = parse_all(agent, ["what is crs"])
    monkeypatch.setattr(component, "scorer", None)  # as the component is after such a warning
    [after] = parse_all(agent, ["what is crs"])
    assert after["intent"]["name"] == before["intent"]["name"]
    assert after["intent"]["confidence"] == pytest.approx(before["intent"]["confidence"], abs=1e-5)


@pytest.mark.parametrize("settings, scored_in_numpy", [
    ({}, True),
    ({"hidden_layers_sizes": {"text": [16, 8], "label": []}, "connection_density": 0.5}, True),
    ({"number_of_transformer_layers": 1}, False),  # attention mixes the words: TensorFlow's job
    ({"entity_recognition": True}, False),
    ({"loss_type": "margin"}, False),  # cosine similarities, no softmax
])
def test_other_settings_score_in_numpy_only_where_exact(tmp_path, settings, scored_in_numpy):
    hello = Message.build(text="hello there", intent="greet",
                          entities=[{"start": 6, "end": 11, "value": "there", "entity": "place"}])
    texts = {"greet": ["hi", "good morning"], "bye": ["goodbye", "see you later", "bye bye"]}
    data = TrainingData([hello] + [Message.build(text=t, intent=i) for i, ts in texts.items() for t in ts])
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokenizer.process_training_data(data)
    featurizer = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage,
                                               Resource("cv"), context)
    featurizer.train(data)
    featurizer.process_training_data(data)
    config = {**fast_models.FastDIETClassifier.get_default_config(),
              "epochs": 1, "number_of_transformer_layers": 0, "entity_recognition": False, **settings}
    resource = fast_models.FastDIETClassifier.create(config, storage, Resource("diet"), context).train(data)
    loaded = fast_models.FastDIETClassifier.load(config, storage, resource, context)

    assert (loaded.scorer is not None) is scored_in_numpy
    message = Message.build(text="hello good bye")
    tokenizer.process([message])
    featurizer.process([message])
    tensorflow = DIETClassifier._predict(loaded, message)["i_scores"]
    assert loaded._predict(message)["i_scores"] == pytest.approx(tensorflow, abs=1e-6)
    loaded.process([message])
    assert message.get("intent")["name"] in texts
