"""Deliver handoffs to the API at least once; its idempotency key makes it exactly once.

The action writes the ticket to the outbox in the same database as everything else, then
tries to deliver it at once. Whatever is still pending is retried, with growing pauses, by
the outbox worker (`python -m actions.handoff`), until the API has it.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from core.clock import utc_now
from core.idempotency import add_once
from core.outbox import OutboxEntry

log = logging.getLogger(__name__)
MAX_PAUSE_SECONDS = 300.0


@dataclass(frozen=True)
class Delivery:
    """Where and as whom to deliver."""

    api_url: str
    token: str | None
    timeout_seconds: float = 5.0


def enqueue(
    sessions: sessionmaker[Session],
    key: str,
    conversation_id: str,
    payload: dict[str, Any],
    held_seconds: float = 0.0,
) -> OutboxEntry:
    """Store the handoff (once per key); from here on it cannot be lost.

    `held_seconds` keeps the workers off a new entry while its writer tries it at once.
    """
    with sessions() as session:
        entry = OutboxEntry(
            idempotency_key=key,
            conversation_id=conversation_id,
            payload=payload,
            next_attempt_at=utc_now() + timedelta(seconds=held_seconds),
        )
        same = select(OutboxEntry).where(OutboxEntry.idempotency_key == key)
        entry, created = add_once(session, entry, same)
        if created:
            session.commit()
        return entry


def pause_after(attempts: int) -> float:
    """Seconds before the next try: 1, 2, 4 … up to 5 minutes, with a little jitter."""
    return float(min(MAX_PAUSE_SECONDS, 2.0 ** max(attempts - 1, 0)) * random.uniform(0.8, 1.2))


def _post(client: httpx.Client, entry: OutboxEntry, delivery: Delivery) -> str:
    response = client.post(
        f"{delivery.api_url}/api/tickets",
        json=entry.payload,
        headers={
            "Idempotency-Key": entry.idempotency_key,
            "Authorization": f"Bearer {delivery.token or ''}",
        },
        timeout=delivery.timeout_seconds,
    )
    response.raise_for_status()
    return str(response.json()["reference"])


def claim(
    session: Session, entry_id: int, now: datetime, lease_seconds: float, first_try: bool = False
) -> bool:
    """Take a due entry for one try, atomically; False if another worker has it or it isn't due.

    The claim moves `next_attempt_at` past the try's timeout, so no other worker picks the
    entry up meanwhile, and one that crashes mid-try leaves it due again afterwards. The
    `first_try` of a new entry's writer takes it while it is still held for that try.
    """
    due = (
        (OutboxEntry.attempts == 0)
        & (OutboxEntry.next_attempt_at <= now + timedelta(seconds=lease_seconds))
        if first_try
        else OutboxEntry.next_attempt_at <= now
    )
    claimed = session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id, OutboxEntry.delivered_at.is_(None), due)
        .values(next_attempt_at=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def lease_seconds(delivery: Delivery) -> float:
    """How long one try may hold an entry: past its timeout, with room to write the result."""
    return 2 * delivery.timeout_seconds + 1


def deliver(
    sessions: sessionmaker[Session],
    entry_id: int,
    delivery: Delivery,
    client: httpx.Client,
    first_try: bool = False,
) -> str | None:
    """Try once to deliver one entry, if it is due; its ticket reference, or None if pending."""
    with sessions() as session:
        if not claim(session, entry_id, utc_now(), lease_seconds(delivery), first_try):
            entry = session.get(OutboxEntry, entry_id)  # erased, delivered, or not due
            return entry.ticket_reference if entry is not None else None
        entry = session.get(OutboxEntry, entry_id)
        if entry is None:  # erased by the person meanwhile
            return None
        try:
            reference = _post(client, entry, delivery)
        except (httpx.HTTPError, KeyError, ValueError) as error:
            entry.attempts += 1
            entry.next_attempt_at = utc_now() + timedelta(seconds=pause_after(entry.attempts))
            entry.last_error = str(error)[:300]
            session.commit()
            log.warning("handoff %s pending (try %d): %s", entry.id, entry.attempts, error)
            return None
        entry.delivered_at = utc_now()
        entry.ticket_reference = reference
        entry.payload = {}  # the API has it now; keep no second copy of personal details
        entry.last_error = None
        session.commit()
        return reference


def due_entries(sessions: sessionmaker[Session], now: datetime, limit: int = 50) -> list[int]:
    with sessions() as session:
        return list(
            session.scalars(
                select(OutboxEntry.id)
                .where(OutboxEntry.delivered_at.is_(None), OutboxEntry.next_attempt_at <= now)
                .order_by(OutboxEntry.next_attempt_at, OutboxEntry.id)
                .limit(limit)
            )
        )


def deliver_due(sessions: sessionmaker[Session], delivery: Delivery, client: httpx.Client) -> int:
    """One pass over what is due; how many were delivered."""
    delivered = 0
    for entry_id in due_entries(sessions, utc_now()):
        if deliver(sessions, entry_id, delivery, client) is not None:
            delivered += 1
    return delivered
