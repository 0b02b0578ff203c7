"""Rasa policy: a message that asks two questions gets the second answer after the first.

"How long is the hospital stay, and does someone have to stay with him after?" The classifier
answers the first question (utter_<group>, by the rules) and finds the second's answer in the
message's `second_answer` (nlu_components/lexical_topic_classifier.py). Right after the first
answer, this policy predicts `action`, which gives the second (actions/second_question.py);
then the rules wait for the user again. A safety reply, a follow-up or "did you mean" instead
of the first answer means no second one (nlu_components/base.py, `second_answer`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.constants import UTTER_PREFIX
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from nlu_components.base import second_answer


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class SecondQuestionPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # above RulePolicy: both are certain, and the rule would only say "listen"
        return {POLICY_PRIORITY: RULE_POLICY_PRIORITY + 1, "action": "action_answer_second_question"}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if self._first_answer_given(tracker):
            probabilities[domain.index_for_action(self.config["action"])] = 1.0
        return self._prediction(probabilities)

    @staticmethod
    def _first_answer_given(tracker: DialogueStateTracker) -> bool:
        """Whether the action just run answered the first of two questions in the latest message."""
        parse = tracker.latest_message.parse_data if tracker.latest_message else {}
        if not second_answer(parse):
            return False
        last = next((e for e in reversed(tracker.events) if isinstance(e, ActionExecuted)), None)
        return last is not None and last.action_name == UTTER_PREFIX + parse["intent"]["name"]
