"""The learned safety net (nlu_components/safety_net.py, content/safety_net.yml): what it reads on
the safety hold-outs it never trained on, where it stays quiet, and that it never changes an intent."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.message import Message

from helpers import ROOT, load_yaml, rasa_importer
from nlu_components.safety_net import ADVICE, EXAMPLES_FILE, SAFETY_NET, SafetyNet, fit, training_examples
from scripts.evaluate_nlu import holdout_questions, holdouts, near_misses, red_flag_messages, safety_messages

THRESHOLD = SafetyNet.get_default_config()["threshold"]


@pytest.fixture(scope="module")
def net() -> SafetyNet:
    """The net as `rasa train` fits it: from the training data and content/safety_net.yml."""
    texts, labels = training_examples(rasa_importer().get_nlu_data(), EXAMPLES_FILE)
    return SafetyNet({**SafetyNet.get_default_config()}, None, None, fit(texts, labels, SafetyNet.get_default_config()["C"]))


def test_the_examples_file_has_the_three_labels_and_no_hold_out_message():
    examples = load_yaml(EXAMPLES_FILE)
    assert set(examples) == {*ADVICE, "neither"} and all(len(v) >= 100 for v in examples.values())
    held_out = {t.lower() for t in red_flag_messages() + safety_messages("crisis") + near_misses() + holdout_questions()}
    assert not held_out & {t.lower() for v in examples.values() for t in v}


def test_on_the_safety_hold_outs_it_reads_three_messages_in_four_and_few_near_misses(net):
    """The matchers were tuned on these sets, the net never saw them: alone it reads at least three
    in four warning signs and crisis messages as one (181 of 226 and 54 of 72 after the fifteenth round of 2026-12-07; it
    is a second check, the matchers stay first), and at most 1 near miss in 50 (2 of 130)."""
    signs, crises, misses = red_flag_messages(), safety_messages("crisis"), near_misses()
    assert sum(net.advice(t)[0] == "emergency" for t in signs) >= 0.75 * len(signs)
    assert sum(net.advice(t)[0] == "crisis" for t in crises) >= 0.75 * len(crises)
    assert sum(net.advice(t)[0] is not None for t in misses) <= len(misses) / 50


def test_it_stays_quiet_on_the_topic_hold_outs(net):
    """A question about the treatment is no warning sign: at most 1 in 200 gets the advice line (0 of 738)."""
    questions = [q.text for qs in holdouts().values() for q in qs if not q.right_topics & set(ADVICE)]
    assert sum(net.advice(t)[0] is not None for t in questions) <= len(questions) / 200


@pytest.mark.parametrize("text, advice", [
    # written here, in none of the net's examples
    ("my wife is acting really strange since yesterday, she put the kettle in the fridge", "emergency"),
    ("he is burning up and shivering under three blankets", "emergency"),
    ("honestly what is even the point of going on", "crisis"),
    ("How much does CAR T cost in the US?", None),
    ("what are the signs of CRS I should watch for at home?", None),
])
def test_what_it_reads_in_new_words(net, text, advice):
    assert net.advice(text)[0] == advice


def message(text: str, intent: str) -> Message:
    return Message(data={"text": text, "intent": {"name": intent, "confidence": 0.5}})


def test_it_sets_the_property_and_leaves_the_intent_alone(net):
    flagged = message("my grandad had car t last week and hes talking absolute nonsense and doesnt know who i am",
                      "nlu_fallback")
    net.process([flagged])
    assert flagged.get(SAFETY_NET)["advice"] == "emergency" and flagged.get(SAFETY_NET)["confidence"] >= THRESHOLD
    assert flagged.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize("text, intent", [
    ("my grandad had car t last week and hes talking absolute nonsense", "emergency"),  # the safety reply is given anyway
    ("/risks/crs", "risks"),  # a button payload
    ("   ", None),
])
def test_it_reads_nothing_the_safety_reply_already_answers_nor_payloads(net, text, intent):
    sent = message(text, intent)
    net.process([sent])
    assert sent.get(SAFETY_NET) is None


def test_an_untrained_net_flags_nothing():
    sent = message("he is having a seizure", "nlu_fallback")
    SafetyNet(SafetyNet.get_default_config(), None, None, None).process([sent])
    assert sent.get(SAFETY_NET) is None


def test_the_examples_file_is_where_the_component_reads_it():
    assert Path(SafetyNet.get_default_config()["examples"]) == EXAMPLES_FILE == ROOT / "content" / "safety_net.yml"


def test_a_change_to_the_examples_file_retrains_the_net(tmp_path):
    """Rasa reuses a component it trained before unless its fingerprint changes; the examples
    file is read outside Rasa's graph, so its content is part of the fingerprint."""
    examples = tmp_path / "safety_net.yml"
    examples.write_text("emergency: [he is having a seizure]\n")
    before = SafetyNet.fingerprint_addon({"examples": str(examples)})
    examples.write_text("emergency: [he is having a seizure, she can't breathe]\n")
    assert SafetyNet.fingerprint_addon({"examples": str(examples)}) != before


def test_the_fingerprint_reads_the_default_examples_file_when_the_config_names_none():
    """Rasa's fingerprint run passes the configuration as config.yml gives it, without the defaults: retraining after a
    change to config.yml failed with a KeyError (sixteenth round)."""
    assert SafetyNet.fingerprint_addon({"threshold": 0.8}) == SafetyNet.fingerprint_addon(SafetyNet.get_default_config())
