"""The API's metrics: one registry per app, so tests can run several apps in one process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from prometheus_fastapi_instrumentator import Instrumentator
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette

from api.tickets.models import Status, Ticket
from core.clock import utc_now
from core.outbox import OutboxEntry

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass(frozen=True)
class GatewayMetrics:
    """What the chat gateway counts as it talks to the assistant."""

    registry: CollectorRegistry
    in_flight: Gauge
    reply_seconds: Histogram
    overloaded: Counter

    @classmethod
    def create(cls) -> GatewayMetrics:
        registry = CollectorRegistry()
        return cls(
            registry=registry,
            in_flight=Gauge(
                "assistant_messages_in_flight",
                "Messages the assistant is working on now.",
                registry=registry,
            ),
            reply_seconds=Histogram(
                "assistant_reply_seconds",
                "Time from sending a message to the assistant to its replies.",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            overloaded=Counter(
                "assistant_overloaded",
                "Messages answered 503 because no slot towards the assistant came free in time.",
                registry=registry,
            ),
        )


class QueueCollector(Collector):
    """Handoff outbox and ticket queues, read from the database at each scrape."""

    def __init__(self, sessions: Callable[[], sessionmaker[Session]]) -> None:
        self._sessions = sessions

    def collect(self) -> Iterator[Metric]:
        now = utc_now()
        with self._sessions()() as session:
            pending, oldest_pending = session.execute(
                select(func.count(), func.min(OutboxEntry.created_at)).where(
                    OutboxEntry.delivered_at.is_(None)
                )
            ).one()
            open_tickets = session.execute(
                select(Ticket.district_slug, Ticket.status, func.count())
                .where(Ticket.status != Status.RESOLVED)
                .group_by(Ticket.district_slug, Ticket.status)
            ).all()
            oldest_new = session.execute(
                select(Ticket.district_slug, func.min(Ticket.created_at))
                .where(Ticket.status == Status.NEW)
                .group_by(Ticket.district_slug)
            ).all()
        yield GaugeMetricFamily(
            "handoff_outbox_pending", "Handoffs not yet delivered to the API.", value=pending
        )
        yield GaugeMetricFamily(
            "handoff_outbox_oldest_pending_seconds",
            "Age of the oldest handoff not yet delivered (0 when none).",
            value=_age(now, oldest_pending),
        )
        tickets = GaugeMetricFamily(
            "tickets_open",
            "Tickets not resolved, by district and status.",
            labels=["district", "status"],
        )
        for district, status, count in open_tickets:
            tickets.add_metric([district, status], count)
        yield tickets
        unclaimed = GaugeMetricFamily(
            "tickets_oldest_unclaimed_seconds",
            "Age of the oldest ticket nobody has claimed, by district.",
            labels=["district"],
        )
        for district, created_at in oldest_new:
            unclaimed.add_metric([district], _age(now, created_at))
        yield unclaimed


def _age(now: datetime, then: datetime | None) -> float:
    """Seconds from `then` to `now`; 0 without a `then`."""
    return max((now - then).total_seconds(), 0.0) if then is not None else 0.0


def instrument(app: Starlette, metrics: GatewayMetrics) -> None:
    """Request latency by route template (never the raw path: conversation ids are secrets)."""
    Instrumentator(registry=metrics.registry, excluded_handlers=["/metrics"]).instrument(
        app, latency_lowr_buckets=LATENCY_BUCKETS
    )
    metrics.registry.register(QueueCollector(lambda: app.state.sessions))
