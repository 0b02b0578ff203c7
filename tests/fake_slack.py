"""Slack's Web API on loopback for the Slack tests: records what the bot posts."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List


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
