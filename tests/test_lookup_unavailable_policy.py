"""The policy that answers for a custom action that could not run (action server down)."""
from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from dialogue_policies.lookup_unavailable import LookupUnavailablePolicy

RULE = "policy_0_RulePolicy"  # the deciding policy's name, as the server records it


@pytest.fixture(scope="module")
def domain():
    return Domain.load("domain.yml")


@pytest.fixture
def policy(tmp_path):
    config = {**LookupUnavailablePolicy.get_default_config()}
    return LookupUnavailablePolicy(config, LocalModelStorage(tmp_path), Resource("policy"),
                                   ExecutionContext(GraphSchema({})))


def tracker(*events, live=True):
    start = [ActionExecuted("action_session_start"), SessionStarted()] if live else []
    return DialogueStateTracker.from_events(
        "s", [*start, ActionExecuted("action_listen"), UserUttered("which car t?"), *events])


def predicted(policy, tracker, domain):
    prediction = policy.predict_action_probabilities(tracker, domain)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return (domain.action_names_or_texts[best] if prediction.max_confidence > 0 else None), prediction.events


def test_a_custom_action_without_a_reply_gets_the_help_answer_naming_it(policy, domain):
    failed = tracker(ActionExecuted("action_answer_indications", policy=RULE))
    assert predicted(policy, failed, domain) == ("utter_help", [SlotSet("unavailable_action", "action_answer_indications")])


def test_an_answered_action_a_response_or_a_replayed_story_is_left_alone(policy, domain):
    answered = tracker(ActionExecuted("action_answer_indications", policy=RULE), BotUttered("Kymriah ..."))
    response = tracker(ActionExecuted("utter_greet", policy=RULE))
    story = tracker(ActionExecuted("action_answer_indications", policy=RULE), live=False)  # as `rasa test` replays it
    for case in (answered, response, story):
        assert predicted(policy, case, domain) == (None, [])


def test_the_slot_is_cleared_after_the_answer(policy, domain):
    after = tracker(ActionExecuted("action_clarify", policy=RULE), SlotSet("unavailable_action", "action_clarify"),
                    ActionExecuted("utter_help", policy="policy_1_LookupUnavailablePolicy"), BotUttered("I can't ..."))
    assert predicted(policy, after, domain) == (None, [SlotSet("unavailable_action", None)])


def test_every_custom_action_has_an_outage_answer(domain):
    variations = domain.responses["utter_help"]
    conditioned = {c["value"] for v in variations for c in v.get("condition") or [] if c["name"] == "unavailable_action"}
    custom = {a for a in domain.user_actions if not a.startswith("utter_")}
    assert custom and custom <= conditioned
    assert all("I can't look that up right now" in v["text"] for v in variations if v.get("condition"))
