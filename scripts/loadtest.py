"""Load test: 50 conversations at once for 60 s against one Rasa server on loopback.

    make loadtest

Starts the servers as `make run` does (scripts/servers.py, default SQLite store), runs
the conversations with the benchmark's asyncio client (each pauses 0.5-1.5 s after a
reply, as people do), then checks that every conversation's messages and replies are in
the tracker store, and times `make review` on that store (more messages than a busy
site's day). Prints throughput, latency percentiles and errors; exits 1 on any error or
missing event, or if the review takes 30 s or more. Bounded: 60 s of load, 60 s timeout
per message.
"""
from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict

from scripts.bench import PAUSE_S, conversations, percentile, say
from scripts.evaluate_nlu import holdout_questions
from scripts.servers import running_stack

CONVERSATIONS, DURATION_S = 50, 60
REVIEW_TARGET_S = 30
ROOT = Path(__file__).resolve().parent.parent


def complete(events: Dict[str, int], counts: Dict[str, int]) -> bool:
    """Every message sent, and a bot event per answered message (an answer without a reply
    shows up here too)."""
    return events.get("user", 0) == counts["sent"] and counts["ok"] <= events.get("bot", 0) <= counts["replies"]


def stored(tracker_db: Path, sender: str) -> Dict[str, int]:
    """Event counts by type of a REST sender's conversation (stored as rest:<sender>)."""
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute("SELECT type_name, COUNT(*) FROM events WHERE sender_id = ? GROUP BY type_name",
                          (f"rest:{sender}",))
        return dict(rows.fetchall())


def time_review(tracker_db: Path, out: Path) -> float:
    """Seconds `make review DAYS=1` takes on the store the load test filled (issue 21's target:
    under 30 s for a day of conversations)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "review.py"), "--days", "1",
                    "--store", f"sqlite:///{tracker_db}", "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - started


def main() -> int:
    questions = holdout_questions()
    with tempfile.TemporaryDirectory() as workdir, running_stack(Path(workdir)) as stack:
        say(f"{CONVERSATIONS} conversations for {DURATION_S} s against {stack.rest_url} ...")
        started = time.perf_counter()
        latencies, counts = asyncio.run(
            conversations(stack.rest_url, questions, CONVERSATIONS, PAUSE_S, seconds=DURATION_S))
        elapsed = time.perf_counter() - started
        sent = sum(c["sent"] for c in counts.values())
        errors = sum(c["sent"] - c["ok"] for c in counts.values())
        missing = sum(not complete(stored(stack.tracker_db, s), c) for s, c in counts.items())
        review_s = time_review(stack.tracker_db, Path(workdir) / "review")

    print(f"\n| load test ({CONVERSATIONS} conversations, {DURATION_S} s) | |\n|---|---:|\n"
          f"| messages | {sent} |\n| messages/s | {sent / elapsed:.1f} |\n"
          f"| p50 (ms) | {percentile(latencies, 50):.0f} |\n| p95 (ms) | {percentile(latencies, 95):.0f} |\n"
          f"| errors | {errors} |\n| conversations with missing events | {missing} |\n"
          f"| `make review` of this store (s, target < {REVIEW_TARGET_S}) | {review_s:.1f} |")
    return 1 if errors or missing or review_s >= REVIEW_TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
