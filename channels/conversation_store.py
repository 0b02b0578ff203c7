"""Turns an unreachable conversation store into a clear error instead of a blank memory.

Rasa wraps the tracker store in a FailSafeTrackerStore: when the database is down it
logs the error, starts the conversation from scratch and keeps it in memory, so the
user gets answers that ignore everything said before and nothing is saved. With
`fail_on_store_errors(blueprint)` a channel's requests raise ConversationStoreUnavailable
instead; the channel tells the user to try again (REST: 503). The next message after
the database is back works as usual.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa.core.tracker_store import FailSafeTrackerStore
from sanic import Blueprint
from sanic.request import Request

logger = logging.getLogger(__name__)

UNAVAILABLE_TEXT = (
    "Sorry, I can't reach my conversation store right now. Please try again in a few minutes. "
    "If you have warning signs after CAR T, call your CAR T team's 24/7 number now, or 911."
)


class ConversationStoreUnavailable(Exception):
    pass


def _raise_unavailable(error: Exception) -> None:
    # the driver's first line only: SQLAlchemy's message goes on with the statement's
    # parameters, which hold what the user wrote
    reason = str(getattr(error, "orig", None) or error).splitlines()[0] if str(error) else ""
    logger.error(f"Conversation store unavailable: {type(error).__name__}: {reason}")
    raise ConversationStoreUnavailable(type(error).__name__) from error


def raise_on_store_errors(agent: Any) -> None:
    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _raise_unavailable  # Rasa's hook for this, set per agent


def fail_on_store_errors(blueprint: Blueprint) -> None:
    """Applies to each request of the blueprint (an API model reload makes a new agent)."""

    @blueprint.middleware("request")
    async def _guard(request: Request) -> None:
        raise_on_store_errors(getattr(request.app.ctx, "agent", None))
