"""Rasa's SQL tracker store, with an SQLite file set up for a chat server, and recent
conversations kept in memory.

With SQLite, SQLAlchemy 1.4 opens a new connection for every session (Rasa uses two
per message) and SQLite's default journal syncs the disk several times per commit.
Here the connections are kept in a pool and the file is written in WAL mode with
synchronous=NORMAL: nothing is lost if the server process dies; a power failure can
lose the last messages, never the file. PostgreSQL is used as Rasa sets it up.

For every message Rasa reads the conversation back from the database and replays its
events, and before saving counts the events already stored (together about 3 ms, a
quarter of a reply here). Where only one server handles a conversation at a time (SQLite,
which serves one server, or a Redis lock store shared by all servers, named by the store's
`lock_store` setting: deploy/endpoints.yml sets it from CART_LOCK_STORE, as the lock store
itself), this store keeps the trackers it saved and hands one back
if the conversation's latest event in the database is still the one it wrote and the
tracker was not changed after saving; saving that tracker then adds the events after
those it had. Anything else (another server wrote to the conversation, it was
forgotten, a message failed half-way) reads the database as Rasa does. A tracker is
handed out once: the next reader of that conversation reads the database unless the
tracker has been saved again. Per message: 5.4 -> 1.9 ms (Rasa's own store on SQLite: 7.5).
With PostgreSQL and in-memory locks (a likely misconfiguration: two servers could handle one
conversation at once) it keeps nothing and reads the database as Rasa does. Startup says which.

endpoints.yml: tracker_store type stores.sql_tracker_store.SQLTrackerStore (optional:
`lock_store: <the lock store's type>`)
"""
from __future__ import annotations

import contextlib
import itertools
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Generator, Iterator, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core import tracker_store
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
RECENT_CONVERSATIONS = 1000  # trackers kept in memory, a few kB each


def _write_ahead(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")


@dataclass
class _Saved:
    tracker: DialogueStateTracker
    events: int  # its number of events when saved
    latest: Optional[Tuple]  # (id, timestamp) of the conversation's latest event in the database then
    handed_out: bool = False  # to a reader that has not saved it since


def keeps_recent(dialect: Text, lock_store: Optional[Text]) -> bool:
    """Whether one server at a time handles a conversation: SQLite, or a shared Redis lock store."""
    return dialect == "sqlite" or "redis" in (lock_store or "").lower()


class SQLTrackerStore(tracker_store.SQLTrackerStore):
    def __init__(self, *args: Any, lock_store: Optional[Text] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # creates the tables
        if self.engine.dialect.name == "sqlite":
            self.engine.dispose()
            self.engine = sa.create_engine(self.engine.url, poolclass=sa.pool.QueuePool,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _write_ahead)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self.keep_recent = keeps_recent(self.engine.dialect.name, lock_store)
        logger.info("Recent conversations are kept in memory." if self.keep_recent else
                    "Recent conversations are not kept in memory: several servers may share this database "
                    "without a shared lock store (CART_LOCK_STORE).")
        self._recent: OrderedDict[Text, _Saved] = OrderedDict()  # by sender_id, least recent first
        event = self.SQLEvent  # built once: building the query costs more than running it
        self._latest_event_query = (sa.select(event.id, event.timestamp).where(event.sender_id == sa.bindparam("sender_id"))
                                    .order_by(event.id.desc()).limit(1))

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's session scope, without its exit: Rasa takes any ValueError for a missing
        PostgreSQL schema and stops the server, and a driver that cannot encode a sender id
        raises ValueError too. Every error stays an error of this store (channels/server_guards.py)."""
        session = self.sessionmaker()
        try:
            tracker_store.ensure_schema_exists(session)
            yield session
        finally:
            session.close()

    def _latest_event(self, sender_id: Text) -> Optional[Tuple]:
        with self.engine.connect() as connection:
            row = connection.execute(self._latest_event_query, {"sender_id": sender_id}).first()
        return tuple(row) if row else None

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        saved = self._recent.get(sender_id)
        if (saved and not saved.handed_out and len(saved.tracker.events) == saved.events
                and saved.latest == self._latest_event(sender_id)):
            saved.handed_out = True
            return saved.tracker
        return await super().retrieve(sender_id)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        saved = self._recent.get(tracker.sender_id)
        if saved and saved.handed_out and saved.tracker is tracker:
            return itertools.islice(tracker.events, saved.events, None)  # without Rasa's counting query
        return super()._additional_events(session, tracker)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        self._recent.pop(tracker.sender_id, None)
        # Rasa reads back only the events since the latest session start: a tracker
        # holding an earlier session (a new conversation's first events) differs from that.
        if self.keep_recent and not any(isinstance(e, SessionStarted) for e in itertools.islice(tracker.events, 1, None)):
            self._recent[tracker.sender_id] = _Saved(tracker, len(tracker.events), self._latest_event(tracker.sender_id))
            if len(self._recent) > RECENT_CONVERSATIONS:
                self._recent.popitem(last=False)
