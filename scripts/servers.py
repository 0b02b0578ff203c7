"""Starts the project's servers on free loopback ports, for the end-to-end tests and the benchmark.

The same commands as scripts/run.sh: the action server, `rasa run` with the real
endpoints.yml and credentials.yml and, optionally, the demo page server. Every
process is stopped when the `with` block ends.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "cart.tar.gz"
VENV_BIN = Path(sys.executable).parent
START_TIMEOUT_S = 240


@dataclass
class Stack:
    rasa_url: str
    web_url: str  # the demo page ("" when not started)
    tracker_db: Path
    rasa_pid: int
    started_at: float  # time.monotonic() when the Rasa server process started

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


@contextmanager
def running_stack(workdir: Path, model: Path = MODEL, web: bool = False,
                  extra_env: Optional[Dict[str, str]] = None) -> Iterator[Stack]:
    assert model.exists(), f"{model} is missing: run `make train`"
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    rasa_url, web_url = f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{web_port}" if web else ""
    tracker_db = workdir / "conversations.db"
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
        "SANIC_HOST": "127.0.0.1",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "TRACKER_DB": str(tracker_db),
        "WIDGET_ORIGINS": web_url or "http://127.0.0.1:8080",
        **(extra_env or {}),
    }
    commands = {
        "actions": [VENV_BIN / "rasa", "run", "actions", "--actions", "actions", "--port", str(actions_port)],
        "rasa": [VENV_BIN / "rasa", "run", "--model", str(model), "--endpoints", "endpoints.yml",
                 "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(rasa_port)],
    }
    if web:
        commands["web"] = [VENV_BIN / "python", "web/serve.py", "--port", str(web_port), "--rasa-url", rasa_url]
    started_at = time.monotonic()
    started = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=open(workdir / f"{name}.log", "w"),
                               stderr=subprocess.STDOUT)
        for name, cmd in commands.items()
    }
    stack = Stack(rasa_url, web_url, tracker_db, started["rasa"].pid, started_at)
    processes = list(started.values())
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
