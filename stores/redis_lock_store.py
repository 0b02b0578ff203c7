"""Rasa's RedisLockStore, safe for several Rasa servers at once.

Rasa's version changes a conversation's ticket lock by reading it, changing it and
writing it back. Two servers doing that at the same moment hand out the same ticket
or delete a lock someone waits on, and then both handle messages of one conversation
at once: seen in tests/test_scale_out.py as lost user messages, a second session
start and interleaved turns. Here each change is a Redis transaction that watches the
lock: if another server changed it in between, the change is done again on the new
lock, at once (no waiting on the event loop, unlike a mutex).

deploy/endpoints.yml: CART_LOCK_STORE=stores.redis_lock_store.AtomicRedisLockStore, with
CART_REDIS_URL (redis://[:password@]host:port/db) and CART_LOCK_PREFIX from the environment
(or `url` and `key_prefix` in the endpoint).
"""
from __future__ import annotations

import json
import os
from typing import Callable, Optional, Text, Tuple

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import DEFAULT_SOCKET_TIMEOUT_IN_SECONDS, LOCK_LIFETIME, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

# What a change does with the lock: write it back, delete it, or leave it as it is.
SET, DELETE, KEEP = "set", "delete", "keep"
Change = Callable[[Optional[TicketLock]], Tuple[Text, Optional[TicketLock], object]]


def redis_url() -> Text:
    return os.environ.get("CART_REDIS_URL") or DEFAULT_REDIS_URL


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        LockStore.__init__(self)
        self.red = redis.Redis.from_url(endpoint_config.url or redis_url(),
                                        socket_timeout=DEFAULT_SOCKET_TIMEOUT_IN_SECONDS)
        self.key_prefix = "lock:"
        self._set_key_prefix(endpoint_config.kwargs.get("key_prefix") or os.environ.get("CART_LOCK_PREFIX") or "cart")

    def _change(self, conversation_id: Text, change: Change) -> object:
        key = self.key_prefix + conversation_id

        def transaction(pipe: redis.client.Pipeline) -> object:
            stored = pipe.get(key)
            action, lock, result = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
            pipe.multi()
            if action == SET:
                pipe.set(key, lock.dumps())
            elif action == DELETE:
                pipe.delete(key)
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]):
            lock = lock or self.create_lock(conversation_id)
            return SET, lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}")

    def update_lock(self, conversation_id: Text) -> None:
        def remove_expired(lock: Optional[TicketLock]):
            if lock is None:
                return KEEP, None, None
            lock.remove_expired_tickets()
            return SET, lock, None

        self._change(conversation_id, remove_expired)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]):
            if lock is None:
                return KEEP, None, None
            lock.remove_ticket_for(ticket_number)
            return (SET, lock, None) if lock.is_someone_waiting() else (DELETE, None, None)

        self._change(conversation_id, finish)
