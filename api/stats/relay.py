"""The stats relay: Rasa's events from RabbitMQ into the table the figures are folded from.

In the scaled set-up Rasa's Pika broker publishes every event to a durable queue. The relay
writes them in batches into the broker's `events` table, the same rows Rasa's SQL broker
would write, and acknowledges a batch only once it is committed. So no event is lost while
the database or the relay is down. A crash between commit and acknowledgement sends the batch
again; the digest of every message written is committed with it (`relay_seen`, kept a week),
so a message that comes back is acknowledged without being written twice.

    python -m api.stats relay
"""

import hashlib
import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
)

from core.config import Settings
from core.database import make_engine
from core.event_broker import broker_events, ensure_broker_database

log = logging.getLogger(__name__)
BATCH = 500
WAIT_SECONDS = 1.0  # a batch is written when it is full or the queue has been quiet this long
SEEN_FOR = timedelta(days=7)  # far longer than a message waits to come back after a crash
# The messages already written, by digest: the relay's own table beside the broker's.
relay_seen = Table(
    "relay_seen",
    MetaData(),
    Column("digest", String(32), primary_key=True),
    Column("at", DateTime, nullable=False, index=True),
)


def broker_row(body: bytes) -> dict[str, str] | None:
    """The broker table's row for a message; None for anything but one of Rasa's events."""
    try:
        event: Any = json.loads(body)
    except ValueError:
        return None
    if not isinstance(event, dict) or not isinstance(event.get("sender_id"), str):
        return None
    return {"sender_id": event["sender_id"][:255], "data": json.dumps(event)}


def _digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def write_once(connection: Connection, bodies: list[bytes]) -> int:
    """Write the events among `bodies` that were not written before; how many were new.

    Call it in the transaction that commits them: the digests are committed with the rows.
    """
    fresh = {_digest(body): body for body in bodies}
    if not fresh:
        return 0
    seen = connection.scalars(select(relay_seen.c.digest).where(relay_seen.c.digest.in_(fresh)))
    for digest in seen:
        del fresh[digest]
    if not fresh:
        return 0
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(insert(relay_seen), [{"digest": key, "at": now} for key in fresh])
    connection.execute(delete(relay_seen).where(relay_seen.c.at < now - SEEN_FOR))
    rows = [row for row in map(broker_row, fresh.values()) if row is not None]
    if rows:
        connection.execute(insert(broker_events), rows)
    return len(rows)


def _move_batch(channel: BlockingChannel, engine: Engine, queue: str) -> int:
    """Write up to BATCH waiting events, then acknowledge them; how many were written."""
    bodies: list[bytes] = []
    last_tag: int | None = None
    for method, _properties, body in channel.consume(queue, inactivity_timeout=WAIT_SECONDS):
        if method is None:
            break
        last_tag = method.delivery_tag
        if broker_row(body) is None:
            log.warning("dropped a message on %s that is not one of Rasa's events", queue)
        else:
            bodies.append(body)
        if len(bodies) >= BATCH:
            break
    if last_tag is None:
        return 0
    with engine.begin() as connection:
        written = write_once(connection, bodies)
    channel.basic_ack(last_tag, multiple=True)
    return written


def relay(settings: Settings, stop: threading.Event) -> int:
    """Move events from the queue into the broker table until `stop` is set; how many."""
    if not settings.event_broker_amqp_url:
        raise ValueError("EVENT_BROKER_AMQP_URL is not set: Rasa writes its events itself.")
    ensure_broker_database(settings)
    engine = make_engine(settings.event_broker_url, pool_size=1, max_overflow=0)
    broker_events.create(engine, checkfirst=True)
    relay_seen.create(engine, checkfirst=True)
    connection = pika.BlockingConnection(pika.URLParameters(settings.event_broker_amqp_url))
    written = 0
    try:
        channel = connection.channel()
        channel.queue_declare(settings.event_broker_queue, durable=True)
        channel.basic_qos(prefetch_count=BATCH)
        log.info("relaying Rasa's events from RabbitMQ queue %s", settings.event_broker_queue)
        while not stop.is_set():
            written += _move_batch(channel, engine, settings.event_broker_queue)
        channel.cancel()  # what was delivered but not acknowledged goes back to the queue
    finally:
        connection.close()
        engine.dispose()
    return written
