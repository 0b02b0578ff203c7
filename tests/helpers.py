"""What the tests share: paths, the machine's services, and clients for every channel
(REST, Socket.IO, Slack), the fake Slack Web API, and custom-action fixtures."""
from __future__ import annotations

import json
import os
import threading
import time
import uuid
from contextlib import contextmanager
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlencode

import pytest
import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
# The project's shared, read-only documents sit next to the checkout: the content contract
# (spec/faq-topics.yml), the fact sheet and the seed article.
SHARED = ROOT.parent / "shared"
MODEL = ROOT / "models" / "cart.tar.gz"
HOLDOUT = ROOT / "tests" / "holdout"
SCREENSHOTS = ROOT / "results" / "screenshots"
SLACK_SIGNING_SECRET = "test-signing-secret"


def load_yaml(path: Path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def rasa_importer():
    """Rasa's importer, as `rasa train` uses it: domain.yml merged with the answers in data/."""
    from rasa.shared.importers.importer import TrainingDataImporter

    return TrainingDataImporter.load_from_dict(config_path=str(ROOT / "config.yml"),
                                               domain_path=str(ROOT / "domain.yml"),
                                               training_data_paths=[str(ROOT / "data")])


@lru_cache(maxsize=1)
def merged_domain() -> dict:
    """The merged domain as Rasa sends it to the action server (data/faq answers included)."""
    return rasa_importer().get_domain().as_dict()


# --- The machine's PostgreSQL and Redis (scale-out, fault and retention tests) ----------
# Tests that need them skip with the reason on a machine without them; under CI=true
# they must run, so a missing service fails instead.
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def skip_unless_ci(message: str) -> None:
    """Skips the test with the reason on a user's machine; under CI=true it must run, so fails."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_service(name: str, error: Exception) -> None:
    skip_unless_ci(f"{name} is not reachable ({error}); needed for this test")


def require_shared(relative: str) -> Path:
    """A path under ../shared; a checkout without it skips the test with the reason, except
    under CI=true, where the contract must be checked."""
    path = SHARED / relative
    if not path.exists():
        skip_unless_ci(f"{path} is missing: the contract tests need the shared documents next to this checkout")
    return path


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL (its URL), dropped afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cart_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        require_service("PostgreSQL on 127.0.0.1:5432", error)
    try:
        yield sa.engine.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def redis_key_prefix() -> Iterator[str]:
    """A key prefix on the machine's Redis; its keys are deleted afterwards."""
    import redis

    client = redis.Redis(REDIS_HOST, REDIS_PORT, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        require_service(f"Redis on {REDIS_HOST}:{REDIS_PORT}", error)
    prefix = f"carttest{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()


# --- What the tracker store holds ------------------------------------------------------

def stored_events(database_url: str, sender: str) -> List[Tuple[str, str]]:
    """(type, text or action name) of a conversation's events, in the order stored (sender: as stored)."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT type_name, action_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
        events = [(t, a or json.loads(d).get("text") or "") for t, a, d in rows]
    engine.dispose()
    return events


def user_texts(events) -> List[str]:
    return [text for kind, text in events if kind == "user"]


def stored_user_texts(stack, sender: str) -> List[str]:
    """What a conversation's user said, from the stack's SQLite store."""
    return user_texts(stored_events(f"sqlite:///{stack.tracker_db}", sender))


# A warning sign happening now, as a caregiver types it (the widget and rasa-webchat tests)
RED_FLAG = "my husband had car t last week, now he has a fever of 39 and is confused"

# Odd texts every channel must answer (tests/test_bad_input.py: REST; test_hostile_input.py: widget, Slack)
ODD_TEXTS = {
    "10k-chars": "what is car t? " * 700,  # 10,500 characters: cut to the limit before NLU, still understood
    "binary-looking": "\x00\x01\x02\ufffd\udcff binary \x7f\x1b[31m",
    "mixed-script": "CAR T 是什么？ Что такое CAR-T? ما هو العلاج",
    "emoji": "🤒🥶😵‍💫 🔥🔥🔥",
    "html": "<script>alert('x')</script><b>what is car t</b>",
    "sql": "'; DROP TABLE events; -- what is car t?",
    "slash-only": "/",
    "right-to-left-mark": "\u202e",
}


# --- REST --------------------------------------------------------------------------------

def say(url: str, message: str, sender: str | None = None) -> list:
    response = requests.post(url, json={"sender": sender or uuid.uuid4().hex, "message": message}, timeout=60)
    response.raise_for_status()
    return response.json()


# --- Socket.IO ---------------------------------------------------------------------------

class ChatClient:
    """A Socket.IO chat client, as a site's widget or another program talks to the assistant
    (python-socketio; over WebSocket its websocket library sends the server's own URL as Origin)."""

    def __init__(self, server_url: str, origin: Optional[str] = None, transport: str = "websocket") -> None:
        import socketio

        self.client = socketio.SimpleClient()
        self.client.connect(server_url, headers={"Origin": origin} if origin else {}, transports=[transport],
                            wait_timeout=20)
        self.session_id: Optional[str] = None

    def __enter__(self) -> "ChatClient":
        return self

    def __exit__(self, *_) -> None:
        self.client.disconnect()

    @property
    def transport(self) -> str:
        return self.client.client.transport()

    def start_session(self, session_id: Optional[str] = None) -> str:
        self.client.emit("session_request", {"session_id": session_id})
        self.session_id = self.next_event("session_confirm")
        return self.session_id

    def next_event(self, name: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event, *args = self.client.receive(timeout=deadline - time.monotonic())
            if event == name:
                return args[0] if args else None
        raise TimeoutError(name)

    def send(self, text: str, session_id: Optional[str] = None) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": session_id or self.session_id})

    def replies(self, first_within: float = 60, quiet: float = 1.5) -> List[dict]:
        """The bot messages that arrive until `quiet` seconds pass without one (none: [])."""
        import socketio

        messages, timeout = [], first_within
        while True:
            try:
                event, *args = self.client.receive(timeout=timeout)
            except socketio.exceptions.TimeoutError:
                return messages
            if event == "bot_uttered":
                messages.append(args[0])
                timeout = quiet

    def say(self, text: str) -> List[dict]:
        self.send(text)
        return self.replies()


# --- Slack -------------------------------------------------------------------------------

BOT_USER = "UBOT0001"


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


def next_ts() -> str:
    return f"{time.time():.6f}"


def slack_message(text: str, channel: str, user: str, ts: str | None = None, **extra) -> dict:
    """A signed-to-be Events API message event (a direct message unless `extra` says otherwise)."""
    event = {"type": "message", "channel_type": "im", "channel": channel, "user": user, "text": text,
             "ts": ts or next_ts(), **extra}
    return {"type": "event_callback", "team_id": "T0001", "api_app_id": "A0001", "event_id": new_id("Ev"),
            "event_time": int(time.time()), "authorizations": [{"user_id": BOT_USER, "is_bot": True}], "event": event}


def signed_headers(body: bytes, content_type: str, secret: str = SLACK_SIGNING_SECRET, age_s: int = 0) -> dict:
    from slack_sdk.signature import SignatureVerifier

    timestamp = str(int(time.time()) - age_s)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


def slack_post(rasa_url: str, payload: dict, extra_headers: dict | None = None, **signing) -> requests.Response:
    body = json.dumps(payload).encode()
    headers = {**signed_headers(body, "application/json", **signing), **(extra_headers or {})}
    return requests.post(f"{rasa_url}/webhooks/slack/webhook", data=body, headers=headers, timeout=30)


def slack_click(rasa_url: str, channel: str, user: str, value: str, message_ts: str,
                thread_ts: str | None = None, action_ts: str | None = None) -> requests.Response:
    clicked = {"ts": message_ts, **({"thread_ts": thread_ts} if thread_ts else {})}
    payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": channel}, "message": clicked,
               "actions": [{"type": "button", "value": value, "action_ts": action_ts or next_ts()}]}
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return requests.post(f"{rasa_url}/webhooks/slack/webhook", data=body,
                         headers=signed_headers(body, "application/x-www-form-urlencoded"), timeout=30)


class FakeSlack:
    """Slack's Web API on loopback: answers every method with ok and records the calls."""

    def __init__(self) -> None:
        self.calls: List[Dict] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                with fake.lock:
                    fake.calls.append({"method": self.path.rsplit("/", 1)[-1], "token": self.headers.get("Authorization"),
                                       **body})
                reply = json.dumps({"ok": True, "channel": body.get("channel"), "ts": f"{time.time():.6f}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts(self, channel: str) -> List[Dict]:
        with self.lock:
            return [c for c in self.calls if c["method"] == "chat.postMessage" and c.get("channel") == channel]

    def wait_for_posts(self, channel: str, count: int, timeout: float = 60) -> List[Dict]:
        deadline = time.monotonic() + timeout
        while len(self.posts(channel)) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.posts(channel)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- Custom actions and NLU messages without a server ------------------------------------

def entity_in(text, entity, value):
    """An entity as the NLU gives it: with its span when its value is written in the text."""
    start = text.lower().find(value.lower()) if isinstance(value, str) and value else -1
    return {"entity": entity, "value": value, **({"start": start, "end": start + len(value)} if start >= 0 else {})}


def action_tracker(intent, entities=(), intent_ranking=None, response_selector=None, text="...", slots=None,
                   events=(), **parse):
    """A rasa_sdk Tracker whose latest message has this intent, entities and rankings (and any
    other property of a parsed message given as a keyword: safety_net=...)."""
    from rasa_sdk import Tracker

    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": intent_ranking or [{"name": intent, "confidence": 1.0}],
        "entities": [entity_in(text, e, v) for e, v in entities],
    }
    if response_selector:
        latest["response_selector"] = response_selector
    latest.update(parse)
    return Tracker.from_dict(
        {"sender_id": "test", "slots": slots or {}, "latest_message": latest, "events": list(events), "paused": False,
         "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"}
    )


def run_action(action, tracker, events=()) -> List[dict]:
    """The messages a custom action sends, given the merged domain; it must return `events`."""
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    assert action.run(dispatcher, tracker, merged_domain()) == list(events)
    return dispatcher.messages


def new_policy(cls, tmp_path):
    """A custom policy of dialogue_policies/ with its default config, as Rasa creates it."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    return cls(cls.get_default_config(), LocalModelStorage(tmp_path), Resource("policy"), ExecutionContext(GraphSchema({})))


def predicted_action(policy, domain, events):
    """The action the policy predicts after these events (a tracker's), or None when it predicts nothing."""
    from rasa.shared.core.trackers import DialogueStateTracker

    prediction = policy.predict_action_probabilities(DialogueStateTracker.from_events("s", list(events)), domain)
    if prediction.max_confidence == 0:
        return None
    return domain.action_names_or_texts[prediction.probabilities.index(prediction.max_confidence)]


def faq_message(text="what is that", intent_confidence=0.99, answer_confidence=0.9, intent="risks", answer="risks/crs"):
    """An NLU Message as the topic classifier leaves it for an FAQ question."""
    from rasa.shared.nlu.training_data.message import Message

    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": intent_confidence},
            "intent_ranking": [{"name": intent, "confidence": intent_confidence},
                               {"name": "greet", "confidence": 1 - intent_confidence}],
            "response_selector": {
                "all_retrieval_intents": ["risks", "basics"],
                "default": {  # the catch-all ranking covers the answers of all groups
                    "response": {"intent_response_key": answer, "confidence": answer_confidence,
                                 "utter_action": f"utter_{answer}", "responses": []},
                    "ranking": [{"intent_response_key": answer, "confidence": answer_confidence}],
                },
            },
        }
    )


# --- Browser pages (Playwright) ----------------------------------------------------------

AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"


def ask(page, text: str) -> None:
    box = page.get_by_label("Your question")
    box.fill(text)
    box.press("Enter")


def bot(page):
    return page.locator(".cartw-msg--bot")


def run_axe(page) -> list:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
