"""Rasa's response NLG, giving each button that names a topic by payload only its topic's title.

endpoints.yml:
    nlg:
      type: nlg.button_titles.ButtonTitlesNLG

Responses write related topics as `- payload: /risks/crs_treatment`; the title comes from
that topic's answer (actions/titles.py), so a title is written once, beside its topic.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from actions.answers import action_answers
from actions.titles import titles_by_payload, with_titles


class ButtonTitlesNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        domain = domain or Domain.empty()
        super().__init__(domain.responses)
        self.titles = titles_by_payload(domain.responses, action_answers())

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text,
                       **kwargs: Any) -> Optional[Dict[Text, Any]]:
        message = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if message and message.get("buttons"):
            message["buttons"] = with_titles(message["buttons"], self.titles)
        return message
