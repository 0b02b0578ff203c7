"""The trained model: hold-out accuracy, red-flag recall, the contract questions, synonyms."""
from __future__ import annotations

import pytest

from scripts.evaluate_nlu import RESULTS, evaluate, parse_all, topic_of

MIN_TOPIC_ACCURACY = 0.93


@pytest.fixture(scope="module")
def report(agent):
    return evaluate(agent)


def test_holdout_topic_accuracy_and_safety(report, capsys):
    with capsys.disabled():
        print("\n" + report.format())
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report.format() + "\n", encoding="utf-8")
    assert report.topic_accuracy >= MIN_TOPIC_ACCURACY
    assert report.red_flag_total >= 40
    assert report.red_flag_misses == []
    assert report.crisis_total >= 40
    assert report.crisis_misses == []
    assert report.false_alarms == []


def test_every_contract_question_resolves_to_its_topic(agent, contract):
    parses = parse_all(agent, [t["ask"] for t in contract])
    wrong = [(t["id"], topic_of(p)) for t, p in zip(contract, parses) if topic_of(p) != t["id"]]
    assert not wrong


@pytest.mark.parametrize(
    "text, entity, value",
    [("what is axi-cel used for?", "product", "Yescarta"),
     ("is there car t for myeloma", "cancer", "multiple myeloma"),
     ("what is yescarta used for", "product", "Yescarta"),
     ("my son has B-ALL", "cancer", "acute lymphoblastic leukemia")],
)
def test_entities_resolve_to_canonical_values(agent, text, entity, value):
    [parse] = parse_all(agent, [text])
    assert {(e["entity"], e["value"]) for e in parse["entities"]} == {(entity, value)}


def test_button_payload_selects_that_exact_answer(agent):
    [parse] = parse_all(agent, ["/risks/crs_treatment"])
    assert parse["intent"]["name"] == "risks"
    assert topic_of(parse) == "crs_treatment"


@pytest.mark.parametrize("text", ["blorp wibble frobnicate", "xkcd qwop zorb"])
def test_nonsense_gets_no_medical_answer(agent, text):
    [parse] = parse_all(agent, [text])
    assert topic_of(parse) in {"nlu_fallback", "out_of_scope"}
