"""Load test: 50 conversations at once for 60 s against one Rasa server on loopback.

    make loadtest

Starts the servers as `make run` does (scripts/servers.py; default SQLite store, or
the shared stores if TRACKER_STORE_URL / LOCK_STORE_TYPE are set), runs the
conversations with an asyncio client (each pauses 0.5-1.5 s after a reply, as people
do), then checks that every conversation's messages and replies are in the tracker
store. Prints throughput, latency percentiles and errors; exits 1 on any error or
missing event. Bounded: 60 s of load, 60 s timeout per message.
"""
from __future__ import annotations

import asyncio
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List

import aiohttp

from scripts.bench import PAUSE_S, TIMEOUT_S, percentile, say
from scripts.evaluate_nlu import holdout_questions
from scripts.servers import running_stack

CONVERSATIONS, DURATION_S = 50, 60


latencies: List[float] = []  # ms, every message of the run


async def load(url: str, questions: List[str]) -> Dict[str, Dict[str, int]]:
    """sender -> messages sent, answered (200 with replies) and replies received."""
    pauses, deadline = random.Random(42), time.monotonic() + DURATION_S
    counts: Dict[str, Dict[str, int]] = {}

    async def conversation(session: aiohttp.ClientSession, offset: int) -> None:
        sender = uuid.uuid4().hex
        counts[sender] = {"sent": 0, "ok": 0, "replies": 0}  # messages sent, answered; reply messages
        i = 0
        while time.monotonic() < deadline:
            await asyncio.sleep(pauses.uniform(*PAUSE_S))
            started = time.perf_counter()
            counts[sender]["sent"] += 1
            try:
                async with session.post(url, json={"sender": sender, "message": questions[(offset + i) % len(questions)]},
                                        timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as response:
                    replies = await response.json()
                    if response.status == 200 and replies:
                        counts[sender]["ok"] += 1
                        counts[sender]["replies"] += len(replies)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            latencies.append((time.perf_counter() - started) * 1000)
            i += 1

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(conversation(session, c * 7) for c in range(CONVERSATIONS)))
    return counts


def complete(events: Dict[str, int], counts: Dict[str, int]) -> bool:
    """Every message sent, and a bot event per answered message (REST splits a reply's
    paragraphs into several messages, so there are fewer bot events than messages)."""
    return events.get("user", 0) == counts["sent"] and counts["ok"] <= events.get("bot", 0) <= counts["replies"]


def stored(tracker_db: Path, sender: str) -> Dict[str, int]:
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute("SELECT type_name, COUNT(*) FROM events WHERE sender_id = ? GROUP BY type_name", (sender,))
        return dict(rows.fetchall())


def main() -> int:
    questions = [q for qs in holdout_questions().values() for q in qs]
    with tempfile.TemporaryDirectory() as workdir, running_stack(Path(workdir)) as stack:
        say(f"{CONVERSATIONS} conversations for {DURATION_S} s against {stack.rest_url} ...")
        started = time.perf_counter()
        counts = asyncio.run(load(stack.rest_url, questions))
        elapsed = time.perf_counter() - started
        sent = sum(c["sent"] for c in counts.values())
        errors = sum(c["sent"] - c["ok"] for c in counts.values())
        missing = sum(not complete(stored(stack.tracker_db, s), c) for s, c in counts.items())

    print(f"\n| load test ({CONVERSATIONS} conversations, {DURATION_S} s) | |\n|---|---:|\n"
          f"| messages | {sent} |\n| messages/s | {sent / elapsed:.1f} |\n"
          f"| p50 (ms) | {percentile(latencies, 50):.0f} |\n| p95 (ms) | {percentile(latencies, 95):.0f} |\n"
          f"| errors | {errors} |\n| conversations with missing events | {missing} |")
    return 1 if errors or missing else 0


if __name__ == "__main__":
    sys.exit(main())
