"""scripts/review.py on a store written by Rasa's own SQL tracker store (no servers): counts,
labels, privacy, and suggested training data that `rasa data validate` accepts."""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import time

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from helpers import ROOT, rasa_importer
from scripts.review import load_conversations, load_titles_and_examples, mask, review, suggestions_yaml, to_html

DOMAIN = Domain.from_dict({"slots": {s: {"type": "any", "mappings": [{"type": "custom"}]}
                                     for s in ("topic", "feedback")}})


def user(text, intent="risks", confidence=0.95, answer=None, answer_confidence=0.9, metadata=None, **extra):
    parse = {"intent": {"name": intent, "confidence": confidence},
             "intent_ranking": [{"name": intent, "confidence": confidence}], **extra}
    if answer:
        parse["response_selector"] = {"all_retrieval_intents": ["risks", "support"], "default": {
            "response": {"intent_response_key": answer, "confidence": answer_confidence}}}
    return UserUttered(text, parse_data=parse, metadata=metadata or {})


def faq(text, key, **kwargs):
    topic = key.split("/")[1]
    return [user(text, answer=key, **kwargs), SlotSet("topic", topic), ActionExecuted(f"utter_{key.split('/')[0]}"),
            BotUttered("An answer", metadata={"topic": topic}), ActionExecuted("action_listen")]


CONVERSATIONS = {
    "webchat:alice-session": [
        SessionStarted(), ActionExecuted("action_listen"),
        *faq("will I lose my hair", "risks/hair_loss"),
        SlotSet("feedback", {"rating": "down", "topic": "hair_loss"}),
        *faq("wanted to know about wigs, mail me at jane.doe@example.org", "risks/hair_loss",
             metadata={"feedback_comment": True}),
        user("that storm thing after the drip", intent="nlu_fallback", confidence=0.2),
        ActionExecuted("action_clarify"), BotUttered("I'm not sure I understood. Did you mean one of these?"),
        ActionExecuted("action_listen"),
        *faq("/risks/crs", "risks/crs"),
    ],
    "rest:bob": [
        SessionStarted(), ActionExecuted("action_listen"),
        *faq("what does insurance cover", "support/insurance", confidence=0.4),
        SlotSet("feedback", {"rating": "up", "topic": "insurance"}),
        user("my dad is burning up, 39.8 since car t", intent="emergency", confidence=1.0),
        ActionExecuted("utter_emergency"), BotUttered("Please act now."), ActionExecuted("action_listen"),
        user("qwzx frobnicate, call me on +1 (555) 123-4567", intent="nlu_fallback", confidence=0.1),
        ActionExecuted("action_clarify"), BotUttered("I'm not sure I understood. Did you mean one of these?"),
        ActionExecuted("action_listen"),
    ],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from rasa.core.tracker_store import SQLTrackerStore

    db = tmp_path_factory.mktemp("review") / "conversations.db"
    tracker_store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    for sender, events in CONVERSATIONS.items():
        asyncio.run(tracker_store.save(DialogueStateTracker.from_events(sender, events)))
    return f"sqlite:///{db}"


@pytest.fixture(scope="module")
def titles_and_examples():
    return load_titles_and_examples(rasa_importer())  # the one other tests load too


@pytest.fixture(scope="module")
def result(store, titles_and_examples):
    now = time.time()
    return review(load_conversations(store, now - 86400), titles_and_examples[0], now - 86400, now)


def test_volumes_topics_and_feedback(result):
    assert len(result.conversations) == 2
    assert result.messages_by_channel == {"webchat": 4, "rest": 3}
    assert result.topics["hair_loss"] == 2 and result.topics["insurance"] == 1 and result.topics["crs"] == 1
    assert [(r.topic, r.rating) for r in result.ratings] == [("hair_loss", "down"), ("insurance", "up")]
    assert result.ratings[0].comment == "wanted to know about wigs, mail me at <email>"


def test_unanswered_with_what_came_next_and_the_clicked_topic_as_label(result):
    assert [(t, k, n) for _, t, k, n in result.unanswered] == [
        ("that storm thing after the drip", "did you mean", "they meant: What is CRS?"),
        ("qwzx frobnicate, call me on <phone>", "did you mean", "left")]
    assert dict(result.labelled) == {"risks/crs": ["that storm thing after the drip"]}


def test_low_confidence_and_urgent_replies(result):
    assert [(t, a) for _, t, a, _ in result.low_confidence] == [("what does insurance cover", "insurance")]
    assert [(t, k) for _, t, k, _ in result.urgent] == [("my dad is burning up, 39.8 since car t", "emergency")]


def test_masking():
    assert mask("call 07700 900123 or a@b.co, temp 39.4, 1 to 3 weeks") == "call <phone> or <email>, temp 39.4, 1 to 3 weeks"


def test_the_report_names_no_sender_and_shows_no_unmasked_contact(result, tmp_path):
    page = to_html(result, tmp_path / "suggested_examples.yml")
    for secret in ("alice", "bob", "jane.doe", "555", "webchat:", "rest:"):
        assert secret not in page
    assert "#1" in page and "#2" in page and "<svg" in page and "http" not in page.replace("http-equiv", "")


@pytest.mark.integration  # a `rasa data validate` process: 20 s
def test_suggested_examples_pass_rasa_data_validate(result, titles_and_examples, tmp_path):
    text = suggestions_yaml(result, titles_and_examples[1])
    suggestions = yaml.safe_load(text)
    assert suggestions["nlu"] == [{"intent": "risks/crs", "examples": "- that storm thing after the drip\n"}]
    assert "qwzx" not in text  # a message with a masked phone number is never suggested
    project = tmp_path / "project"
    project.mkdir()
    for name in ("config.yml", "domain.yml", "data"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, project / name)
    (project / "data" / "suggested_examples.yml").write_text(text, encoding="utf-8")
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "rasa"), "data", "validate", "--fail-on-warnings"],
                          cwd=project, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
