"""Slack against the real Rasa server (the `stack` fixture, Slack on with a dummy token
and secret): signed Events API requests in, chat.postMessage calls captured by the
fake Slack Web API (tests/servers.py) out."""
from __future__ import annotations

import json
import sqlite3
import time

import pytest
import requests
import yaml

from channels.slack import FEEDBACK_QUESTION, SlackChannel, SlackOff, slack_mrkdwn
from helpers import BOT_USER, ROOT, new_id, slack_click, slack_message, slack_post

RED_FLAG = "I had CAR T 10 days ago and now I have a fever of 39 and I feel confused"


def count_slack_events(stack, user: str) -> int:
    """Events of the Slack user's conversations (slack:<user>[_<channel>_<thread>])."""
    with sqlite3.connect(stack.tracker_db) as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id LIKE ?", (f"slack:{user}%",)).fetchone()[0]


def test_faq_answer_with_buttons_and_a_button_click(stack, fake_slack):
    channel, user = new_id("D"), new_id("U")
    assert slack_post(stack.rasa_url, slack_message("How are my T cells collected?", channel, user)).status_code == 200
    [answer] = fake_slack.wait_for_posts(channel, 1)
    assert answer["token"] == "Bearer xoxb-test"
    assert "leukapheresis" in answer["text"] and "thread_ts" not in answer  # a top-level DM stays top-level
    section, actions, feedback = answer["blocks"]
    assert section["text"]["type"] == "mrkdwn" and "leukapheresis" in section["text"]["text"]
    assert feedback["block_id"] == "feedback" and [b["text"]["text"] for b in feedback["elements"]] == ["👍", "👎"]
    buttons = actions["elements"]
    assert 2 <= len(buttons) <= 5 and all(b["type"] == "button" and b["value"].startswith("/") for b in buttons)

    slack_click(stack.rasa_url, channel, user, buttons[0]["value"], message_ts="111.000")
    posts = fake_slack.wait_for_posts(channel, 2)
    assert len(posts) == 2 and posts[1]["text"] != answer["text"]


def stored_feedback(stack, user: str) -> list:
    with sqlite3.connect(stack.tracker_db) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id LIKE ? AND type_name = 'slot' ORDER BY id",
                          (f"slack:{user}%",)).fetchall()
    return [event["value"] for event in map(json.loads, (row[0] for row in rows)) if event["name"] == "feedback"]


def test_thumbs_down_is_stored_and_asks_what_they_were_looking_for(stack, fake_slack):
    channel, user = new_id("D"), new_id("U")
    slack_post(stack.rasa_url, slack_message("What is CRS?", channel, user))
    [answer] = fake_slack.wait_for_posts(channel, 1)
    up, down = answer["blocks"][-1]["elements"]
    assert up["value"] == '/feedback{"rating": "up", "topic": "crs"}'

    slack_click(stack.rasa_url, channel, user, down["value"], message_ts="222.000")
    question = fake_slack.wait_for_posts(channel, 2)[1]
    assert question["text"] == FEEDBACK_QUESTION and "blocks" not in question
    assert stored_feedback(stack, user) == [{"rating": "down", "topic": "crs"}]

    # the rating is no turn: the next message is still a follow-up on CRS
    slack_post(stack.rasa_url, slack_message("how is it treated?", channel, user))
    assert "Tocilizumab" in fake_slack.wait_for_posts(channel, 3)[2]["text"]


def test_follow_ups_in_a_thread_use_that_thread_only(stack, fake_slack):
    channel, user = new_id("C"), new_id("U")
    for thread, question, expected in (("1700000100.000100", "what is crs", "cytokine"),
                                       ("1700000200.000100", "tell me about carvykti", "Carvykti")):
        message = slack_message(f"<@{BOT_USER}> {question}", channel, user, ts=thread)
        message["event"].update(type="app_mention", channel_type="channel")
        slack_post(stack.rasa_url, message)
    posts = fake_slack.wait_for_posts(channel, 2)
    follow_up = slack_message("how is it treated?", channel, user, thread_ts="1700000100.000100")
    follow_up["event"].update(type="app_mention", channel_type="channel")
    slack_post(stack.rasa_url, follow_up)
    reply = fake_slack.wait_for_posts(channel, 3)[2]
    assert reply["thread_ts"] == "1700000100.000100" and "Tocilizumab" in reply["text"], posts


def test_links_use_slack_link_syntax(stack, fake_slack):
    channel, user = new_id("D"), new_id("U")
    slack_post(stack.rasa_url, slack_message("What is CAR T-cell therapy?", channel, user))
    [answer] = fake_slack.wait_for_posts(channel, 1)
    assert "Learn more: <https://" in answer["text"] and "|" in answer["text"].split("Learn more: ")[1]


def test_answers_stay_in_the_thread_they_were_asked_in(stack, fake_slack):
    channel, user = new_id("C"), new_id("U")
    mention = slack_message(f"<@{BOT_USER}> what does CAR T cost?", channel, user, ts="1700000000.000100")
    mention["event"].update(type="app_mention", channel_type="channel")
    slack_post(stack.rasa_url, mention)
    [answer] = fake_slack.wait_for_posts(channel, 1)
    assert answer["thread_ts"] == "1700000000.000100"  # a channel question gets a thread

    follow_up = slack_message("does insurance cover it?", channel, user, thread_ts="1700000000.000100")
    follow_up["event"].update(type="app_mention", channel_type="channel")
    slack_post(stack.rasa_url, follow_up)
    assert fake_slack.wait_for_posts(channel, 2)[1]["thread_ts"] == "1700000000.000100"

    dm, dm_user = new_id("D"), new_id("U")
    slack_post(stack.rasa_url, slack_message("What is CRS?", dm, dm_user, thread_ts="1700000001.000200"))
    assert fake_slack.wait_for_posts(dm, 1)[0]["thread_ts"] == "1700000001.000200"


def test_emergency_reply_is_plain_and_first(stack, fake_slack):
    channel, user = new_id("D"), new_id("U")
    slack_post(stack.rasa_url, slack_message(RED_FLAG, channel, user))
    first = fake_slack.wait_for_posts(channel, 1)[0]
    assert first["text"].startswith("Please act now. Call your CAR T team's 24/7 number")
    assert "911" in first["text"] and "blocks" not in first


def test_crisis_reply_is_plain_with_no_buttons(stack, fake_slack):
    channel, user = new_id("D"), new_id("U")
    slack_post(stack.rasa_url, slack_message("What is CRS?", channel, user))
    fake_slack.wait_for_posts(channel, 1)
    slack_post(stack.rasa_url, slack_message("i just want to die, the car t didn't work", channel, user))
    crisis = fake_slack.wait_for_posts(channel, 2)[1]
    assert "988" in crisis["text"] and "911" in crisis["text"] and "blocks" not in crisis
    assert "tel:" not in crisis["text"]  # numbers stay plain text in Slack


def test_a_retried_or_doubled_event_is_answered_once(stack, fake_slack):
    channel, user = new_id("D"), new_id("U")
    event = slack_message("What is cytokine release syndrome?", channel, user)
    assert slack_post(stack.rasa_url, event).status_code == 200
    fake_slack.wait_for_posts(channel, 1)
    retry = slack_post(stack.rasa_url, event, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
    assert retry.status_code in (200, 201)
    as_mention = json.loads(json.dumps(event))
    as_mention["event"]["type"] = "app_mention"  # Slack's second event for the same message
    slack_post(stack.rasa_url, as_mention)
    slack_post(stack.rasa_url, slack_message("thanks", channel, user))  # same conversation: handled after the duplicates
    posts = fake_slack.wait_for_posts(channel, 2)
    time.sleep(1)
    assert len(fake_slack.posts(channel)) == 2
    assert "cytokine" in posts[0]["text"].lower() and "cytokine" not in posts[1]["text"].lower()


@pytest.mark.parametrize("signing", [
    {"secret": "wrong-secret"},
    {"age_s": 6 * 60},  # older than five minutes: a replay
], ids=["wrong-secret", "too-old"])
def test_badly_signed_requests_are_rejected_with_no_reply_and_no_events(stack, fake_slack, signing):
    channel, user = new_id("D"), new_id("U")
    assert slack_post(stack.rasa_url, slack_message("What is CAR T?", channel, user), **signing).status_code == 400
    body = json.dumps(slack_message("What is CAR T?", channel, user)).encode()
    unsigned = requests.post(f"{stack.rasa_url}/webhooks/slack/webhook", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert unsigned.status_code == 400
    time.sleep(1)
    assert fake_slack.posts(channel) == [] and count_slack_events(stack, user) == 0


def test_url_verification_only_with_a_valid_signature(stack):
    challenge = {"type": "url_verification", "token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvF"}
    ok = slack_post(stack.rasa_url, challenge)
    assert ok.status_code == 200 and ok.text == challenge["challenge"]
    assert slack_post(stack.rasa_url, challenge, secret="wrong-secret").status_code == 400


@pytest.mark.parametrize("extra", [{"bot_id": "B0001"}, {"subtype": "bot_message", "bot_id": "B0001"},
                                   {"subtype": "channel_join"}], ids=["bot", "bot-subtype", "join"])
def test_bot_messages_and_non_messages_are_ignored(stack, fake_slack, extra):
    channel, user = new_id("D"), new_id("U")
    assert slack_post(stack.rasa_url, slack_message("What is CAR T?", channel, user, **extra)).status_code == 200
    slack_post(stack.rasa_url, slack_message("hello", channel, user))
    fake_slack.wait_for_posts(channel, 1)
    time.sleep(1)
    [only] = fake_slack.posts(channel)
    assert "automated assistant" in only["text"]  # the greeting, not the CAR T answer


def test_slack_is_off_without_its_variables(monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(SlackChannel.from_credentials(None), SlackOff)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert isinstance(SlackChannel.from_credentials(None), SlackOff)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert isinstance(SlackChannel.from_credentials(None), SlackChannel)


def test_slack_off_has_no_webhook():
    channel = SlackOff()
    routes = [route.uri for route in channel.blueprint(None)._future_routes]
    assert routes == ["/"]


@pytest.mark.parametrize("text,expected", [
    ("Learn more: American Cancer Society, https://www.cancer.org/x",
     "Learn more: <https://www.cancer.org/x|American Cancer Society>"),
    ("See [the FDA list](https://www.fda.gov/a) now", "See <https://www.fda.gov/a|the FDA list> now"),
    ("Visit https://www.cancer.gov today", "Visit <https://www.cancer.gov> today"),
    ("Call 1-800-4-CANCER or see https://www.cancer.gov/about.", "Call 1-800-4-CANCER or see <https://www.cancer.gov/about>."),
    ("Systolic < 90 & pulse > 120", "Systolic &lt; 90 &amp; pulse &gt; 120"),
])
def test_slack_formatting(text, expected):
    assert slack_mrkdwn(text) == expected


def test_manifest_asks_for_what_the_connector_needs():
    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yml").read_text(encoding="utf-8"))
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith("/webhooks/slack/webhook")
    assert settings["interactivity"]["request_url"].endswith("/webhooks/slack/webhook")
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {"app_mentions:read", "chat:write", "im:history"}
