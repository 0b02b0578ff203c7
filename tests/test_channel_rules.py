"""What every channel checks (channels/limits.py) and what the server sets on the agent
(channels/server_guards.py), without a server; random input with hypothesis."""
from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from channels import server_guards
from channels.limits import MAX_MESSAGE_CHARS, RateLimiter, clean_text, valid_sender
from channels.slack import MalformedRequest, SlackChannel, parse_body
from channels.webchat import SessionIds


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cleaned_text_is_short_and_storable(text):
    cleaned = clean_text(text)
    assert len(cleaned) <= MAX_MESSAGE_CHARS
    cleaned.encode("utf-8")  # no lone surrogates
    assert "\x00" not in cleaned and all(c in "\t\n\r" or ord(c) >= 32 for c in cleaned if ord(c) < 127)


def test_cleaning_keeps_what_people_write():
    assert clean_text("What is CAR T?\nThanks 🙏 ça va") == "What is CAR T?\nThanks 🙏 ça va"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_a_valid_sender_is_short_plain_ascii(sender):
    if valid_sender(sender):
        assert 1 <= len(sender) <= 128 and sender.isascii() and sender.isprintable() and " " not in sender


def test_the_rate_limiter_allows_a_burst_then_one_a_second_per_key():
    limiter = RateLimiter(burst=3, per_s=1)
    assert [limiter.allow("a", now=0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b", now=0)  # keys are separate
    assert not limiter.allow("a", now=0.5) and limiter.allow("a", now=1.6)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["application/json", "application/json; charset=utf-8",
                                                 "application/x-www-form-urlencoded", "text/plain", ""]))
def test_slack_bodies_are_parsed_or_refused_never_crash(body, content_type):
    request = SimpleNamespace(body=body, headers={"content-type": content_type})
    try:
        kind, parsed = parse_body(request)
    except MalformedRequest:
        return
    assert kind in ("event", "action") and isinstance(parsed, dict)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda children: st.lists(children, max_size=3)
                    | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=12)
# Bodies near what Slack sends, with any JSON in the places a handler reads.
SLACK_EVENTS = st.fixed_dictionaries({"type": st.just("event_callback"), "event": st.one_of(JSON, st.fixed_dictionaries(
    {"type": st.sampled_from(["message", "app_mention"]), "channel_type": st.sampled_from(["im", "channel"]),
     "user": JSON, "channel": JSON, "text": JSON, "ts": JSON, "thread_ts": JSON})), "authorizations": JSON})
SLACK_CLICKS = st.fixed_dictionaries({"type": st.just("block_actions"), "user": JSON, "channel": JSON, "message": JSON,
                                      "actions": st.one_of(JSON, st.lists(st.fixed_dictionaries(
                                          {"type": st.just("button"), "value": JSON, "action_ts": JSON}),
                                          min_size=1, max_size=2))})


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.tuples(st.just("event"), SLACK_EVENTS), st.tuples(st.just("action"), SLACK_CLICKS)))
def test_slack_messages_are_found_or_refused_never_crash(kind_and_body):
    kind, body = kind_and_body
    channel = SlackChannel("xoxb-test", slack_signing_secret="secret", use_threads=True,
                           conversation_granularity="thread")
    try:
        found = channel.message_in(kind, body)
    except MalformedRequest:
        return
    if found is not None:
        _, text, sender, _, _ = found
        assert isinstance(text, str) and valid_sender(sender)


def test_slack_json_with_a_charset_is_json():
    request = SimpleNamespace(body=json.dumps({"type": "event_callback"}).encode(),
                              headers={"content-type": "application/json; charset=utf-8"})
    assert parse_body(request) == ("event", {"type": "event_callback"})


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.none(), st.integers(), st.dictionaries(st.text(), st.text())))
def test_no_random_session_id_passes_as_issued(value):
    assert not SessionIds("secret").issued(value)


def agent_with(action_endpoint):
    store = FailSafeTrackerStore(InMemoryTrackerStore(Domain.empty()))
    processor = SimpleNamespace(action_endpoint=action_endpoint)
    return SimpleNamespace(tracker_store=store, action_endpoint=action_endpoint, processor=processor)


def test_prepare_turns_store_errors_into_try_again_and_bounds_action_time():
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", timeout=2)
    agent = agent_with(endpoint)
    server_guards.prepare(agent)
    with pytest.raises(server_guards.ConversationStoreUnavailable):
        agent.tracker_store.on_tracker_store_error(RuntimeError("database is down"))
    assert isinstance(agent.action_endpoint, server_guards.TimedEndpointConfig)
    assert agent.processor.action_endpoint is agent.action_endpoint and agent.action_endpoint.timeout_s == 2
    server_guards.prepare(agent)  # idempotent
    assert agent.action_endpoint.timeout_s == 2 and agent.action_endpoint.url == endpoint.url


def test_prepare_leaves_rasas_behaviour_when_the_agent_looks_different(caplog):
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook")
    agent = agent_with(endpoint)
    agent.processor = SimpleNamespace(action_endpoint=EndpointConfig("http://elsewhere"))  # not the same object
    server_guards._warned = False
    server_guards.prepare(agent)
    assert agent.action_endpoint is endpoint and "Rasa's own behaviour" in caplog.text


def test_a_hung_endpoint_gives_up_after_its_timeout():
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts (in the kernel) and never answers
    timed = server_guards.TimedEndpointConfig(EndpointConfig(f"http://127.0.0.1:{listener.getsockname()[1]}"), 0.5)
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(timed.request(json={}, method="post", timeout=300))
    listener.close()
