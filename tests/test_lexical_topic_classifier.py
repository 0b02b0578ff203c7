"""nlu_components/lexical_topic_classifier.py: trained on a small data set, saved and loaded as
Rasa does, its predictions have the shape Rasa's FallbackClassifier, the retrieval actions and
the project's components read."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.lexical_topic_classifier import LexicalTopicClassifier, probabilities

EXAMPLES = {
    "risks/crs": ["what is crs", "cytokine release syndrome explained", "what is cytokine storm", "crs meaning"],
    "risks/crs_treatment": ["how is crs treated", "treatment of crs", "what do they give for crs", "crs medicine"],
    "basics/cell_collection": ["how are t cells collected", "what is apheresis", "cell collection day",
                               "how do they take my cells"],
    "greet": ["hello", "hi there", "good morning", "hey"],
}


def examples() -> TrainingData:
    messages = []
    for key, texts in EXAMPLES.items():
        intent, _, answer = key.partition("/")
        for text in texts:
            data = {"text": text, "intent": intent}
            if answer:
                data["intent_response_key"] = key
            messages.append(Message(data=data))
    responses = {f"utter_{k}": [{"text": f"answer of {k}"}] for k in EXAMPLES if "/" in k}
    return TrainingData(training_examples=messages, responses=responses)


@pytest.fixture
def trained(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("topics")
    context = ExecutionContext(graph_schema=None, model_id="test")
    config = {**LexicalTopicClassifier.get_default_config(), "char_min_df": 1}
    LexicalTopicClassifier.create(config, storage, resource, context).train(examples())
    return LexicalTopicClassifier.load(config, storage, resource, context)


def predict(classifier, text: str) -> Message:
    [message] = classifier.process([Message(data={"text": text})])
    return message


def test_an_answer_of_a_retrieval_intent(trained):
    message = predict(trained, "how do they treat crs")
    assert message.get("intent")["name"] == "risks"
    selection = message.get("response_selector")
    assert selection["all_retrieval_intents"] == ["basics", "risks"]
    answer = selection["default"]["response"]
    assert answer["intent_response_key"] == "risks/crs_treatment"
    assert answer["utter_action"] == "utter_risks/crs_treatment"
    assert answer["responses"] == [{"text": "answer of risks/crs_treatment"}]
    # the intent's confidence is its answers' sum, so at least the chosen answer's
    assert message.get("intent")["confidence"] >= answer["confidence"] > 0.3
    ranking = selection["default"]["ranking"]
    assert [a["intent_response_key"] for a in ranking][0] == "risks/crs_treatment" and len(ranking) == 3


def test_a_plain_intent_comes_first_in_the_ranking(trained):
    message = predict(trained, "hello!")
    ranking = message.get("intent_ranking")
    assert message.get("intent") == ranking[0] and ranking[0]["name"] == "greet"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_probabilities_are_a_sharpened_softmax():
    p = probabilities(__import__("numpy").array([1.0, 0.0, -1.0]), 5.0)
    assert p.sum() == pytest.approx(1.0) and p[0] > 0.99


@pytest.mark.parametrize("text", ["", " \n\t"])
def test_an_empty_message_has_no_intent(trained, text):
    message = predict(trained, text)
    assert message.get("intent") == {"name": None, "confidence": 0.0} and message.get("intent_ranking") == []


def test_a_named_product_reads_as_a_placeholder():
    """The spaCy pipeline's entities in the text the classifier reads: the product's name
    stands for any product, so "how much is Kymriah" is a cost question like any other."""
    import spacy

    from helpers import ROOT
    from nlu_components.lexical_topic_classifier import classified_text

    nlp = spacy.load(ROOT / "build" / "spacy_pipeline")

    def read(message, placeholders):
        return classified_text(message, {"placeholders": placeholders, "rewrites": {}})

    text = "How much is Kymriah for myeloma compared with Carvykti?"
    message = Message(data={"text": text, "text_spacy_doc": nlp(text.lower())})  # lower-cased, as SpacyNLP does
    assert read(message, ["product"]) == "how much is  productname  for myeloma compared with  productname ?"
    assert "cancername" in read(message, ["product", "cancer"])
    assert read(message, []) == text  # as configured: nothing replaced
    assert read(Message(data={"text": text}), ["product"]) == text  # no spaCy doc: the text as is


@pytest.mark.parametrize("text, read", [
    ("What is chimeric antigen receptor (CAR) T-cell therapy?", "What is car t cell therapy?"),
    ("What is Chimeric Antigen Receptor or CAR-T?", "What is car t cell?"),
    ("what is chimeric antigen receptor (CAR)-T cell therapy", "what is car t cell therapy"),
    ("What is a chimeric antigen receptor?", "What is a chimeric antigen receptor?"),  # the receptor itself
    ("the chimeric antigen receptor that binds CD19", "the chimeric antigen receptor that binds CD19"),
    ("Why do I need an IEC therapy?", "Why do I need an car t cell therapy?"),  # some centres' name for it
    ("What is immune effector cell (IEC) therapy?", "What is car t cell therapy?"),
    ("what is immune effector cell-associated neurotoxicity syndrome", "what is immune effector cell-associated "
     "neurotoxicity syndrome"),  # ICANS, a side effect
    # a greeting or thanks before a question does not pick the topic; alone, it stays one
    ("Hi there. My husband is 76, is he too old?", " My husband is 76, is he too old?"),
    ("hello, what is crs", " what is crs"), ("hi", "hi"), ("hey bot", "hey bot"), ("Good evening!", "Good evening!"),
    ("hi i have a question", "hi i have a question"),
    ("Good day. My father is in California for CAR-T therapy for DLBCL. How much it cost?",
     " My father is in California for CAR-T therapy for DLBCL. How much it cost?"),  # ninth round, set Z
    ("thanks! and how long does it take?", " and how long does it take?"), ("thank you", "thanks"),
    ("Thanks, that helped", "thanks"), ("ok thanks that makes sense", "thanks"), ("thanks, I'll write these down", "thanks"),
    ("thanks, but I still don't get the cost", "thanks, but I still don't get the cost"),
    ("ok phoned them, they said come in. thanks for pushing me", "thanks"),
    ("thanks, that's more honest than what I found on google", "thanks"), ("thanks, is it safe", " is it safe"),
    ("thank you for everything, goodbye", "thank you for everything, goodbye"),
    ("ok thanks. how well does it work in CLL?", " how well does it work in CLL?"),
    # acting on the emergency advice before a question (ninth round, set Z); alone, it stays as it is
    ("ok calling them now. should i bring anything with me", " should i bring anything with me"),
    ("ok wife is calling them. can this be CRS?", " can this be CRS?"),
    ("we called the team, what do they usually do for crs", " what do they usually do for crs"),
    ("ok calling them now", "ok calling them now"),
    # dictated words and thanks after "ok" (set AD, AE)
    ("they called it eye cans", "they called it icans"), ("her plate lets were low", "her platelets were low"),
    ("ok ty", "thanks"), ("ok", "ok"), ("ty", "thanks"), ("thx!", "thanks"), ("ty for the help", "thanks"), ("ok that makes more sense now ty", "thanks"),
    # eleventh round (sets AP, AQ): a team named; acting on the advice with thanks is thanks; an exclamation first
    ("alright mum is ringing the myeloma team now. is this kind of thing something that goes away?",
     " is this kind of thing something that goes away?"),
    ("i'll call the nurses station right now. thx", "thanks"),
    ("ok ok. calling the number on his card now, thank you", "thanks"),
    ("i'll call them", "i'll call them"), ("ok calling now thank you", "thanks"),
    # sixteenth round, set CN: help on its way, 911, 988 or the team's line called, a call promised
    ("called 911. was yescarta approved for people his age?", " was yescarta approved for people his age?"),
    ("ambulance coming. is kymriah the one that's only for kids?", " is kymriah the one that's only for kids?"),
    ("in the ambulance now. what other car t products are there for dlbcl", " what other car t products are there for dlbcl"),
    ("ok calling the 24/7 line. is aucatzyl supposed to have less crs?", " is aucatzyl supposed to have less crs?"),
    ("ok... i'll call. can a second car t be given after yescarta", " can a second car t be given after yescarta"),
    ("ambulance coming", "ambulance coming"), ("the ambulance is here now. he's worse", "the ambulance is here now. he's worse"),
    # thirteenth round, set BM: acting told in other words, then thanks; a greeting again
    ("ok the on call doctor said go to our local ER and they'll call ahead. thank you", "thanks"),
    ("called the night line, they said bring him to the ER and show his card. heading out, thanks", "thanks"),
    ("ok I called the number on his card, they want him in now. thank you", "thanks"),
    ("called them. should I bring his meds? thanks", " should I bring his meds? thanks"),  # a question: not thanks
    ("hi again, I'm back home. they said it was CRS. can it come back?",
     " I'm back home. they said it was CRS. can it come back?"),
    ("omg. and tecartus?", " and tecartus?"), ("wow, how long does that take?", " how long does that take?"),
    ("wow", "wow"), ("oh no", "oh no"),
    # seventeenth round, set CX: what was meant, said after "did you mean"
    ("is car t the same as chemo, that's what i meant", "is car t the same as chemo "),
    ("no, what i meant was how long is the stay", " how long is the stay"),
    ("thats what i was asking", "thats what i was asking"),  # nothing else to read
])
def test_the_configured_rewrites(text, read):
    from helpers import ROOT, load_yaml
    from nlu_components.lexical_topic_classifier import classified_text
    from scripts.cross_validate_sources import component_config

    config = {**component_config(load_yaml(ROOT / "config.yml")["pipeline"], LexicalTopicClassifier),
              "placeholders": [], "spellings": False}
    assert classified_text(Message(data={"text": text}), config) == read


def test_a_change_to_the_spellings_retrains_the_classifier_that_reads_them(tmp_path, monkeypatch):
    """Rasa reuses a component it trained before unless its fingerprint changes; the spellings
    file is read outside Rasa's graph, so its content is part of the fingerprint."""
    import nlu_components.lexical_topic_classifier as module

    spellings = tmp_path / "spellings.yml"
    spellings.write_text("words:\n  you: [u]\n", encoding="utf-8")
    monkeypatch.setattr(module, "SPELLINGS_FILE", spellings)
    before = LexicalTopicClassifier.fingerprint_addon({"spellings": True})
    spellings.write_text("words:\n  you: [u, yu]\n", encoding="utf-8")
    assert LexicalTopicClassifier.fingerprint_addon({"spellings": True}) != before
    assert LexicalTopicClassifier.fingerprint_addon({}) is None  # off by default: nothing read
