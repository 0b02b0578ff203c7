"""Bad input over the REST channel: each gets a sensible reply or a 4xx with a reason,
never a 500, and the server keeps answering. (The widget and Slack: test_hostile_input.py;
random text: test_properties.py.)"""
from __future__ import annotations

import uuid

import pytest
import requests

from channels.limits import MAX_SENDER_CHARS
from channels.rest import parse_request
from helpers import ODD_TEXTS, say

NOT_UNDERSTOOD = "didn't understand"


@pytest.mark.parametrize("message", ["", "   \n\t "], ids=["empty", "whitespace"])
def test_empty_messages_get_the_not_understood_reply(stack, message):
    replies = say(stack.rest_url, message)
    assert NOT_UNDERSTOOD in replies[0]["text"] and replies[0]["buttons"]


@pytest.mark.parametrize("message", ODD_TEXTS.values(), ids=ODD_TEXTS.keys())
def test_odd_text_gets_a_reply(stack, message):
    replies = say(stack.rest_url, message)
    assert replies and all(r["text"].strip() for r in replies)


def test_a_long_message_is_still_understood(stack):
    [reply] = say(stack.rest_url, "how do they collect the t cells for car t? " * 250)
    assert "leukapheresis" in reply["text"]


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b'"just a string"', "application/json"),
    (b'{"message": "hi"}', "application/json"),
    (b'{"sender": "", "message": "hi"}', "application/json"),
    (b'{"sender": "%s", "message": "hi"}' % (b"x" * (MAX_SENDER_CHARS + 1)), "application/json"),
    (b'{"sender": "a"}', "application/json"),
    (b'{"sender": "a", "message": 42}', "application/json"),
    (b'{"sender": "a", "message": "hi", "metadata": [1]}', "application/json"),
    (b"", "application/json"),
], ids=["malformed", "array", "string", "no-sender", "empty-sender", "long-sender", "no-message",
        "number-message", "list-metadata", "empty-body"])
def test_malformed_requests_get_400(stack, body, content_type):
    response = requests.post(stack.rest_url, data=body, headers={"Content-Type": content_type}, timeout=30)
    assert response.status_code == 400


@pytest.mark.parametrize("body, content_type", [
    (b"sender=a&message=hi", "application/x-www-form-urlencoded"),
    (b'{"sender": "ct", "message": "hi"}', "text/plain"),  # what a cross-site form can send
    (b"", None),
], ids=["form", "json-as-text", "no-content-type"])
def test_bodies_not_declared_json_get_415(stack, body, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    assert requests.post(stack.rest_url, data=body, headers=headers, timeout=30).status_code == 415


def test_a_1_mb_body_gets_413(stack):
    body = b'{"sender": "a", "message": "' + b"a" * 1_000_000 + b'"}'
    response = requests.post(stack.rest_url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 413


def test_the_server_keeps_answering_after_bad_input(stack):
    for body in (b"[", b"\xff\xfe", b'{"sender": null}'):
        requests.post(stack.rest_url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    [reply] = say(stack.rest_url, "how do they collect the t cells for car t?", uuid.uuid4().hex)
    assert "leukapheresis" in reply["text"]


def test_parse_request_accepts_numeric_senders_and_says_what_is_wrong():
    assert parse_request({"sender": 7, "message": "hi"}) == ("7", "hi", None)
    with pytest.raises(Exception, match='"message" must be a string'):
        parse_request({"sender": "a", "message": None})
    with pytest.raises(Exception, match='"sender" must be'):
        parse_request({"sender": "a" + " " * MAX_SENDER_CHARS, "message": "hi"})
    with pytest.raises(Exception, match='"sender" must be'):
        parse_request({"sender": "x" * (MAX_SENDER_CHARS + 1), "message": "hi"})
