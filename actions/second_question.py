"""The answer to a message's second question, right after its first answer
(dialogue_policies/second_question.py): "... and does someone have to stay with him?"."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content import catalog


class ActionAnswerSecondQuestion(Action):
    def name(self) -> Text:
        return "action_answer_second_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # the policy predicts this action only when the message has a second answer; the key is
        # nlu_components/base.py's SECOND_ANSWER, not imported: this action server does not load Rasa
        key = ((tracker.latest_message.get("second_answer") or {}).get("intent_response_key") or "")
        if "/" not in key:
            return []
        product = catalog().product(tracker.get_slot("product"))
        dispatcher.utter_message(response=f"utter_{key}", product=product.brand if product else None)
        # the conversation goes on from the answer given last ("how long does that last?")
        return [SlotSet("topic", key.split("/", 1)[-1])]
