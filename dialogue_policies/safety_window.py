"""Rasa policy: right after the emergency or crisis reply, doubting it or waiting gets it again.

"can't it just be stress?", "can I give her Tylenol and see how she is in the morning?", "he
says he's fine", "please don't tell my mom": in the person's next messages after that reply
(actions/answers.py SAFETY_WINDOW), such a message is about the advice just given, whatever
topic the classifier reads in it. It gets the reminder of that advice (utter_emergency_reminder
or utter_crisis_reminder) instead of an answer about vaccines or side effects; then the
assistant listens. The phrases are in content/safety_window.yml. A message the classifier was
unsure of and only guessed as a follow-up gets the reminder and then "did you mean" (the action
that unsure messages get), unless it shows the advice was taken
("we're at the hospital now") or asks something new in so many words (the file's `unless`). A new
warning sign or crisis still gets the full reply (the rules), and any other message its answer,
which starts with the advice (nlg/answers.py). A reminder keeps the window open.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from actions.answers import SAFETY_REMINDERS, about_the_advice, advice_of, safety_reminder
from nlg.answers import events_before_latest_message
from nlu_components.base import RULE_CONFIDENCE

SAFETY_INTENTS = ("emergency", "crisis")  # a new sign or crisis gets the full reply (data/rules.yml)
FOLLOW_UP = "follow_up"  # nlu_components/elliptical_follow_up.py
CLARIFY = "action_clarify"  # the reminder first, then the message's likeliest topics (actions/clarify.py)


def reminder_for(tracker: DialogueStateTracker) -> Optional[Text]:
    """The action that gives the latest message the advice of a recent safety reply again: its
    reminder for a message about that advice, "did you mean" (which gives the reminder first) for
    a message only guessed as a follow-up; None when the message is about something else."""
    message = tracker.latest_message
    text = (message.text or "") if message else ""
    if not text or text.startswith("/") or matched_safety_intent(message.intent):
        return None
    reminder = safety_reminder(e.as_dict() for e in reversed(events_before_latest_message(tracker)))
    if not reminder:
        return None
    rules = about_the_advice(advice_of(reminder))
    if rules.match(text):
        return reminder
    return CLARIFY if guessed(message.parse_data) and not rules.excluded(text) else None


# The intents that data/rules.yml answers with the advice again right after the safety reply ("an unclear
# message after the emergency reply gets its advice again"), and the action each gets otherwise.
UNCLEAR_INTENTS = {DEFAULT_NLU_FALLBACK_INTENT_NAME: CLARIFY, "greet": "utter_greet", "help": "utter_help",
                   "out_of_scope": "utter_out_of_scope", "personal_advice": "utter_personal_advice"}


def taken_action(tracker: DialogueStateTracker) -> Optional[Text]:
    """The action an unclear message right after the safety reply gets when it shows the advice was taken
    or asks something new in so many words (content/safety_window.yml `unless`): its own, not the advice
    again. "the daughter is back and calling them. is there a group that supports families?" (unsure of
    its topic) got the advice a third time (tenth round, set AK). None otherwise."""
    message = tracker.latest_message
    intent = (message.intent or {}).get("name") if message else None
    if intent not in UNCLEAR_INTENTS or not message.text or message.text.startswith("/"):
        return None
    before = events_before_latest_message(tracker)
    last_action = next((e.action_name for e in reversed(before) if isinstance(e, ActionExecuted)
                        and e.action_name != ACTION_LISTEN_NAME), None)
    if last_action not in SAFETY_REMINDERS:
        return None  # the rules only answer the message right after the reply itself
    return UNCLEAR_INTENTS[intent] if about_the_advice(advice_of(SAFETY_REMINDERS[last_action])).excluded(message.text) else None


def matched_safety_intent(intent: Dict[Text, Any]) -> bool:
    """A new warning sign or crisis that a rule found: it gets the full reply. A classifier's guess
    of one does not outrank the window's rules: "she says she just wants to sleep it off till the
    morning and not bother anyone" after the emergency reply read as a crisis (0.88) and got 988
    instead of the advice again."""
    return intent.get("name") in SAFETY_INTENTS and intent.get("confidence", 0) >= RULE_CONFIDENCE


def guessed(parse: Dict[Text, Any]) -> bool:
    """A message the classifier was unsure of, read as a follow-up of the topic before ("He says
    it's just because he skipped breakfast" got the cancers answer): right after the safety reply,
    the advice again, then "did you mean", is the better guess, as for the unsure messages left as
    such (actions/clarify.py)."""
    ranking = parse.get("intent_ranking") or []
    return ((parse.get("intent") or {}).get("name") == FOLLOW_UP
            and any(i.get("name") == DEFAULT_NLU_FALLBACK_INTENT_NAME for i in ranking))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class SafetyWindowPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # above RulePolicy (both are certain, and the rule would answer the topic) and, safety first,
        # above the other policies of dialogue_policies/ (Rasa warns of policies of equal priority)
        return {POLICY_PRIORITY: RULE_POLICY_PRIORITY + 4}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if tracker.latest_action_name == ACTION_LISTEN_NAME:
            action = reminder_for(tracker) or taken_action(tracker)
            if action:
                probabilities[domain.index_for_action(action)] = 1.0
        elif (tracker.latest_action_name in (*SAFETY_REMINDERS.values(), *UNCLEAR_INTENTS.values())
              and tracker.latest_action_name in (reminder_for(tracker), taken_action(tracker))):
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0  # the reminder ends the turn
        return self._prediction(probabilities)
