"""Sends the answers of content/action_answers.yml, filling in their {placeholders}."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Text

from rasa_sdk.executor import CollectingDispatcher

from actions.content import load_yaml
from actions.titles import titles_by_payload, with_titles


@lru_cache(maxsize=1)
def action_answers() -> Dict[str, dict]:
    return load_yaml("action_answers.yml")["answers"]


def topic_titles(domain: Dict[Text, Any]) -> Dict[Text, Text]:
    """Button payload -> topic title, from the domain Rasa sends with each action call."""
    return titles_by_payload(domain.get("responses") or {}, action_answers())


def send_answer(
    dispatcher: CollectingDispatcher, domain: Dict[Text, Any], name: str, buttons: List[dict] = (), **values: str
) -> None:
    answer = action_answers()[name]
    dispatcher.utter_message(
        text=answer["text"].format(**values),
        buttons=with_titles([*buttons, *answer.get("buttons", [])], topic_titles(domain)),
    )
