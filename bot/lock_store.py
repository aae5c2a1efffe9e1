"""Rasa's Redis lock store, with every change to a conversation's lock made atomically.

Rasa's open-source `RedisLockStore` (rasa/core/lock_store.py) reads a lock, changes it in
Rasa, and writes it back. Two servers doing that at once for one conversation overwrite each
other: a ticket just issued vanishes (its message fails with `LockError`), or a ticket just
served comes back and holds the conversation until it expires (a minute of silence). That is
why Rasa sells a concurrent lock store. Here each change runs in a Redis transaction that is
retried when another server changed the lock first (WATCH/MULTI), and the lock goes with its
last ticket. The gateway's routing keeps a conversation on one server; this is the second
line. `bot.launch.lock_store` names it in Rasa's endpoints; it runs in Rasa's environment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket changes cannot overwrite each other."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply `change` to the stored lock in one transaction; again if another came first."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as transaction:
            while True:
                try:
                    transaction.watch(key)
                    stored = transaction.get(key)
                    lock = (
                        TicketLock.from_dict(json.loads(stored))
                        if stored
                        else self.create_lock(conversation_id)
                    )
                    result = change(lock)
                    transaction.multi()
                    if lock.tickets:
                        transaction.set(key, lock.dumps())
                    else:
                        transaction.delete(key)
                    transaction.execute()
                    return result
                except redis.WatchError:
                    continue

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """This ticket is served: remove it, and the lock with the last one."""
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))
