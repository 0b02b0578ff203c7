"""Starts the project's servers on free loopback ports for end-to-end tests.

The same commands as scripts/run.sh: the action server, `rasa run` with the real
endpoints.yml and credentials.yml and, for browser tests, the demo page server.
Every process is stopped when the `with` block ends. FakeSlack stands in for
Slack's Web API and records what the bot posts.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

from conftest import MODEL, ROOT

VENV_BIN = Path(sys.executable).parent
START_TIMEOUT_S = 240


@dataclass
class Stack:
    rasa_url: str
    web_url: str  # the demo page ("" when not started)
    tracker_db: Path
    logs: Path

    @property
    def rest_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, processes: List[subprocess.Popen]) -> None:
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


@contextmanager
def running_stack(workdir: Path, web: bool = False, env: Optional[Dict[str, str]] = None) -> Iterator[Stack]:
    assert MODEL.exists(), f"{MODEL} is missing: run `make train`"
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    rasa_url, web_url = f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{web_port}" if web else ""
    stack = Stack(rasa_url, web_url, workdir / "conversations.db", workdir)
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
        "SANIC_HOST": "127.0.0.1",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "TRACKER_DB": str(stack.tracker_db),
        "WIDGET_ORIGINS": web_url or "http://127.0.0.1:8080",
        **(env or {}),
    }
    commands = {
        "actions": [VENV_BIN / "rasa", "run", "actions", "--actions", "actions", "--port", str(actions_port)],
        "rasa": [VENV_BIN / "rasa", "run", "--model", str(MODEL), "--endpoints", "endpoints.yml",
                 "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(rasa_port)],
    }
    if web:
        commands["web"] = [VENV_BIN / "python", "web/serve.py", "--port", str(web_port), "--rasa-url", rasa_url]
    processes = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=open(workdir / f"{name}.log", "w"), stderr=subprocess.STDOUT)
        for name, cmd in commands.items()
    ]
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", processes)
        wait_until_up(f"{rasa_url}/", processes)
        if web:
            wait_until_up(f"{web_url}/", processes)
        yield stack
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
