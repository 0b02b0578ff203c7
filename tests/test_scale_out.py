"""Several Rasa servers sharing the machine's PostgreSQL (conversations) and Redis (locks),
switched on by environment variables only; and a conversation store that goes away."""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, List, Tuple

import pytest
import requests

from helpers import (SLACK_SIGNING_SECRET, ChatClient, new_id, postgres_database, redis_key_prefix, require_service,
                     say, slack_message, slack_post, stored_events, user_texts)
from scripts.servers import free_port, running_stack


def shared_stores(tracker_store_url: str, lock_prefix: str) -> dict:
    return {"CART_TRACKER_STORE_URL": tracker_store_url, "CART_LOCK_STORE": "stores.redis_lock_store.AtomicRedisLockStore",
            "CART_REDIS_URL": "redis://127.0.0.1:6379/0", "CART_LOCK_PREFIX": lock_prefix}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, fake_slack):
    """Two Rasa servers ("rasa", "rasa2") on their own ports, one action server, Slack on."""
    slack = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
             "SLACK_API_URL": fake_slack.url}
    with postgres_database() as url, redis_key_prefix() as prefix:
        with running_stack(tmp_path_factory.mktemp("cluster"), rasa_servers=2,
                           extra_env={**shared_stores(url, prefix), **slack}) as stack:
            stack.database_url = url
            yield stack


def rest_url(stack, server: str) -> str:
    return f"{stack.url(server)}/webhooks/rest/webhook"


def test_a_conversation_alternating_between_servers_stays_coherent(cluster):
    sender = uuid.uuid4().hex
    offer = say(rest_url(cluster, "rasa"), "car t blorp thing?", sender)  # unsure: topics to pick
    buttons = offer[-1]["buttons"]
    assert buttons
    answer = say(rest_url(cluster, "rasa2"), buttons[0]["payload"], sender)  # clicked on the other server
    assert answer and answer[0]["text"] != offer[-1]["text"]
    say(rest_url(cluster, "rasa"), "thanks", sender)
    events = stored_events(cluster.database_url, f"rest:{sender}")
    assert user_texts(events) == ["car t blorp thing?", buttons[0]["payload"], "thanks"]
    # one conversation: a second server that did not see the first's events would start a new session
    assert [e for e in events if e == ("action", "action_session_start")] == [("action", "action_session_start")]


def test_a_follow_up_on_the_other_server_uses_the_context_from_the_first(cluster):
    sender = uuid.uuid4().hex
    say(rest_url(cluster, "rasa"), "tell me about carvykti", sender)
    [reply] = say(rest_url(cluster, "rasa2"), "is it approved for lymphoma too?", sender)
    assert reply["text"].startswith("No") and "Carvykti" in reply["text"] and "multiple myeloma" in reply["text"]


def test_concurrent_messages_for_one_sender_are_handled_one_at_a_time(cluster):
    sender, count = uuid.uuid4().hex, 12
    messages = [f"what is car t? ({i})" for i in range(count)]
    servers = ["rasa", "rasa2"]
    with ThreadPoolExecutor(max_workers=count) as pool:
        replies = list(pool.map(lambda i: say(rest_url(cluster, servers[i % 2]), messages[i], sender), range(count)))
    assert all(replies)
    events = stored_events(cluster.database_url, f"rest:{sender}")
    assert sorted(user_texts(events)) == sorted(messages)  # nothing lost, nothing twice
    assert events.count(("action", "action_session_start")) == 1
    assert sum(kind == "bot" for kind, _ in events) == sum(len(r) for r in replies)
    # each message's turn is complete (answer, then listen) before the next message starts
    turns = [kind for kind, text in events if kind == "user" or text == "action_listen"]
    assert turns[-2:] == ["user", "action"] and "user,user" not in ",".join(turns)


def test_restart_on_postgres_keeps_the_conversation(cluster):
    sender = uuid.uuid4().hex
    say(rest_url(cluster, "rasa"), "What is cytokine release syndrome?", sender)
    cluster.stop("rasa")
    cluster.start("rasa")
    [reply] = say(rest_url(cluster, "rasa"), "/risks/crs_treatment", sender)
    assert "tocilizumab" in reply["text"].lower()
    assert user_texts(stored_events(cluster.database_url, f"rest:{sender}")) == [
        "What is cytokine release syndrome?", "/risks/crs_treatment"]


def test_a_slack_event_delivered_to_both_servers_is_answered_once(cluster, fake_slack):
    """Slack retries, and sends a mention twice (message, app_mention); behind a load
    balancer the copies reach different servers, which remember answers in Redis."""
    channel, user = new_id("D"), new_id("U")
    event = slack_message("What is cytokine release syndrome?", channel, user)
    assert slack_post(cluster.url("rasa"), event).status_code == 200
    fake_slack.wait_for_posts(channel, 1)
    retry = slack_post(cluster.url("rasa2"), event, {"X-Slack-Retry-Num": "1"})
    assert retry.status_code in (200, 201)
    slack_post(cluster.url("rasa2"), slack_message("thanks", channel, user))
    fake_slack.wait_for_posts(channel, 2)
    time.sleep(1)
    assert len(fake_slack.posts(channel)) == 2


def test_tickets_are_unique_when_servers_ask_at_once(redis_prefix):
    """Rasa's own RedisLockStore can hand two servers the same ticket (stores/redis_lock_store.py)."""
    from rasa.utils.endpoints import EndpointConfig

    from stores.redis_lock_store import AtomicRedisLockStore

    config = EndpointConfig(url="redis://127.0.0.1:6379/0", key_prefix=redis_prefix)
    servers = [AtomicRedisLockStore(config), AtomicRedisLockStore(config)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        tickets = list(pool.map(lambda i: servers[i % 2].issue_ticket("one-conversation"), range(200)))
    assert sorted(tickets) == list(range(200))


# --- A PostgreSQL instance of the test's own, stopped and started --------------------------

def postgres_binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        require_service("PostgreSQL's server programs (pg_ctl, initdb)", FileNotFoundError("/usr/lib/postgresql"))
    return Path(found[-1]).parent


@contextmanager
def own_postgres() -> Iterator[Tuple[str, Callable[[], None], Callable[[], None]]]:
    """(URL, stop, start) of a throwaway PostgreSQL server on a free loopback port."""
    bin_dir, port = postgres_binaries(), free_port()
    workdir = Path(tempfile.mkdtemp(prefix="cart-pg-"))  # not under pytest's root-only folder
    data = workdir / "data"
    as_owner: List[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(workdir, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]

    def pg_ctl(*args: str) -> None:
        subprocess.run([*as_owner, bin_dir / "pg_ctl", "-D", data, "-w", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    subprocess.run([*as_owner, bin_dir / "initdb", "-D", data, "-A", "trust", "-U", "postgres"], check=True,
                   stdout=subprocess.DEVNULL)
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {workdir}"
    try:
        start = lambda: pg_ctl("-o", options, "-l", str(workdir / "server.log"), "start")  # noqa: E731
        start()
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres", lambda: pg_ctl("-m", "fast", "stop"), start
    finally:
        subprocess.run([*as_owner, bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(workdir, ignore_errors=True)


def test_unreachable_conversation_store_gives_try_again_on_every_channel_then_recovers(tmp_path, fake_slack):
    slack = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
             "SLACK_API_URL": fake_slack.url}
    with own_postgres() as (url, stop_database, start_database), \
            running_stack(tmp_path, extra_env={"CART_TRACKER_STORE_URL": url, **slack}) as stack, \
            ChatClient(stack.rasa_url) as widget:
        sender, channel, user = uuid.uuid4().hex, new_id("C"), new_id("U")
        session = widget.start_session()
        stop_database()
        # the widget and Slack first: no HTTP request to the REST channel has been made yet
        [widget_reply] = widget.say("What is CRS?")
        assert "try again" in widget_reply["text"]
        mention = slack_message("What is CRS?", channel, user, ts="1700000000.000300")
        mention["event"].update(type="app_mention", channel_type="channel")
        slack_post(stack.rasa_url, mention)
        [slack_reply] = fake_slack.wait_for_posts(channel, 1)
        assert "try again" in slack_reply["text"] and slack_reply["thread_ts"] == "1700000000.000300"
        down = requests.post(stack.rest_url, json={"sender": sender, "message": "/risks/crs_treatment"}, timeout=60)
        assert down.status_code == 503
        assert "try again" in down.json()["text"] and "911" in down.json()["text"]
        streamed = requests.post(stack.rest_url, params={"stream": "true"}, timeout=60,
                                 json={"sender": sender, "message": "What is CRS?"})  # Rasa's never ended
        assert [json.loads(line)["text"] for line in streamed.text.splitlines()] == [down.json()["text"]]
        start_database()
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline:  # the first query may meet a connection the restart closed
            back = requests.post(stack.rest_url, json={"sender": sender, "message": "/risks/crs_treatment"},
                                 timeout=60)
            if (status := back.status_code) == 200:
                break
            time.sleep(1)
        assert status == 200 and "tocilizumab" in back.json()[0]["text"].lower()
        assert user_texts(stored_events(url, f"rest:{sender}")) == ["/risks/crs_treatment"]
        # nothing stored half-way while the database was down
        assert stored_events(url, f"webchat:{session}") == []
        assert stored_events(url, f"slack:{user}_{channel}_1700000000.000300") == []
