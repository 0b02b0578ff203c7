"""Rasa's SQL tracker store, with an SQLite file set up for a chat server.

With SQLite, SQLAlchemy 1.4 opens a new connection for every session (Rasa uses two
per message) and SQLite's default journal syncs the disk several times per commit.
Here the connections are kept in a pool and the file is written in WAL mode with
synchronous=NORMAL: nothing is lost if the server process dies; a power failure can
lose the last messages, never the file. PostgreSQL is used as Rasa sets it up.

endpoints.yml: tracker_store type stores.sql_tracker_store.SQLTrackerStore
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core import tracker_store


def _write_ahead(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")


class SQLTrackerStore(tracker_store.SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # creates the tables
        if self.engine.dialect.name == "sqlite":
            self.engine.dispose()
            self.engine = sa.create_engine(self.engine.url, poolclass=sa.pool.QueuePool,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _write_ahead)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
