"""scripts/evaluate_nlu.py: how a parse becomes a topic, and macro-F1 (no model needed)."""
from scripts.evaluate_nlu import Report, topic_of


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


def test_macro_f1():
    # a: 1 of 2 right, predicted twice (once wrongly for b); b: 0 of 1, never predicted
    report = Report(per_topic={"a": (1, 2), "b": (0, 1)}, predicted={"a": 2, "nlu_fallback": 1})
    assert report.macro_f1 == (2 * 1 / (2 + 2) + 0) / 2
