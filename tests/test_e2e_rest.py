"""End to end: the action server and `rasa run` on free loopback ports, over the REST channel."""
from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from conftest import MODEL, ROOT

VENV_BIN = Path(sys.executable).parent
START_TIMEOUT_S = 240


@dataclass
class Server:
    url: str  # the REST webhook
    tracker_db: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, processes) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        for p in processes:
            assert p.poll() is None, f"{p.args[:3]} exited with {p.returncode}"
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not up after {START_TIMEOUT_S} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    assert MODEL.exists(), f"{MODEL} is missing: run `make train`"
    tracker_db = tmp_path_factory.mktemp("tracker") / "conversations.db"
    rasa_port, actions_port = free_port(), free_port()
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
        "SANIC_HOST": "127.0.0.1",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "TRACKER_DB": str(tracker_db),
    }
    logs = tmp_path_factory.mktemp("logs")
    commands = [
        [VENV_BIN / "rasa", "run", "actions", "--actions", "actions", "--port", str(actions_port)],
        [VENV_BIN / "rasa", "run", "--model", str(MODEL), "--endpoints", "endpoints.yml",
         "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(rasa_port)],
    ]
    processes = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=open(logs / f"{i}.log", "w"), stderr=subprocess.STDOUT)
        for i, cmd in enumerate(commands)
    ]
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", processes)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", processes)
        yield Server(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", tracker_db)
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def say(url: str, message: str, sender: str | None = None) -> list:
    response = requests.post(url, json={"sender": sender or uuid.uuid4().hex, "message": message}, timeout=60)
    response.raise_for_status()
    return response.json()


def test_faq_answer(server):
    [reply] = say(server.url, "how do they collect the t cells for car t?")
    assert "leukapheresis" in reply["text"]
    assert reply["buttons"]


def test_emergency_reply_comes_first(server):
    replies = say(server.url, "my wife had car t last week, she has a fever of 39 and seems confused")
    assert replies[0]["text"].startswith("Please act now. Call your CAR T team's 24/7 number")
    assert "911" in replies[0]["text"]


def test_entity_answer_from_the_action_server(server):
    replies = say(server.url, "which car t is approved for multiple myeloma?")
    text = "\n".join(r["text"] for r in replies)
    assert "Abecma" in text and "Carvykti" in text


def test_drug_ordering_is_refused(server):
    [reply] = say(server.url, "can I buy car t online from a pharmacy?")
    assert "can't sell, order or ship" in reply["text"]


def test_button_payload_and_conversation_memory(server):
    sender = uuid.uuid4().hex
    say(server.url, "What is cytokine release syndrome?", sender)
    [reply] = say(server.url, "/risks/crs_treatment", sender)
    assert "tocilizumab" in reply["text"].lower()


def test_conversations_are_stored_in_the_embedded_sqlite_file(server):
    sender = uuid.uuid4().hex
    say(server.url, "hello", sender)
    with sqlite3.connect(server.tracker_db) as db:
        count = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]
    assert count > 0
