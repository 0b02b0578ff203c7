"""Starts the project's servers on free loopback ports, for the tests and the benchmark.

Each server is `scripts/run.sh <actions|rasa|web>`, the same commands `make run` uses, in
deployment mode (CART_DEPLOY=1: deploy/endpoints.yml and deploy/credentials.yml, on free
ports). Tests can stop and restart a server (`Stack.stop`, `Stack.start`); every process is
stopped when the `with` block ends.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "cart.tar.gz"
VENV_BIN = Path(sys.executable).parent
START_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args[1:]} exited with {process.returncode}"
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not up after {START_TIMEOUT_S} s")


class Stack:
    """Named servers: "actions", "rasa" (and "rasa2", ... sharing the action server), "web"."""

    def __init__(self, workdir: Path, env: Dict[str, str], ports: Dict[str, int]):
        self.workdir, self.env, self.ports = workdir, env, ports
        self.processes: Dict[str, subprocess.Popen] = {}
        self.started_at: Dict[str, float] = {}  # time.monotonic() at each server's start

    def url(self, name: str = "rasa") -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    @property
    def rasa_url(self) -> str:
        return self.url("rasa")

    @property
    def rest_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    @property
    def web_url(self) -> str:
        return self.url("web") if "web" in self.ports else ""

    @property
    def tracker_db(self) -> Path:
        """The SQLite file of the default tracker store."""
        return self.workdir / "conversations.db"

    @property
    def rasa_pid(self) -> int:
        return self.processes["rasa"].pid

    def launch(self, name: str) -> None:
        mode = name.rstrip("0123456789")
        port_variable = {"actions": "CART_ACTIONS_PORT", "rasa": "CART_RASA_PORT", "web": "CART_WEB_PORT"}[mode]
        self.started_at[name] = time.monotonic()
        self.processes[name] = subprocess.Popen(
            [ROOT / "scripts" / "run.sh", mode], cwd=ROOT, env={**self.env, port_variable: str(self.ports[name])},
            stdout=open(self.log(name), "a"), stderr=subprocess.STDOUT)

    def wait(self, name: str) -> None:
        health = "/health" if name == "actions" else "/"
        wait_until_up(self.url(name) + health, self.processes[name])

    def start(self, name: str) -> None:
        self.launch(name)
        self.wait(name)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name)


@contextmanager
def running_stack(workdir: Path, model: Path = MODEL, web: bool = False, rasa_servers: int = 1,
                  extra_env: Optional[Dict[str, str]] = None, extra_origins: List[str] = ()) -> Iterator[Stack]:
    """All servers started at once (so the benchmark times a cold start), then waited for.
    Browsers may chat from the demo page (with `web`) and from `extra_origins`."""
    assert model.exists(), f"{model} is missing: run `make train`"
    names: List[str] = ["actions", "rasa"] + [f"rasa{i}" for i in range(2, rasa_servers + 1)] + (["web"] if web else [])
    ports = {name: free_port() for name in names}
    env = {
        **os.environ,
        "CART_DEPLOY": "1",
        "CART_HOST": "127.0.0.1",
        "CART_MODEL": str(model),
        "CART_ACTIONS_PORT": str(ports["actions"]),
        "CART_RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "CART_TRACKER_STORE_URL": f"sqlite:///{workdir / 'conversations.db'}",
        "CART_WIDGET_ORIGINS": ",".join([f"http://127.0.0.1:{ports['web'] if web else 8080}", *extra_origins]),
        **(extra_env or {}),
    }
    stack = Stack(workdir, env, ports)
    try:
        for name in names:
            stack.launch(name)
        for name in names:
            stack.wait(name)
        yield stack
    finally:
        stack.close()
