"""Sends the answers of content/action_answers.yml, filling in their {placeholders}."""
from __future__ import annotations

from functools import lru_cache
from typing import Dict, List

from rasa_sdk.executor import CollectingDispatcher

from actions.content import load_yaml


@lru_cache(maxsize=1)
def action_answers() -> Dict[str, dict]:
    return load_yaml("action_answers.yml")["answers"]


def send_answer(
    dispatcher: CollectingDispatcher, name: str, buttons: List[dict] = (), **values: str
) -> None:
    answer = action_answers()[name]
    dispatcher.utter_message(
        text=answer["text"].format(**values),
        buttons=[*buttons, *answer.get("buttons", [])],
    )
