"""End to end over the REST channel, against the servers started by the `stack` fixture."""
from __future__ import annotations

import sqlite3
import uuid

from helpers import say


def test_faq_answer(stack):
    [reply] = say(stack.rest_url, "how do they collect the t cells for car t?")
    assert "leukapheresis" in reply["text"]
    assert reply["buttons"] and reply["metadata"] == {"feedback": {"topic": "cell_collection"}}
    assert not [b for b in reply["buttons"] if b["title"].startswith("/")]  # titles, not payloads


def test_a_rating_is_stored_and_answered_with_nothing(stack):
    sender = uuid.uuid4().hex
    say(stack.rest_url, "What is CRS?", sender)
    assert say(stack.rest_url, '/feedback{"rating": "up", "topic": "crs"}', sender) == []
    assert say(stack.rest_url, '/feedback{"rating": "sideways"}', sender) == []  # not valid: ignored
    with sqlite3.connect(stack.tracker_db) as db:
        slots = [row[0] for row in db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot'", (f"rest:{sender}",))]
    assert [s for s in slots if '"feedback"' in s and '"crs"' in s and '"up"' in s] and len(
        [s for s in slots if '"name": "feedback"' in s]) == 1


def test_follow_up_then_a_new_session_forgets_the_context(stack):
    sender = uuid.uuid4().hex
    say(stack.rest_url, "what is crs", sender)
    [treatment] = say(stack.rest_url, "how is it treated?", sender)
    assert "Tocilizumab" in treatment["text"]
    # a new session (as after the domain's session_expiration_time) starts with no context
    say(stack.rest_url, "/session_start", sender)
    [unclear] = say(stack.rest_url, "how is it treated?", sender)
    assert "Tocilizumab" not in unclear["text"]  # asks, does not guess, and offers the topics it may mean
    assert "/risks/crs_treatment" in [b["payload"] for b in unclear["buttons"]]


def test_emergency_reply_comes_first_as_one_message_flagged_as_emergency(stack):
    [reply] = say(stack.rest_url, "my wife had car t last week, she has a fever of 39 and seems confused")
    assert reply["text"].startswith("Please act now. Call your CAR T team's 24/7 number")
    assert "911" in reply["text"] and reply["metadata"] == {"emergency": True}


def test_crisis_reply_in_the_middle_of_a_conversation(stack):
    sender = uuid.uuid4().hex
    say(stack.rest_url, "What is cytokine release syndrome?", sender)
    [reply] = say(stack.rest_url, "I keep thinking about ending it.", sender)
    assert "988" in reply["text"] and "911" in reply["text"]
    assert "buttons" not in reply and reply["metadata"] == {"emergency": True}


def test_a_new_change_in_personality_gets_the_emergency_reply(stack):
    replies = say(stack.rest_url, "My brother had CAR T two weeks ago and since last night he's like a different person")
    assert replies[0]["text"].startswith("Please act now.")


def test_entity_answer_from_the_action_server(stack):
    replies = say(stack.rest_url, "which car t is approved for multiple myeloma?")
    text = "\n".join(r["text"] for r in replies)
    assert "Abecma" in text and "Carvykti" in text


def test_drug_ordering_is_refused(stack):
    [reply] = say(stack.rest_url, "can I buy car t online from a pharmacy?")
    assert "can't sell, order or ship" in reply["text"]


def test_button_payload_and_conversation_memory(stack):
    sender = uuid.uuid4().hex
    say(stack.rest_url, "What is cytokine release syndrome?", sender)
    [reply] = say(stack.rest_url, "/risks/crs_treatment", sender)
    assert "tocilizumab" in reply["text"].lower()


def test_conversations_are_stored_in_the_embedded_sqlite_file(stack):
    sender = uuid.uuid4().hex
    say(stack.rest_url, "hello", sender)
    with sqlite3.connect(stack.tracker_db) as db:
        count = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (f"rest:{sender}",)).fetchone()[0]
    assert count > 0


def test_two_questions_in_one_message_get_both_answers_in_turn(stack):
    sender = uuid.uuid4().hex
    first, second = say(stack.rest_url, "how long is the hospital stay and does someone have to stay with him after?",
                        sender)
    assert first["metadata"] == {"feedback": {"topic": "hospital_stay"}}
    assert second["metadata"] == {"feedback": {"topic": "caregiver"}}
    # the conversation goes on from the second: "how long for?" is about the caregiver
    [reply] = say(stack.rest_url, "how long for?", sender)
    assert reply["metadata"] == {"feedback": {"topic": "caregiver"}}
