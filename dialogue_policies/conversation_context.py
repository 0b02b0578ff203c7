"""Rasa policy: remembers which topic the assistant is answering, for follow-up questions.

The product and cancer a person names are kept by Rasa itself (slots filled from entities,
domain.yml). The topic has no entity: it is the answer the NLU chose (a retrieval intent's
response key, or an intent answered by a custom action). After each message this policy
sets the `topic` slot to it, so that "how is it treated?" after "what is CRS?" can be
resolved (actions/follow_ups.py, which sets the slot itself for the follow-ups it answers).

It never predicts an action: its prediction is empty and cannot win, and the slot event is
applied either way (Rasa applies a policy's `events` whether or not it wins). Slots do not
influence the dialogue, and every slot is cleared when a new session starts.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from dialogue_policies.last_topic_follow_up import leans_on_the_last_answer
from dialogue_policies.safety_window import reminder_for
from nlu_components.base import answer_selection

# Intents answered by a custom action that are topics of their own (action_answer_indications).
ACTION_TOPICS = ("cancers_treated", "approved_products", "solid_tumors")
# After the crisis reply, "who at the hospital could I talk to about this?" is about the person's
# feelings (coping: who to talk to), not about the answer before it (it got the relapse answer).
SAFETY_TOPICS = {"crisis": "coping"}


def answered_topic(parse: Dict[Text, Any]) -> Optional[Text]:
    """The FAQ topic a parsed message gets as its answer, or None (small talk, warning signs,
    fallback); after thoughts of suicide, coping."""
    intent = (parse.get("intent") or {}).get("name")
    selectors = parse.get("response_selector") or {}
    if intent in (selectors.get("all_retrieval_intents") or []):
        key = ((answer_selection(selectors, intent) or {}).get("response") or {}).get("intent_response_key")
        return key.split("/", 1)[-1] if key else None
    return intent if intent in ACTION_TOPICS else SAFETY_TOPICS.get(intent)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class ConversationContextPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # lowest: its empty prediction never competes with the policies that choose actions
        return {POLICY_PRIORITY: 0, "slot": "topic"}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if tracker.latest_action_name != ACTION_LISTEN_NAME or not tracker.latest_message:
            return self._prediction(probabilities)  # not the first prediction after a message
        if reminder_for(tracker) or leans_on_the_last_answer(tracker):
            # doubting the safety advice gets it again: no topic answered; a follow-up of the last answer
            # sets the topic it answers itself (dialogue_policies/last_topic_follow_up.py)
            return self._prediction(probabilities)
        topic = answered_topic(tracker.latest_message.parse_data)
        slot = self.config["slot"]
        if topic and topic != tracker.get_slot(slot):
            return self._prediction(probabilities, events=[SlotSet(slot, topic)])
        return self._prediction(probabilities)
