"""stores.sql_tracker_store: Rasa's SQL tracker store, on SQLite with pooled connections and WAL,
with recent conversations in memory."""
from __future__ import annotations

import asyncio
import json
import logging
import sqlite3

import pytest
import sqlalchemy as sa
from rasa.core import tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from helpers import ROOT, load_yaml
from stores.sql_tracker_store import SQLTrackerStore, keeps_recent


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



def events(tracker) -> list:
    """As stored and sent to the action server: JSON (in memory, token spans are tuples)."""
    return json.loads(json.dumps([e.as_dict() for e in tracker.events]))


def test_a_conversation_continues_from_memory_exactly_as_from_the_database(agent, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    store = SQLTrackerStore(domain=agent.domain, host=url)
    monkeypatch.setattr(agent.processor, "tracker_store", store)
    read_from_database = []
    rasa_retrieve = tracker_store.SQLTrackerStore.retrieve
    monkeypatch.setattr(tracker_store.SQLTrackerStore, "retrieve",
                        lambda self, sender_id: read_from_database.append(self) or rasa_retrieve(self, sender_id))

    async def conversation() -> None:
        for text in ("hi", "what is car t", "what is crs", "thanks"):
            await agent.handle_text(text, sender_id="someone")

    asyncio.run(conversation())
    # The first message creates the conversation, whose first events hold the session's
    # start; from the database from then on.
    assert read_from_database == [store, store]
    in_memory = asyncio.run(store.retrieve("someone"))
    assert read_from_database == [store, store]
    from_database = asyncio.run(SQLTrackerStore(domain=agent.domain, host=url).retrieve("someone"))
    assert events(in_memory) == events(from_database)
    assert [e.text for e in in_memory.events if isinstance(e, UserUttered)] == ["hi", "what is car t", "what is crs", "thanks"]


@pytest.mark.parametrize("meanwhile", ["nothing", "another server wrote", "forgotten", "changed after saving",
                                       "handed out already"])
def test_the_database_decides_unless_the_tracker_in_memory_is_what_it_holds(tmp_path, meanwhile):
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    store, other_server = (SQLTrackerStore(domain=Domain.empty(), host=url) for _ in range(2))

    async def scenario():
        tracker = DialogueStateTracker("someone", [])
        tracker.update(SessionStarted())
        tracker.update(UserUttered("what is car t", {"name": "basics", "confidence": 0.9}))
        await store.save(tracker)
        if meanwhile == "another server wrote":
            theirs = await other_server.retrieve("someone")
            theirs.update(UserUttered("who makes it", {"name": "basics", "confidence": 0.9}))
            await other_server.save(theirs)
        elif meanwhile == "forgotten":
            with store.engine.begin() as connection:
                connection.execute(sa.text("DELETE FROM events"))
        elif meanwhile == "changed after saving":
            tracker.update(ActionExecuted("action_listen"))
        elif meanwhile == "handed out already":
            assert await store.retrieve("someone") is tracker
        return tracker, await store.retrieve("someone"), await other_server.retrieve("someone")

    saved, retrieved, in_database = asyncio.run(scenario())
    assert (retrieved is saved) is (meanwhile == "nothing")
    if in_database is None:
        assert retrieved is None
    else:
        assert events(retrieved) == events(in_database)


@pytest.mark.parametrize("dialect, lock_store, kept", [
    ("sqlite", None, True),  # one server per file
    ("postgresql", None, False),  # Rasa's in-memory locks: another server may handle the conversation
    ("postgresql", "in_memory", False),
    ("postgresql", "stores.redis_lock_store.AtomicRedisLockStore", True),
])
def test_recent_conversations_are_kept_only_where_one_server_handles_a_conversation(dialect, lock_store, kept):
    assert keeps_recent(dialect, lock_store) is kept


def test_startup_says_whether_recent_conversations_are_kept(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="stores.sql_tracker_store"):
        SQLTrackerStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'c.db'}", lock_store="in_memory")
    assert "Recent conversations are kept in memory." in caplog.text


def test_the_deployment_names_its_lock_store_to_the_tracker_store():
    """The tracker store decides from the same setting that chooses the lock store."""
    endpoints = load_yaml(ROOT / "deploy" / "endpoints.yml")
    assert endpoints["tracker_store"]["lock_store"] == endpoints["lock_store"]["type"] == "${CART_LOCK_STORE}"
