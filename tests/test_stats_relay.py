"""Rasa's event path to the figures. By default Rasa's SQL broker (on a kept connection,
bot/sql_broker.py) writes the events where the figures are folded from; in the scaled set-up
Rasa's own Pika broker publishes them to RabbitMQ and the relay writes them there. Either
way, the figures count them.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pika
import pytest
from sqlalchemy import delete, func, select

from api.stats.relay import relay, relay_seen, write_once
from bot.launch import endpoints
from core.config import Settings
from core.event_broker import SQL_BROKER, broker_events
from tests.databases import ensure_rabbitmq
from tests.rasa_process import run_with_rasa
from tests.staff import Desk
from tests.test_stats import ANSWERED, MORNING, NOT_UNDERSTOOD, OWNER, Broker, empty, overview

pytestmark = pytest.mark.usefixtures(empty.__name__)  # every test starts from empty figures

PUBLISH_WITH_RASA = """
import asyncio, json, sys
import rasa.shared.core.events  # the Rasa server has it imported when its broker publishes
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

config, events = json.load(sys.stdin)

async def publish() -> None:
    broker = await EventBroker.create(EndpointConfig.from_dict(config))
    assert broker is not None and broker.is_ready(), "Rasa could not reach RabbitMQ"
    tasks = set()
    for event in events:
        broker.publish(event)
        tasks |= getattr(broker, "_background_tasks", set())  # Pika publishes in tasks
    for outcome in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(outcome, BaseException):
            raise outcome
    await broker.close()

asyncio.run(publish())
"""


class Collected(Broker):
    """Conversations as `Broker` writes them, kept to be sent through Rasa's Pika broker."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.events: list[dict[str, Any]] = []

    def publish(self, sender_id: str, at: datetime, event: dict[str, Any]) -> None:
        self.events.append({"sender_id": sender_id, "timestamp": at.timestamp(), **event})


@pytest.fixture
def scaled(desk: Desk) -> Iterator[Settings]:
    """The desk's settings with Rasa's events going through RabbitMQ, on a queue of its own."""
    queue = f"seniorveiviser-test-{uuid.uuid4().hex[:12]}"
    settings = desk.settings.model_copy(
        update={"event_broker_amqp_url": ensure_rabbitmq(), "event_broker_queue": queue}
    )
    yield settings
    connection = pika.BlockingConnection(pika.URLParameters(settings.event_broker_amqp_url))
    channel = connection.channel()
    channel.queue_delete(queue)
    channel.exchange_delete(queue)
    connection.close()


def publish_with_rasa(settings: Settings, events: list[dict[str, Any]]) -> None:
    payload = [endpoints(settings)["event_broker"], events]
    run_with_rasa(PUBLISH_WITH_RASA, payload, "Rasa could not publish the events")


def waiting(settings: Settings) -> int:
    """Messages in the queue, delivered or not, that nobody has acknowledged."""
    connection = pika.BlockingConnection(pika.URLParameters(settings.event_broker_amqp_url))
    declared = connection.channel().queue_declare(settings.event_broker_queue, passive=True)
    connection.close()
    return int(declared.method.message_count)


def six_conversations(desk: Desk) -> Collected:
    """Five answered about hjemmesykepleie and one not understood; the broker table empty."""
    collected = Collected(desk)
    with collected.engine.begin() as connection:
        connection.execute(delete(broker_events))
        relay_seen.create(connection, checkfirst=True)
        connection.execute(delete(relay_seen))
    for _ in range(5):
        collected.conversation(ANSWERED, service="hjemmesykepleie")
    collected.conversation([NOT_UNDERSTOOD])
    return collected


def relay_until_done(settings: Settings, collected: Collected) -> list[int]:
    """Run the relay until the queue is empty and every event is in the table; what it moved."""
    stop = threading.Event()
    moved: list[int] = []
    worker = threading.Thread(target=lambda: moved.append(relay(settings, stop)))
    worker.start()
    try:
        deadline = datetime.now() + timedelta(seconds=30)
        while datetime.now() < deadline:
            with collected.engine.connect() as connection:
                rows = connection.scalar(select(func.count()).select_from(broker_events))
            if rows == len(collected.events) and waiting(settings) == 0:
                break
            stop.wait(0.2)
    finally:
        stop.set()
        worker.join(timeout=30)
    return moved


def assert_six_counted(desk: Desk, collected: Collected) -> None:
    collected.fold(MORNING + timedelta(hours=3))
    result = overview(desk, OWNER)
    assert result["conversations"] == 6
    assert result["fallback_rate"] == round(1 / 6, 4)
    assert result["top_services"] == [{"service": "hjemmesykepleie", "conversations": 5}]
    collected.engine.dispose()


def test_rasas_events_reach_the_figures_through_its_sql_broker(desk: Desk) -> None:
    assert endpoints(desk.settings)["event_broker"]["type"] == SQL_BROKER
    collected = six_conversations(desk)
    publish_with_rasa(desk.settings, collected.events)
    with collected.engine.connect() as connection:
        rows = connection.execute(select(broker_events.c.sender_id, broker_events.c.data))
        stored = [(sender, json.loads(data)) for sender, data in rows]
    assert stored == [(event["sender_id"], event) for event in collected.events]
    assert_six_counted(desk, collected)


def test_rasas_events_reach_the_figures_through_rabbitmq(desk: Desk, scaled: Settings) -> None:
    assert endpoints(scaled)["event_broker"]["type"] == "pika"
    collected = six_conversations(desk)
    publish_with_rasa(scaled, collected.events)
    # Not one of Rasa's events: dropped, and acknowledged so it does not come back.
    connection = pika.BlockingConnection(pika.URLParameters(scaled.event_broker_amqp_url))
    connection.channel().basic_publish("", scaled.event_broker_queue, b"<not json>")
    connection.close()
    assert relay_until_done(scaled, collected) == [len(collected.events)]
    assert waiting(scaled) == 0  # every message acknowledged, the stray one too
    assert_six_counted(desk, collected)


def test_a_batch_sent_again_after_a_crash_is_counted_once(desk: Desk, scaled: Settings) -> None:
    collected = six_conversations(desk)
    publish_with_rasa(scaled, collected.events)
    # A relay writes and commits every message, then dies before it acknowledges them.
    connection = pika.BlockingConnection(pika.URLParameters(scaled.event_broker_amqp_url))
    channel = connection.channel()
    bodies: list[bytes] = []
    while len(bodies) < len(collected.events):
        method, _properties, body = channel.basic_get(scaled.event_broker_queue)
        assert method is not None, "Rasa's events did not all reach the queue"
        bodies.append(body)
    with collected.engine.begin() as database:
        assert write_once(database, bodies) == len(collected.events)
    connection.close()  # unacknowledged: RabbitMQ delivers them all again
    assert waiting(scaled) == len(collected.events)

    assert relay_until_done(scaled, collected) == [0]
    assert waiting(scaled) == 0
    assert_six_counted(desk, collected)
