"""Topic titles. A topic's short title has one home, its answer: `metadata.title` of the
response (data/faq/<group>.yml for FAQ topics, domain.yml for conversation and safety
intents) or of the general answer in content/action_answers.yml (cancers_treated,
approved_products, solid_tumors). Buttons name a topic by its payload only; these
functions give them the topic's title. Plain Python: used by the Rasa server's NLG
(nlg/answers.py) and by the action server (actions/clarify.py, actions/answers.py).
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Text


def titles_by_payload(responses: Dict[Text, List[Dict[Text, Any]]],
                      action_answers: Dict[Text, Dict[Text, Any]]) -> Dict[Text, Text]:
    """Button payload ("/risks/crs", "/help") -> the topic's title."""
    titles = {}
    for name, variations in responses.items():
        title = next((v["metadata"]["title"] for v in variations if (v.get("metadata") or {}).get("title")), None)
        if title and name.startswith("utter_"):
            titles[f"/{name[len('utter_'):]}"] = title
    for name, answer in action_answers.items():
        title = (answer.get("metadata") or {}).get("title")
        if title:
            titles[f"/{name}"] = title
    return titles


def with_titles(buttons: Iterable[Dict[Text, Any]], titles: Dict[Text, Text]) -> List[Dict[Text, Any]]:
    """The buttons, each with a title: its own, else its topic's (else its payload, which tests rule out)."""
    return [{**button, "title": button.get("title") or titles.get(button["payload"], button["payload"])}
            for button in buttons]
