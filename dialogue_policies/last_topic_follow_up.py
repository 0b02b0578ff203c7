"""Rasa policy: a short question that points back at the last answer is answered in its context,
even when the classifier reads another topic in it.

"does it hurt going in?" right after the central line's answer: the classifier, which sees one
message at a time, answers the infusion (0.59; the central line second). The follow-up rules of
content/follow_ups.yml know that "does it hurt" after the central line asks about the line
(actions/follow_ups.py `answers_the_last_topic`, which says when). Then this policy predicts the
follow-up action instead of the classifier's answer, and listens after it. Only for an FAQ
answer the classifier chose (never a safety reply, a follow-up or small talk), and never for a
message that gets the safety advice again (dialogue_policies/safety_window.py, above this policy).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from actions.follow_ups import answers_the_last_topic
from nlu_components.base import RULE_CONFIDENCE

FOLLOW_UP_ACTION = "action_answer_follow_up"
CONTEXT_SLOTS = ("topic", "product", "cancer")


def leans_on_the_last_answer(tracker: DialogueStateTracker) -> bool:
    """Whether the latest message gets the follow-up action instead of the answer the classifier chose."""
    message = tracker.latest_message
    parse = message.parse_data if message else {}
    intent = parse.get("intent") or {}
    retrieval_intents = (parse.get("response_selector") or {}).get("all_retrieval_intents") or []
    # (a message that gets the safety advice again is left to SafetyWindowPolicy, whose priority is higher, and
    # ConversationContextPolicy checks for it first: no need to look for it here too)
    if (not message or (message.text or "").startswith("/") or intent.get("name") not in retrieval_intents
            or (intent.get("confidence") or 0.0) >= RULE_CONFIDENCE):
        return False
    return answers_the_last_topic({**parse, "text": message.text}, {s: tracker.get_slot(s) for s in CONTEXT_SLOTS})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class LastTopicFollowUpPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # above RulePolicy (both are certain, and the rule would give the classifier's answer) and
        # the policies that only act after an answer; below the safety window
        return {POLICY_PRIORITY: RULE_POLICY_PRIORITY + 3}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if tracker.latest_action_name == ACTION_LISTEN_NAME and leans_on_the_last_answer(tracker):
            probabilities[domain.index_for_action(FOLLOW_UP_ACTION)] = 1.0
        elif tracker.latest_action_name == FOLLOW_UP_ACTION and not self._asked_as_follow_up(tracker):
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0  # the follow-up's answer ends the turn
        return self._prediction(probabilities)

    @staticmethod
    def _asked_as_follow_up(tracker: DialogueStateTracker) -> bool:
        """Whether the NLU itself read a follow-up (then the rules of data/rules.yml go on)."""
        return (tracker.latest_message.intent or {}).get("name") == "follow_up" if tracker.latest_message else False
