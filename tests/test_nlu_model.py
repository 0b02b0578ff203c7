"""The trained model: the three hold-outs (right / clarified / wrong), safety recall, the
contract questions, synonyms."""
from __future__ import annotations

import pytest

from actions.answers import topic_titles
from actions.clarify import candidate_topics
from nlu_components.base import second_answer
from scripts.evaluate_nlu import RESULTS, evaluate, parse_all, topic_of

# The targets (issue 19): right answers on each hold-out, confident wrong answers at most 3%
# of any hold-out, and the right topic among the "did you mean" buttons of most clarifications.
MIN_RIGHT = {"dev": 0.95, "contract": 0.95, "real-world": 0.90}
MAX_WRONG = 0.03
MIN_CLARIFY_HITS = 0.80
# Not met yet (issue 19 stays open; README, "Results"): expected to fail, and strict, so the
# day a figure reaches its target this marker must go and the floor holds from then on.
NOT_YET = pytest.mark.xfail(strict=True, reason="issue 19: below target, see README 'Results'")


@pytest.fixture(scope="module")
def report(agent):
    report = evaluate(agent)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report.format() + "\n", encoding="utf-8")
    return report


@pytest.mark.parametrize("name", ["dev", "contract", pytest.param("real-world", marks=NOT_YET)])
def test_holdout_right_and_wrong(report, name, capsys):
    holdout = report.holdouts[name]
    with capsys.disabled():
        print("\n" + holdout.summary())
    assert holdout.right >= MIN_RIGHT[name] and holdout.wrong <= MAX_WRONG, holdout.summary()


def test_clarifications_offer_the_right_topic(report):
    assert report.clarify_hit_rate is not None and report.clarify_hit_rate >= MIN_CLARIFY_HITS


def test_safety(report, capsys):
    with capsys.disabled():
        print("\n" + report.format())
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


@pytest.mark.parametrize("text", ["blorp wibble frobnicate", "xkcd qwop zorb", "hmm"])
def test_nonsense_gets_no_medical_answer_and_no_guesses(agent, text):
    [parse] = parse_all(agent, [text])
    assert topic_of(parse) in {"nlu_fallback", "out_of_scope"}
    assert candidate_topics(parse, topic_titles(agent.domain.as_dict())) == []


@pytest.mark.parametrize("text", ["when", "why?", "where", "who", "how?", "how often?"])
def test_a_bare_question_word_is_a_follow_up_not_a_topic(agent, text):
    """"when" after the vaccines answer got the answer about checking the response; "how often?"
    after CRS the long-term follow-up's."""
    [parse] = parse_all(agent, [text])
    assert parse["intent"]["name"] == "follow_up"


def test_options_for_a_named_cancer_are_its_approved_products_not_the_help_answer(agent):
    """"what are my options with myeloma" got "I can share general information about ..."."""
    [parse] = parse_all(agent, ["what options does my mom have with follicular lymphoma"])
    assert parse["intent"]["name"] == "cancers_treated"


def test_what_refractory_and_remission_mean_get_the_answers_that_say_it(agent):
    """"what does refractory mean" got the answer about manufacturing, sure of it, and "what is
    remission exactly" the one about the receptor: the general products answer says what relapsed
    and refractory mean, the answer about checking the response what remission means."""
    refractory, remission = parse_all(agent, ["what does refractory disease mean", "what is remission, in plain words"])
    assert refractory["intent"]["name"] == "approved_products"
    assert topic_of(remission) == "response_check"


def test_two_questions_in_one_message_get_both_answers(agent):
    """"how long is the hospital stay and does someone have to stay with him after?" got one of the
    two answers, or "did you mean" (blind conversations, 2026-12-06)."""
    [parse] = parse_all(agent, ["how long is the hospital stay and does someone have to stay with him after?"])
    assert topic_of(parse) == "hospital_stay" and second_answer(parse) == "aftercare/caregiver"


@pytest.mark.parametrize("text", ["is car t a cure?", "how long is the hospital stay and what happens there",
                                  "My dad has a fever of 39 and is shaking. What should I do, and who do I call?"])
def test_one_question_or_a_safety_reply_gets_no_second_answer(agent, text):
    """The second part of the second message is no question of its own; the third gets the
    emergency reply, with nothing after it."""
    [parse] = parse_all(agent, [text])
    assert second_answer(parse) is None


@pytest.mark.parametrize("text, topic", [
    # seventeenth round, sets CU, CX (none of these words trained on): texting shorthand, "injection" for a vaccine, a
    # patient who lives alone since a loss asking something practical, what was meant said after "did you mean"
    ("wat r the usual side effects ppl get from car t", "side_effects"),
    ("When can I have my pneumonia injection after CAR T?", "vaccines"),
    ("My partner died a few years back and I live alone. Will I have to stay in hospital after the infusion?",
     "hospital_stay"),
    ("how is car t different from chemo, that's what i meant", "vs_chemotherapy"),
])
def test_seventeenth_round_wordings_get_their_topic(agent, text, topic):
    [parse] = parse_all(agent, [text])
    assert topic_of(parse) == topic


def test_a_death_after_car_t_still_gets_the_condolences(agent):
    [parse] = parse_all(agent, ["My mother died last week, she had CAR T in May. Could the CAR T have caused it?"])
    assert topic_of(parse) == "bereavement"
