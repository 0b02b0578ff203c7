"""Rasa policy: when a custom action could not run, say so instead of staying silent.

If the action server is down, Rasa logs the failed action and waits for the next
message: the user gets no reply at all. This policy sees a custom action that ran in
this conversation with no bot message after it, and predicts `response` (utter_help)
with the slot `slot` set to the action's name. The response's variation for that slot
value says "I can't look that up right now" and gives the general answer or the
helplines (domain.yml). The slot is cleared on the next prediction. Nothing changes
once the action server is back.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.constants import UTTER_PREFIX
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


def silent_custom_action(tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
    """The custom action that ran last in this turn if it sent no message, else None.

    Only in a live conversation (the server starts each with a session): the stories
    that `rasa test` replays have no session start and no bot messages at all.
    """
    for event in reversed(tracker.events):
        if isinstance(event, (BotUttered, UserUttered)):
            return None
        if isinstance(event, ActionExecuted):
            name = event.action_name
            if name not in domain.user_actions or name.startswith(UTTER_PREFIX):
                return None
            live = any(isinstance(e, SessionStarted) for e in tracker.events)  # only scanned on a silent action
            return name if live else None
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class LookupUnavailablePolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # above RulePolicy: both are certain, and the rule would only say "listen"
        return {POLICY_PRIORITY: RULE_POLICY_PRIORITY + 2, "response": "utter_help", "slot": "unavailable_action"}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        slot = self.config["slot"]
        failed = silent_custom_action(tracker, domain)
        if failed:
            probabilities[domain.index_for_action(self.config["response"])] = 1.0
            return self._prediction(probabilities, events=[SlotSet(slot, failed)])
        if tracker.get_slot(slot) is not None:
            return self._prediction(probabilities, events=[SlotSet(slot, None)])
        return self._prediction(probabilities)
