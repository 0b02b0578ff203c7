"""scripts/forget_conversations.py on trackers that Rasa's own SQLTrackerStore wrote,
on SQLite and on the machine's PostgreSQL."""
from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator

import pytest
import sqlalchemy as sa

from scripts.forget_conversations import forget_conversations

ROOT = Path(__file__).resolve().parent.parent
DAY = 86400

# Unique per run, so the output checks below cannot pass by accident.
RUN = uuid.uuid4().hex[:8]
OLD, RECENT, REVIVED = f"old-{RUN}", f"recent-{RUN}", f"revived-{RUN}"
OLD_TEXT = f"my infusion was long ago {RUN}"


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_store_url(request, tmp_path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'conversations.db'}"


@contextmanager
def tracker_store(url: str) -> Iterator["SQLTrackerStore"]:
    from rasa.shared.core.domain import Domain

    from stores.sql_tracker_store import SQLTrackerStore  # the one endpoints.yml names

    store = SQLTrackerStore(domain=Domain.empty(), host=url)  # creates the events table
    try:
        yield store
    finally:
        store.engine.dispose()  # before postgres_url drops the database


def turn(text: str, at: float) -> list:
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

    return [UserUttered(text, timestamp=at), ActionExecuted("utter_greet", timestamp=at + 1),
            BotUttered(f"reply to {text}", timestamp=at + 2)]


def save_conversations(url: str) -> None:
    """Idle for 40 days; active today; started 40 days ago and active today."""
    from rasa.shared.core.trackers import DialogueStateTracker

    now = time.time()
    conversations = {
        OLD: turn(OLD_TEXT, now - 40 * DAY),
        RECENT: turn("hello today", now - 60),
        REVIVED: turn("hello 40 days ago", now - 40 * DAY) + turn("back again", now - 60)[:1],
    }
    with tracker_store(url) as store:
        for sender_id, events in conversations.items():
            asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, events)))


def events_per_sender(url: str) -> Dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))
            return dict(rows.all())
    finally:
        engine.dispose()


ALL_SAVED = {OLD: 3, RECENT: 3, REVIVED: 4}
KEPT = {RECENT: 3, REVIVED: 4}


def test_forgets_idle_conversations_whole_and_keeps_active_ones_whole(tracker_store_url):
    save_conversations(tracker_store_url)
    assert events_per_sender(tracker_store_url) == ALL_SAVED

    assert forget_conversations(tracker_store_url, days=30) == (1, 3)

    assert events_per_sender(tracker_store_url) == KEPT
    with tracker_store(tracker_store_url) as store:
        assert asyncio.run(store.retrieve(OLD)) is None
        revived = asyncio.run(store.retrieve_full_tracker(REVIVED))
        texts = [e.text for e in revived.events if getattr(e, "text", None)]
        assert texts == ["hello 40 days ago", "reply to hello 40 days ago", "back again"]
        assert len(asyncio.run(store.retrieve(RECENT)).events) == 3
    # Nothing is idle any more.
    assert forget_conversations(tracker_store_url, days=30) == (0, 0)


def test_forgotten_messages_are_left_in_no_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    with tracker_store(url) as server:  # a running server keeps its connection, so the WAL stays
        asyncio.run(server.retrieve(RECENT))
        save_conversations(url)
        assert forget_conversations(url, days=30) == (1, 3)
        files = b"".join(path.read_bytes() for path in tmp_path.glob("conversations.db*"))
    assert OLD_TEXT.encode() not in files and b"hello today" in files


def test_a_longer_retention_keeps_everything(tracker_store_url):
    save_conversations(tracker_store_url)
    assert forget_conversations(tracker_store_url, days=41) == (0, 0)
    assert events_per_sender(tracker_store_url) == ALL_SAVED


def test_dry_run_counts_but_deletes_nothing(tracker_store_url):
    save_conversations(tracker_store_url)
    assert forget_conversations(tracker_store_url, days=30, dry_run=True) == (1, 3)
    assert events_per_sender(tracker_store_url) == ALL_SAVED


def test_missing_events_table_is_nothing_to_forget(tracker_store_url, tmp_path):
    if tracker_store_url.startswith("sqlite"):
        # An SQLite file without Rasa's table (a missing file is never created).
        sqlite3.connect(tmp_path / "conversations.db").execute("CREATE TABLE other (x)").connection.close()
        missing = tmp_path / "missing.db"
        assert forget_conversations(f"sqlite:///{missing}", days=30) == (0, 0)
        assert not missing.exists()
    assert forget_conversations(tracker_store_url, days=30) == (0, 0)


def run_command(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    env.pop("CART_TRACKER_STORE_URL", None)
    return subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "scripts/forget_conversations.py", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_command_line_prints_counts_only(tracker_store_url):
    save_conversations(tracker_store_url)

    dry = run_command("--days", "30", "--url", tracker_store_url, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would delete 1 conversations (3 events)" in dry.stdout
    assert events_per_sender(tracker_store_url) == ALL_SAVED

    done = run_command("--days", "30", "--url", tracker_store_url)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1
    assert "deleted 1 conversations (3 events)" in done.stdout
    output = done.stdout + done.stderr + dry.stdout + dry.stderr
    for private in (RUN, OLD, OLD_TEXT, "hello", "reply to"):
        assert private not in output
    assert events_per_sender(tracker_store_url) == KEPT


def test_command_line_rejects_bad_arguments(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    for days in ("0", "-3", "thirty"):
        result = run_command("--days", days, "--url", url)
        assert result.returncode == 2 and "--days" in result.stderr
    no_url = run_command("--days", "30")
    assert no_url.returncode != 0 and "CART_TRACKER_STORE_URL" in no_url.stderr
    secret = run_command("--days", "30", "--url", "not-a-url:secret-pw")
    assert secret.returncode != 0 and "secret-pw" not in secret.stderr + secret.stdout
