"""Feedback never changes the conversation's flow: every story test (tests/stories) gets the
same predictions when a 👍 / 👎 is stored after each of the assistant's answers, as the
channels store it (a `feedback` slot event, channels/feedback.py)."""
from __future__ import annotations

import asyncio

import yaml

from helpers import ROOT

STORIES = sorted((ROOT / "tests" / "stories").glob("*.yml"))
RATING = {"feedback": {"rating": "down", "topic": "crs"}}


def with_feedback(stories: dict) -> dict:
    """The same stories with a rating after every action of the assistant."""
    rated = []
    for story in stories["stories"]:
        steps = []
        for step in story["steps"]:
            steps.append(step)
            if "action" in step:
                steps.append({"slot_was_set": [RATING]})
        rated.append({**story, "steps": steps})
    return {**stories, "stories": rated}


def predictions(agent, stories_file) -> list:
    from rasa.core.test import test

    result = asyncio.run(test(str(stories_file), agent, disable_plotting=True, errors=False, warnings=False))
    # Rasa may walk the stories in another order: every (target, prediction, policy), sorted
    return sorted((a["action"], a["predicted"], a["policy"] or "") for a in result["actions"])


def test_ratings_do_not_change_any_story_prediction(agent, tmp_path):
    for path in STORIES:
        stories = yaml.safe_load(path.read_text(encoding="utf-8"))
        rated = tmp_path / path.name
        rated.write_text(yaml.safe_dump(with_feedback(stories), sort_keys=False, allow_unicode=True), encoding="utf-8")
        assert "slot_was_set" in rated.read_text(encoding="utf-8")
        expected = predictions(agent, path)
        assert expected, f"{path.name}: no predictions"
        assert predictions(agent, rated) == expected, path.name
