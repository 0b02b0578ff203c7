"""Rasa's RedisLockStore, safe for several Rasa servers at once.

Rasa's version changes a conversation's ticket lock by reading it, changing it and
writing it back. Two servers doing that at the same moment hand out the same ticket
or delete a lock someone waits on, and then both handle messages of one conversation
at once: seen in tests/test_scale_out.py as lost user messages, a second session
start and interleaved turns. Here each of those changes holds a short Redis mutex
(redis-py's Lock: SET NX with an expiry), so they happen one after the other.

endpoints.yml: LOCK_STORE_TYPE=stores.redis_lock_store.AtomicRedisLockStore
"""
from __future__ import annotations

from typing import Text

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MUTEX_TIMEOUT_S = 10  # a holder that died frees the mutex after this


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        # beside the locks ("<prefix>:lock:<id>"), never equal to one of them
        self.mutex_prefix = self.key_prefix[: -len("lock:")] + "mutex:"

    def _mutex(self, conversation_id: Text):
        return self.red.lock(self.mutex_prefix + conversation_id, timeout=MUTEX_TIMEOUT_S,
                             sleep=0.005, blocking_timeout=MUTEX_TIMEOUT_S)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: Text) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
