"""Deletes conversations idle for more than N days from Rasa's SQL tracker store (data retention).

A conversation is a sender_id in the `events` table of rasa.core.tracker_store.SQLTrackerStore.
Every event of a conversation whose latest event is older than now - N days is deleted,
in one transaction; conversations with a newer event are kept whole, so none is left
half-deleted. Works on SQLite and PostgreSQL. Prints only counts: no sender ids, no texts.

Usage: python scripts/forget_conversations.py --days N [--url SQLALCHEMY_URL] [--dry-run]

--url defaults to CART_TRACKER_STORE_URL, the variable deploy/endpoints.yml gives the Rasa server
(sqlite:///conversations.db, postgresql://user:password@host:5432/cart). Normally run as
`make forget-conversations DAYS=30`, which takes CART_TRACKER_STORE_URL from the server's defaults
(scripts/defaults.env) unless the environment sets it, and runs from the repository root, where
the server resolves a relative SQLite path too.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Optional, Tuple

import sqlalchemy as sa

# Conversations whose latest event is older than the cutoff. Grouping by sender_id decides
# per whole conversation, so an old conversation with one recent event is kept.
STALE = "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"


def forget_conversations(url: str, days: int, dry_run: bool = False,
                         now: Optional[float] = None) -> Tuple[int, int]:
    """Deletes (or with dry_run counts) the conversations idle for more than `days` days.
    Returns (conversations, events)."""
    cutoff = (time.time() if now is None else now) - days * 86400
    parsed = sa.engine.make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    # Connecting to a missing SQLite file would create an empty one (a mistyped path
    # would leave a stray file); there is nothing to forget there.
    if sqlite and parsed.database not in (None, "", ":memory:") and not Path(parsed.database).exists():
        return 0, 0
    engine = sa.create_engine(parsed)
    try:
        with engine.begin() as connection:
            # The Rasa server creates the table on start; before that there is nothing to do.
            if not sa.inspect(connection).has_table("events"):
                return 0, 0
            conversations, events = connection.execute(
                sa.text(f"SELECT COUNT(DISTINCT sender_id), COUNT(*) FROM events "
                        f"WHERE sender_id IN ({STALE})"), {"cutoff": cutoff}).one()
            if dry_run or not conversations:
                return conversations, events
            if sqlite:  # overwrite the deleted text instead of leaving it in free pages
                connection.execute(sa.text("PRAGMA secure_delete=ON"))
            # One statement re-evaluates the stale set, so a conversation that got a
            # new event since the count is still kept whole.
            events = connection.execute(
                sa.text(f"DELETE FROM events WHERE sender_id IN ({STALE})"),
                {"cutoff": cutoff}).rowcount
        if sqlite:  # and out of the write-ahead log the server writes (stores/sql_tracker_store.py)
            with engine.connect() as connection:
                connection.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return conversations, events
    finally:
        engine.dispose()


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of days: {value}")
    return value


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=positive_int, required=True,
                        help="delete conversations whose latest event is older than this many days")
    parser.add_argument("--url", default=os.environ.get("CART_TRACKER_STORE_URL"),
                        help="SQLAlchemy URL of the tracker store (default: $CART_TRACKER_STORE_URL)")
    parser.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
    args = parser.parse_args(argv)
    if not args.url:
        parser.exit(2, "forget_conversations: no tracker store: pass --url or set CART_TRACKER_STORE_URL\n")
    try:
        conversations, events = forget_conversations(args.url, args.days, args.dry_run)
    except sa.exc.ArgumentError:
        # SQLAlchemy's message would repeat the URL, password included.
        parser.exit(2, "forget_conversations: --url/CART_TRACKER_STORE_URL is not an SQLAlchemy URL\n")
    except sa.exc.SQLAlchemyError as error:
        # The driver's message (host, user, reason) without SQLAlchemy's statement dump.
        parser.exit(1, f"forget_conversations: {str(error.args[0] if error.args else error).strip()}\n")
    verb = "would delete" if args.dry_run else "deleted"
    print(f"forget_conversations: {verb} {conversations} conversations ({events} events) "
          f"idle for more than {args.days} days")


if __name__ == "__main__":
    main()
