"""scripts/evaluate_nlu.py: how a parse becomes a topic and an outcome, and the hold-outs' shape (no model
needed); scripts/cross_validate_sources.py, the tuning set."""
from urllib.parse import urlparse

import pytest

from helpers import ROOT, load_yaml
from scripts.evaluate_nlu import HOLDOUT, HoldoutResult, Outcome, Question, holdouts, judge, topic_of


def parse(intent: str, **selectors) -> dict:
    return {"intent": {"name": intent}, "response_selector": {"all_retrieval_intents": ["risks", "basics"], **selectors}}


def selection(key: str) -> dict:
    return {"response": {"intent_response_key": key}}


def test_topic_from_the_intents_own_selector():
    assert topic_of(parse("risks", risks=selection("risks/crs"))) == "crs"


def test_topic_from_the_catch_all_selector_of_a_stock_config():
    assert topic_of(parse("basics", default=selection("risks/icans"))) == "icans"


def test_plain_intents_are_topics():
    assert topic_of(parse("greet", default=selection("risks/icans"))) == "greet"
    assert topic_of({"intent": {"name": "nlu_fallback"}}) == "nlu_fallback"


TITLES = {"/risks/crs": "CRS", "/risks/icans": "ICANS", "/basics/eligibility": "Who can get it?"}


def ranked(*keys_and_scores) -> dict:
    """A fallback parse whose catch-all selector ranks these answers of the risks group."""
    ranking = [{"intent_response_key": k, "confidence": c} for k, c in keys_and_scores]
    return {"intent": {"name": "nlu_fallback"},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "risks", "confidence": 0.6}],
            "response_selector": {"all_retrieval_intents": ["risks"], "default": {"ranking": ranking}}}


def test_three_outcomes():
    question = Question("how is crs treated", "crs_treatment", also_right=("crs",))
    assert judge(question, parse("risks", risks=selection("risks/crs")), TITLES).outcome == "right"
    assert judge(question, parse("risks", risks=selection("risks/icans")), TITLES).outcome == "wrong"
    clarified = judge(question, ranked(("risks/icans", 0.5), ("risks/crs", 0.4)), TITLES)
    assert (clarified.outcome, clarified.buttons, clarified.hit) == ("clarified", ("icans", "crs"), True)
    missed = judge(Question("who can get it", "eligibility"), ranked(("risks/icans", 0.9)), TITLES)
    assert (missed.outcome, missed.hit) == ("clarified", False)


def test_a_wrong_answer_given_unsure_counts_whether_its_alternatives_offer_the_right_topic():
    unsure = ranked(("risks/icans", 0.5), ("risks/crs", 0.4))
    unsure.update(intent={"name": "risks"}, intent_ranking=[{"name": "risks", "confidence": 0.9}])
    unsure["response_selector"]["default"]["response"] = {"intent_response_key": "risks/icans", "confidence": 0.5}
    offered = judge(Question("what is crs", "crs"), unsure, TITLES)
    assert (offered.outcome, offered.buttons, offered.hit) == ("wrong", ("crs",), True)
    unsure["response_selector"]["default"]["response"]["confidence"] = 0.9  # sure: nothing offered beside it
    assert judge(Question("what is crs", "crs"), unsure, TITLES).buttons == ()
    result = HoldoutResult("dev", [offered])
    assert result.wrong_with_right_offered == 1 and "offered beside 1 of 1 wrong answers" in result.summary()


def follow_up(text: str, *entities) -> dict:
    return {"text": text, "intent": {"name": "follow_up"}, "entities": [{"entity": e, "value": v} for e, v in entities],
            "intent_ranking": [{"name": "follow_up", "confidence": 0.9}], "response_selector": {}}


def test_a_follow_up_as_first_message_is_judged_as_the_assistant_answers_it():
    # nothing to refer to: "did you mean"
    assert judge(Question("how is it treated?", "crs_treatment"), follow_up("how is it treated?"), TITLES).outcome \
        == "clarified"
    # an aspect with the same answer whatever was discussed
    assert judge(Question("what about the cost", "cost"), follow_up("what about the cost"), TITLES).outcome == "right"
    # a product named in the message fills its slot: the product's answer
    assert judge(Question("who makes Kymriah", "approved_products"), follow_up("who makes Kymriah", ("product", "Kymriah")),
                 TITLES).outcome == "right"
    assert judge(Question("who makes Kymriah", "cost"), follow_up("who makes Kymriah", ("product", "Kymriah")),
                 TITLES).outcome == "wrong"


def test_the_long_term_follow_up_answer_is_not_taken_for_a_conversational_follow_up():
    # its key (aftercare/follow_up) has the conversational intent's name; the assistant answers it
    question = Question("What type of follow-up will I need after treatment?", "follow_up")
    answered = {"intent": {"name": "aftercare"}, "response_selector": {
        "all_retrieval_intents": ["aftercare"], "default": selection("aftercare/follow_up")}}
    assert judge(question, answered, TITLES).outcome == "right"


def test_shares_and_clarify_hits():
    q = Question("q", "crs")
    result = HoldoutResult("dev", [Outcome(q, "crs", "right"), Outcome(q, "icans", "wrong"),
                                   Outcome(q, "nlu_fallback", "clarified", ("crs",)),
                                   Outcome(q, "nlu_fallback", "clarified", ("icans",))])
    assert (result.right, result.wrong, result.clarify_hits) == (0.25, 0.25, 1)
    assert result.per_topic()["crs"] == {"right": 1, "wrong": 1, "clarified": 2}
    assert "right 1 (25.0%), clarified 2 (50.0%), wrong 1 (25.0%)" in result.summary()


def test_every_holdout_question_names_a_topic_of_the_contract(contract):
    ids = {t["id"] for t in contract}
    for name, questions in holdouts().items():
        assert not [q.topic for q in questions if not q.right_topics <= ids], name


def real_training_questions():
    """(intent, example) of every training question copied from a page (it has a source)."""
    return [(block["intent"], e) for path in (ROOT / "data").rglob("*.yml")
            for block in load_yaml(path).get("nlu") or [] if isinstance(block["examples"], list)
            for e in block["examples"] if (e.get("metadata") or {}).get("source")]


def test_real_world_holdout_is_split_by_source():
    sources = load_yaml(HOLDOUT / "real_world.yml")["sources"]
    assert len(sources) >= 8 and sum(len(s["questions"]) for s in sources) >= 100
    def site(url: str) -> str:
        return urlparse(url).netloc.removeprefix("www.")

    held_out = {site(s["url"]) for s in sources}
    trained = {site(e["metadata"]["source"]) for _, e in real_training_questions()}
    assert len(trained) >= 30  # the real questions in training, with their sources
    assert not held_out & trained


def test_no_real_question_is_taught_as_a_conversational_follow_up():
    # The intent follow_up ("and how is it treated?") shares its name with the contract topic of
    # long-term check-ups (aftercare/follow_up): a page's "What is ... LTFU?" belongs to the latter.
    assert not [e["text"] for intent, e in real_training_questions() if intent == "follow_up"]


def test_cross_validation_folds_by_source_host():
    from rasa.shared.nlu.training_data.message import Message

    from scripts.cross_validate_sources import fold_of, source_host

    def example(url):
        return Message(data={"text": "q", "metadata": {"example": {"source": url}}})

    assert source_host(example("https://www.lls.org/a?b=1")) == source_host(example("https://lls.org/c")) == "lls.org"
    assert source_host(Message(data={"text": "written by the project"})) == ""  # never held out
    assert {fold_of("lls.org", 5) for _ in range(3)} == {fold_of("lls.org", 5)}
    assert {fold_of(f"host{i}.org", 5) for i in range(50)} == set(range(5))


def test_cross_validation_uses_the_configured_thresholds():
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier

    from nlu_components.answer_confidence_gate import AnswerConfidenceGate
    from scripts.cross_validate_sources import component_config

    pipeline = load_yaml(ROOT / "config.yml")["pipeline"]
    fallback = component_config(pipeline, FallbackClassifier)
    assert fallback == {"threshold": 0.3, "ambiguity_threshold": 0.05}  # config.yml's, not Rasa's 0.7 / 0.1
    assert component_config(pipeline, AnswerConfidenceGate) == {  # not 0.5 / 0 / none
        "threshold": 0.3, "intent_threshold": 0.45,
        "gated_intents": ["personal_advice", "order_drugs", "cancers_treated", "approved_products", "solid_tumors",
                          "bereavement"],
        "term_answers": component_config(pipeline, AnswerConfidenceGate)["term_answers"]}
    assert "basics/what_is_car_t" in component_config(pipeline, AnswerConfidenceGate)["term_answers"]


@pytest.mark.integration  # trains five classifiers: about a minute
def test_cross_validation_answers_every_real_training_question_once():
    from scripts.cross_validate_sources import cross_validate

    result = cross_validate(folds=5)
    sources = [q for f in (ROOT / "data").rglob("*.yml") for q in f.read_text(encoding="utf-8").splitlines()
               if q.strip().startswith("source: http")]
    assert len(result) == len(sources) >= 300
    assert all(o.question.source for o in result.outcomes)  # every one from a page, none the project's
    # a working classifier, but not one that saw them (trained on them, it gets every one right)
    assert 0.5 < result.right < 0.95 and result.kind == "tuning set"
