"""stores.sql_tracker_store: Rasa's SQL tracker store, on SQLite with pooled connections and WAL."""
from __future__ import annotations

import asyncio
import sqlite3

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.sql_tracker_store import SQLTrackerStore


def test_sqlite_keeps_its_connection_writes_ahead_and_stores_every_event(tmp_path):
    path = tmp_path / "conversations.db"
    store = SQLTrackerStore(domain=Domain.empty(), host=f"sqlite:///{path}")
    connects = []
    sa.event.listen(store.engine, "connect", lambda *_: connects.append(1))

    async def conversation() -> DialogueStateTracker:
        tracker = DialogueStateTracker("someone", [])
        tracker.update(SessionStarted())
        for text in ("what is car t", "who makes it", "thanks"):
            tracker.update(UserUttered(text, {"name": "basics", "confidence": 0.9}))
            tracker.update(ActionExecuted("action_listen"))
            await store.save(tracker)
            tracker = await store.retrieve("someone")
        return tracker

    tracker = asyncio.run(conversation())
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["what is car t", "who makes it", "thanks"]
    assert len(connects) == 1  # Rasa opens six sessions here; SQLAlchemy's default would connect six times
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = 'someone'").fetchone() == (7,)

