"""Two questions in one message: where it splits, the policy that answers the second after the
first (dialogue_policies/second_question.py) and the action that answers it."""
from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from actions.second_question import ActionAnswerSecondQuestion
from dialogue_policies.second_question import SecondQuestionPolicy
from helpers import action_tracker, new_policy, predicted_action, run_action
from nlu_components.lexical_topic_classifier import question_parts

ACTION = "action_answer_second_question"


@pytest.mark.parametrize("text, parts", [
    ("how long is the hospital stay and does someone have to stay with him after?",
     ("how long is the hospital stay", "does someone have to stay with him after?")),
    ("What does it cost? And will insurance pay?", ("What does it cost", "will insurance pay?")),
    ("If he did go ahead, how long would he be in the hospital, and would somebody have to stay with him?",
     ("If he did go ahead, how long would he be in the hospital", "would somebody have to stay with him?")),
    ("what is car t?", None),
    ("He is 70. Can he get it?", None),  # a statement, then one question
    ("is it safe and how", None),  # a second part of one word
    ("what is it? how does it work? what does it cost?", None),  # three: not split
    ("my son and my daughter both want to know how it works", None),  # "and" without a question after it
    ("will her hair fall out again? it's only just grown back after her transplant", None),  # then a statement
    ("My husband has DLBCL and is he eligible for CAR T?", None),  # a statement first
])
def test_where_a_second_question_starts(text, parts):
    assert question_parts(text) == parts


@pytest.fixture(scope="module")
def domain():
    return Domain.load("domain.yml")


@pytest.fixture
def policy(tmp_path):
    return new_policy(SecondQuestionPolicy, tmp_path)


def parse(intent="aftercare", second="aftercare/caregiver"):
    return {"intent": {"name": intent, "confidence": 0.9}, "entities": [],
            "response_selector": {"all_retrieval_intents": ["aftercare", "risks"],
                                  "default": {"response": {"intent_response_key": "aftercare/hospital_stay"}}},
            "second_answer": {"intent_response_key": second, "confidence": 0.8}}


def predicted(policy, domain, data, *events):
    return predicted_action(policy, domain, [
        ActionExecuted("action_listen"), UserUttered("how long ... and does someone ...?", data["intent"], [], data), *events])


def test_the_second_answer_comes_right_after_the_first(policy, domain):
    first = [ActionExecuted("utter_aftercare"), BotUttered("Many people stay in the hospital ...")]
    assert predicted(policy, domain, parse(), *first) == ACTION
    assert predicted(policy, domain, parse(), *first, ActionExecuted(ACTION), BotUttered("Yes ...")) is None
    assert predicted(policy, domain, parse()) is None  # not before the first


@pytest.mark.parametrize("intent", ["emergency", "crisis", "nlu_fallback", "follow_up"])
def test_no_second_answer_after_a_safety_reply_a_follow_up_or_did_you_mean(policy, domain, intent):
    events = [ActionExecuted(f"utter_{intent}"), BotUttered("...")]
    assert predicted(policy, domain, parse(intent), *events) is None


def test_the_action_gives_the_second_answer_with_the_product_and_keeps_its_topic():
    tracker = action_tracker("aftercare", slots={"product": "Carvykti"})
    tracker.latest_message["second_answer"] = {"intent_response_key": "aftercare/caregiver", "confidence": 0.8}
    [message] = run_action(ActionAnswerSecondQuestion(), tracker,
                           [{"event": "slot", "timestamp": None, "name": "topic", "value": "caregiver"}])
    assert message["response"] == "utter_aftercare/caregiver" and message["product"] == "Carvykti"


def test_the_follow_up_evaluator_reads_both_answers_of_a_two_question_turn():
    """scripts/turns.py: a turn that answered two questions answered both topics, not only the last."""
    from scripts.turns import answer_of, split_turns, topics_answered

    events = [{"event": "user", "text": "how long is the stay and does someone have to stay with him after?"},
              {"event": "slot", "name": "topic", "value": "hospital_stay"}, {"event": "bot", "text": "About 1 to 2 weeks ..."},
              {"event": "slot", "name": "topic", "value": "caregiver"}, {"event": "bot", "text": "Yes ..."}]
    [turn] = split_turns(events)
    assert topics_answered(turn) == ["hospital_stay", "caregiver"]
    assert answer_of(turn, None) == "caregiver"
