"""A short question pointing back at the last answer is answered in its context even when the
classifier reads another topic in it (dialogue_policies/last_topic_follow_up.py)."""
from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

from dialogue_policies.conversation_context import ConversationContextPolicy
from dialogue_policies.last_topic_follow_up import LastTopicFollowUpPolicy
from helpers import new_policy, predicted_action


@pytest.fixture(scope="module")
def domain():
    return Domain.load("domain.yml")


def asked(text, answers=("infusion", "central_line"), intent="basics", confidence=0.59):
    """The user's message as the classifier parsed it: its FAQ answers, likeliest first."""
    ranking = [{"intent_response_key": f"basics/{a}", "confidence": c} for a, c in zip(answers, (confidence, 0.06))]
    parse = {"intent": {"name": intent, "confidence": confidence},
             "response_selector": {"all_retrieval_intents": ["basics", "aftercare"],
                                   "default": {"response": {"intent_response_key": f"basics/{answers[0]}",
                                                            "confidence": confidence}, "ranking": ranking}}}
    return [ActionExecuted("action_listen"), UserUttered(text, parse["intent"], parse_data=parse)]


def after(topic, *message):
    return [ActionExecuted("action_listen"), SlotSet("topic", topic), *message]


def test_does_it_hurt_going_in_after_the_central_line_is_about_the_line(domain, tmp_path):
    """Set AH: it got the infusion's answer (the classifier's, 0.59; the central line second)."""
    policy = new_policy(LastTopicFollowUpPolicy, tmp_path)
    events = after("central_line", *asked("does it hurt going in?"))
    assert predicted_action(policy, domain, events) == "action_answer_follow_up"
    # ...then the turn ends
    assert predicted_action(policy, domain, [*events, ActionExecuted("action_answer_follow_up")]) == "action_listen"
    # and the topic slot is left to the follow-up's answer, not set to the classifier's
    context = new_policy(ConversationContextPolicy, tmp_path)
    from rasa.shared.core.trackers import DialogueStateTracker

    assert context.predict_action_probabilities(DialogueStateTracker.from_events("s", events), domain).events == []


@pytest.mark.parametrize("events", [
    after("infusion", *asked("does it hurt going in?")),  # the same topic already
    after("central_line", *asked("does it hurt going in?", answers=("infusion", "benefits"))),  # the line not likely
    asked("does it hurt going in?"),  # nothing said before
    after("central_line", *asked("does it hurt going in?", intent="emergency", confidence=1.0)),  # a rule decided
])
def test_otherwise_the_classifiers_answer_stands(domain, tmp_path, events):
    assert predicted_action(new_policy(LastTopicFollowUpPolicy, tmp_path), domain, events) is None


def test_a_follow_up_the_nlu_found_goes_on_by_the_rules(domain, tmp_path):
    events = after("central_line", *asked("how long does it stay", intent="follow_up", confidence=0.99),
                   ActionExecuted("action_answer_follow_up"))
    assert predicted_action(new_policy(LastTopicFollowUpPolicy, tmp_path), domain, events) is None


def test_the_safety_window_outranks_it():
    """A message that gets the safety advice again is never answered as a follow-up: the safety window's
    policy has the higher priority (this policy does not look for the window itself)."""
    from dialogue_policies.safety_window import SafetyWindowPolicy

    assert (SafetyWindowPolicy.get_default_config()["priority"]
            > LastTopicFollowUpPolicy.get_default_config()["priority"])
