"""Faults a hospital deployment meets, against real servers: the action server goes away
and comes back, the Rasa server restarts mid-conversation, the HTTP API needs a token,
and patients' words stay out of the logs. (PostgreSQL faults: test_scale_out.py.)"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from scripts.servers import ROOT, free_port, running_stack, wait_until_up
from helpers import say

TOKEN = f"token-{uuid.uuid4().hex}"
JWT_SECRET = f"jwt-{uuid.uuid4().hex}"
MARKER = "zqwxjvkq"  # a word no log line contains by chance
UNAVAILABLE = "I can't look that up right now"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Action server and Rasa server with the default SQLite store and the HTTP API on."""
    secrets = {"CART_API_TOKEN": TOKEN, "CART_JWT_SECRET": JWT_SECRET}
    with running_stack(tmp_path_factory.mktemp("faults"), extra_env=secrets) as stack:
        yield stack


def texts(replies: list) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def tracker_events(servers, sender: str) -> list:
    response = requests.get(f"{servers.rasa_url}/conversations/rest:{sender}/tracker",
                            params={"token": TOKEN}, timeout=30)
    response.raise_for_status()
    return response.json()["events"]


def test_http_api_requires_the_token(servers):
    assert requests.get(f"{servers.rasa_url}/status", timeout=10).status_code == 401
    assert requests.get(f"{servers.rasa_url}/status", params={"token": "wrong"}, timeout=10).status_code == 401
    status = requests.get(f"{servers.rasa_url}/status", params={"token": TOKEN}, timeout=10)
    assert status.status_code == 200 and status.json()["model_file"]
    parse = requests.post(f"{servers.rasa_url}/model/parse", params={"token": TOKEN},
                          json={"text": "what is car t?"}, timeout=30)
    assert parse.json()["intent"]["name"] == "basics"


def test_a_jwt_signed_with_the_secret_opens_the_api(servers):
    import jwt

    signed = jwt.encode({"user": {"username": "ops", "role": "admin"}}, JWT_SECRET, algorithm="HS256")
    status = requests.get(f"{servers.rasa_url}/status", headers={"Authorization": f"Bearer {signed}"}, timeout=10)
    assert status.status_code == 200
    forged = jwt.encode({"user": {"username": "ops", "role": "admin"}}, "a-guess-at-the-secret-" * 2,
                        algorithm="HS256")
    assert requests.get(f"{servers.rasa_url}/status", headers={"Authorization": f"Bearer {forged}"},
                        timeout=10).status_code == 401


def test_the_api_token_and_jwt_secret_are_not_on_any_command_line(servers):
    """Rasa takes both as arguments; scripts/rasa_cli.py passes them inside the process."""
    for pid in (servers.processes["rasa"].pid, *children(servers.processes["rasa"].pid)):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        assert TOKEN.encode() not in cmdline and JWT_SECRET.encode() not in cmdline


def children(pid: int) -> list:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found + [grandchild for child in found for grandchild in children(child)]


def test_http_api_is_off_without_a_token(stack):
    assert requests.get(f"{stack.rasa_url}/status", timeout=10).status_code == 404
    assert requests.post(f"{stack.rasa_url}/model/parse", json={"text": "hi"}, timeout=10).status_code == 404
    assert requests.get(f"{stack.rasa_url}/conversations/x/tracker", timeout=10).status_code == 404


def test_action_server_down_then_back(servers):
    sender = uuid.uuid4().hex
    servers.stop("actions")
    try:
        looked_up = say(servers.rest_url, f"which car t is approved for multiple myeloma? {MARKER}", sender)
        assert UNAVAILABLE in texts(looked_up) and "blood cancers" in texts(looked_up)
        # static answers do not need the action server
        [faq] = say(servers.rest_url, "how do they collect the t cells for car t?", sender)
        assert "leukapheresis" in faq["text"]
        unsure = say(servers.rest_url, "/nlu_fallback", sender)  # "did you mean" needs the action server
        assert UNAVAILABLE in texts(unsure) and "1-800-4-CANCER" in texts(unsure)
    finally:
        servers.start("actions")
    answer = texts(say(servers.rest_url, "which car t is approved for multiple myeloma?", sender))
    assert "Abecma" in answer and "Carvykti" in answer and UNAVAILABLE not in answer
    # the outage note is not carried into later answers
    assert UNAVAILABLE not in texts(say(servers.rest_url, "what can you help with?", sender))


def test_rasa_restart_keeps_the_conversation(servers):
    sender = uuid.uuid4().hex
    say(servers.rest_url, f"What is cytokine release syndrome? {MARKER}", sender)
    servers.stop("rasa")
    servers.start("rasa")
    [reply] = say(servers.rest_url, "/risks/crs_treatment", sender)
    assert "tocilizumab" in reply["text"].lower()
    said = [e["text"] for e in tracker_events(servers, sender) if e["event"] == "user"]
    assert said == [f"What is cytokine release syndrome? {MARKER}", "/risks/crs_treatment"]


def test_no_message_text_in_the_logs(servers):
    """At the default log level, neither server logs what people type (sent above and here)."""
    say(servers.rest_url, f"my name is {MARKER} and I had car t last week")
    requests.post(servers.rest_url, json={"sender": "x", "message": ["not", "text", MARKER]}, timeout=10)
    for name in ("rasa", "actions"):
        log = servers.log(name).read_text(errors="replace")
        assert log, f"{name}.log is empty"
        assert MARKER not in log, f"message text in {name}.log"


@pytest.fixture
def hung_action_server():
    """An action server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []

    def accept_forever() -> None:
        while True:
            try:
                held.append(listener.accept())
            except OSError:  # closed
                return

    threading.Thread(target=accept_forever, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/webhook"
    listener.close()


@pytest.mark.integration
def test_a_hung_action_server_gets_the_outage_answer_within_seconds(tmp_path, hung_action_server):
    with running_stack(tmp_path, extra_env={"CART_ACTION_ENDPOINT_URL": hung_action_server}) as stack:
        started = time.monotonic()
        replies = say(stack.rest_url, "which car t is approved for multiple myeloma?")
        assert UNAVAILABLE in texts(replies)
        assert time.monotonic() - started < 30  # the action endpoint's 5 s, not Rasa's 300 s


@pytest.mark.integration
def test_make_run_restarts_a_rasa_server_that_stopped(tmp_path):
    """`make run` (scripts/run.sh without arguments): the Rasa server comes back by itself, and
    Ctrl-C stops everything without a traceback."""
    ports = {name: free_port() for name in ("CART_RASA_PORT", "CART_ACTIONS_PORT", "CART_WEB_PORT")}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "CART_DEPLOY": "1", "CART_HOST": "127.0.0.1",
           "CART_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'conversations.db'}"}
    log = open(tmp_path / "run.log", "w")
    run = subprocess.Popen([ROOT / "scripts" / "run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                           start_new_session=True)
    rasa_url = f"http://127.0.0.1:{ports['CART_RASA_PORT']}"
    try:
        wait_until_up(rasa_url + "/", run)
        rasa = next(pid for pid in children(run.pid) if b"rasa_cli.py" in Path(f"/proc/{pid}/cmdline").read_bytes())
        os.kill(rasa, signal.SIGKILL)
        time.sleep(1)
        wait_until_up(rasa_url + "/", run)
        [reply] = say(f"{rasa_url}/webhooks/rest/webhook", "how do they collect the t cells for car t?")
        assert "leukapheresis" in reply["text"]
        assert requests.get(f"http://127.0.0.1:{ports['CART_WEB_PORT']}/", timeout=10).ok  # the demo page stayed up
        assert "restarting it" in (tmp_path / "run.log").read_text()
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C: the terminal signals every process of the group
        run.wait(timeout=60)
        assert "Traceback" not in (tmp_path / "run.log").read_text()  # every server stops quietly
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGTERM)
            run.wait(timeout=60)
