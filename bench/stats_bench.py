"""Figures benchmark: a year of synthetic conversations folded day by day, rebuilt, then read.

Writes Rasa's SQL-broker events (the `events` table, one JSON event a row, as Rasa 3.6
writes them) and the API's own ticket and feedback events (`stats_event`) for every day of
a year, folding after each day as the API does. Then prints:

- the time to fold one day's increment (every day of the year; target under 5 s),
- the time of a full rebuild: every event of the year published again into empty tables
  and folded at once,
- p50/p95 of `GET /api/stats/overview` over the whole year and of each CSV export, over real
  HTTP as the service owner (target p95 under 200 ms).

    python bench/stats_bench.py [--conversations 600000] [--database sqlite|postgresql]

600,000 conversations a year is ten times Oslo's likely volume (about 1,650 a day).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import Engine, delete, insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.accounts import service as accounts  # noqa: E402
from api.accounts.models import Role, StaffAccount  # noqa: E402
from api.main import create_app  # noqa: E402
from api.stats.consumer import fold  # noqa: E402
from api.stats.models import StatsEvent  # noqa: E402
from api.stats.views import SCOPED_TABLES  # noqa: E402
from core.config import Settings  # noqa: E402
from core.database import Base, make_engine, make_session_factory  # noqa: E402
from core.event_broker import broker_events, ensure_broker_database  # noqa: E402
from core.migrations import upgrade_database  # noqa: E402
from core.office_hours import OSLO  # noqa: E402
from services_catalog.loader import load_catalogue  # noqa: E402
from tests.servers import serve  # noqa: E402

OSLO_VOLUME = 60_000  # conversations a year we expect in Oslo; the target is ten times that
FIRST_DAY = date(2025, 12, 1)
DAYS = 365
WAIT = timedelta(hours=2)  # fold this long after the day's last conversation began
CSV_TABLES = (*SCOPED_TABLES, "feedback", "unanswered")
NEED_SHARE = 0.3  # conversations that begin by describing a need
INTENTS = ("ask_service", "ask_price", "ask_apply", "inform")
LANGUAGES = (("nb", 0.88), ("nn", 0.04), ("en", 0.08))
QUESTIONS = (
    "kan dere fikse taket mitt",
    "hvor kan jeg parkere ved sykehjemmet",
    "hva er åpningstidene på biblioteket",
    "kan jeg få hjelp til å søke om bostøtte",
    "hvem betaler for fotpleie",
    "hva koster en rullator hos hjelpemiddelsentralen",
)
# What happened in a conversation, and how often (the turns Rasa ran, see `Conversation`).
KINDS = (
    ("answered", 0.55),
    ("small_talk", 0.05),
    ("fallback_unresolved", 0.08),
    ("fallback_then_answered", 0.08),
    ("out_of_scope", 0.05),
    ("handoff", 0.12),
    ("handoff_left_open", 0.03),
    ("emergency", 0.02),
    ("answered_twice", 0.02),
)


@dataclass
class World:
    """What the synthetic conversations are about: the catalogue's districts, services, needs."""

    districts: list[str]
    services: list[str]
    service_weights: list[float]
    needs: list[str]


def _world() -> World:
    catalogue = load_catalogue()
    services = [service.slug for service in catalogue.services]
    # A few services are asked about far more than the rest (Zipf-like).
    weights = [1 / (rank + 1) for rank in range(len(services))]
    districts = [district.slug for district in catalogue.districts]
    return World(districts, services, weights, [need.slug for need in catalogue.needs])


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in pairs], [weight for _, weight in pairs])[0]


class Day:
    """One day's events: Rasa's (broker rows) and the API's (ticket and feedback rows)."""

    def __init__(self, world: World, rng: random.Random, day: date, conversations: int) -> None:
        self.world = world
        self.rng = rng
        self.day = day
        self.broker: list[dict[str, Any]] = []
        self.app: list[dict[str, Any]] = []
        for number in range(conversations):
            self.conversation(number)

    def publish(self, sender_id: str, at: datetime, event: dict[str, Any]) -> None:
        row = {"sender_id": sender_id, "timestamp": at.timestamp(), **event}
        self.broker.append({"sender_id": sender_id, "data": json.dumps(row)})

    def conversation(self, number: int) -> None:
        rng = self.rng
        hour = min(22, max(6, int(rng.gauss(13, 3.5))))
        local = datetime.combine(self.day, clock_time(hour, rng.randrange(60)), OSLO)
        at = local.astimezone(UTC)
        telegram = rng.random() < 0.3
        sender = (
            f"telegram:{rng.randrange(1, 40_000)}"  # chats come back: verified containment
            if telegram
            else f"web:{self.day:%Y%m%d}-{number}-{rng.getrandbits(48):x}"
        )
        district = rng.choice(self.world.districts) if rng.random() < 0.85 else None
        service = rng.choices(self.world.services, self.world.service_weights)[0]
        language = _weighted(rng, LANGUAGES)
        kind = _weighted(rng, KINDS)

        def turn(text: str, intent: str, *actions: str) -> None:
            nonlocal at
            at += timedelta(seconds=rng.randrange(15, 90))
            user = {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}
            self.publish(sender, at, user)
            if district and intent not in ("greet", "nlu_fallback"):
                self.publish(sender, at, {"event": "slot", "name": "district", "value": district})
            if intent.startswith("ask_"):
                self.publish(sender, at, {"event": "slot", "name": "service", "value": service})
            if intent == "describe_need":
                needs = rng.sample(self.world.needs, rng.randint(1, 2))
                self.publish(sender, at, {"event": "slot", "name": "needs", "value": needs})
            for action in actions:
                if action == "handoff_form":
                    self.publish(sender, at, {"event": "active_loop", "name": "handoff_form"})
                self.publish(sender, at, {"event": "action", "name": action})
                if action == "action_submit_handoff":
                    self.publish(sender, at, {"event": "active_loop", "name": None})
                self.publish(sender, at, {"event": "bot", "text": "Svar."})
            self.publish(sender, at, {"event": "action", "name": "action_listen"})

        self.publish(sender, at, {"event": "action", "name": "action_session_start"})
        self.publish(sender, at, {"event": "session_started"})
        self.publish(sender, at, {"event": "slot", "name": "language", "value": language})
        question = rng.choice(QUESTIONS)
        ask = rng.choice(INTENTS[:3])
        if kind == "small_talk":
            turn("hei", "greet", "utter_greet")
        elif kind in ("fallback_unresolved", "fallback_then_answered"):
            turn(f"{question} {number}", "nlu_fallback", "action_clarify")
            if kind == "fallback_then_answered":
                turn("hjemmesykepleie", ask, "action_answer_service")
        elif kind == "out_of_scope":
            turn(f"{question} {number}", "out_of_scope", "action_out_of_scope")
        elif kind == "emergency":
            turn("mor har falt og puster ikke", "emergency", "action_emergency")
        else:
            if rng.random() < NEED_SHARE:
                turn("mor er mye alene", "describe_need", "action_suggest_services")
            turn("hva koster det", ask, "action_answer_service")
            if kind == "answered_twice":
                turn("og hvordan søker jeg", "ask_apply", "action_answer_service")
            if kind.startswith("handoff"):
                turn("jeg vil snakke med en person", "request_human", "handoff_form")
            if kind == "handoff":
                turn("ja", "affirm", "action_submit_handoff")
                self.ticket(at, district or rng.choice(self.world.districts), service, language)
        if kind in ("answered", "answered_twice") and rng.random() < 0.2:
            self.app.append(
                {
                    "kind": "feedback",
                    "at": at + timedelta(seconds=20),
                    "channel": "telegram" if telegram else "web",
                    "service": service,
                    "aspect": rng.choice(("price", "apply", "general")),
                    "language": language,
                    "helpful": rng.random() < 0.8,
                }
            )

    def ticket(self, opened: datetime, district: str, service: str, language: str) -> None:
        """A ticket that came, was claimed, answered (mostly) and resolved."""
        rng = self.rng
        due = (opened + timedelta(days=2)).astimezone(OSLO).date()
        common = {
            "channel": "web",
            "district": district,
            "language": language,
            "service": service,
            "opened_at": opened,
            "due": due,
        }
        claimed = opened + timedelta(minutes=rng.randrange(5, 60 * 30))
        replied = claimed + timedelta(minutes=rng.randrange(1, 60 * 20))
        moments = [("ticket_opened", opened), ("ticket_claimed", claimed)]
        if rng.random() < 0.9:
            moments += [("ticket_replied", replied), ("ticket_resolved", replied)]
        self.app += [{"kind": kind, "at": at, **common} for kind, at in moments]


@dataclass
class Store:
    """The API's database and Rasa's broker database, both fresh."""

    settings: Settings
    sessions: sessionmaker[Session]
    broker: Engine

    def publish(self, day: Day) -> None:
        with self.broker.begin() as connection:
            for start in range(0, len(day.broker), 20_000):
                connection.execute(insert(broker_events), day.broker[start : start + 20_000])
        # The API's events come in time order across days (a ticket's reply may be tomorrow's).
        with self.sessions() as session, session.begin():
            if day.app:
                session.execute(insert(StatsEvent), day.app)

    def fold(self, now: datetime) -> float:
        started = time.perf_counter()
        with self.sessions() as session:
            fold(session, self.broker, self.settings.office_hours, now)
        return time.perf_counter() - started

    def empty(self) -> None:
        """Every figure and working table emptied, the cursors back at the start."""
        with self.sessions() as session, session.begin():
            for table in reversed(Base.metadata.sorted_tables):
                if table.name.startswith("stats_"):
                    session.execute(delete(table))
        with self.broker.begin() as connection:
            connection.execute(delete(broker_events))


@contextmanager
def fresh_store(kind: str, folder: Path) -> Iterator[Store]:
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'bench.db'}"
    else:
        url = f"postgresql://root@127.0.0.1:5432/stats_bench_{int(time.time())}"
        with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{make_url(url).database}"')
    settings = Settings(
        database_url=url,
        secrets_dir=folder / "secrets",
        tracker_sqlite_path=str(folder / "rasa-tracker.db"),
        stats_interval_seconds=24 * 3600.0,  # the bench folds, not the API
    )
    upgrade_database(url)
    ensure_broker_database(settings)
    engine = make_engine(url)
    broker = make_engine(settings.event_broker_url)
    broker_events.create(broker, checkfirst=True)
    try:
        yield Store(settings, make_session_factory(engine), broker)
    finally:
        engine.dispose()
        broker.dispose()
        if kind == "postgresql":
            with psycopg.connect(
                "postgresql://root@127.0.0.1:5432/postgres", autocommit=True
            ) as db:
                for name in (make_url(url).database, make_url(settings.event_broker_url).database):
                    db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fold_time(day: date) -> datetime:
    """When the day's fold runs: after every conversation of the day has gone quiet."""
    return datetime.combine(day + timedelta(days=1), clock_time(1), OSLO).astimezone(UTC)


def _days(world: World, per_day: list[int], seed: int) -> Iterator[Day]:
    rng = random.Random(seed)
    for offset, count in enumerate(per_day):
        yield Day(world, rng, FIRST_DAY + timedelta(days=offset), count)


def _per_day(conversations: int, seed: int) -> list[int]:
    """Conversations a day: fewer at weekends, more in winter, summing to `conversations`."""
    rng = random.Random(seed)
    shape = []
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        weekend = 0.5 if day.weekday() >= 5 else 1.0
        season = 1.15 if day.month in (1, 2, 3, 10, 11, 12) else 0.85
        shape.append(weekend * season * rng.uniform(0.9, 1.1))
    total = sum(shape)
    counts = [int(conversations * weight / total) for weight in shape]
    for offset in range(conversations - sum(counts)):  # what rounding down left over
        counts[offset] += 1
    return counts


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"


def _owner_token(store: Store) -> str:
    with store.sessions() as session, session.begin():
        owner = StaffAccount(
            username="bench-owner",
            display_name="Tjenesteeier",
            password_hash="!",
            district_slug="frogner",
            role=Role.OWNER,
        )
        session.add(owner)
        session.flush()
        return accounts.issue_token(session, owner, 60)


def _timed(client: httpx.Client, path: str, params: dict[str, str], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(path, params=params)
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
    return samples


def read_figures(store: Store, repeats: int) -> None:
    """p50/p95 of the overview and every CSV over the whole year, over real HTTP."""
    token = _owner_token(store)
    year = {"from": str(FIRST_DAY), "to": str(FIRST_DAY + timedelta(days=DAYS - 1))}
    with (
        serve(create_app(store.settings)) as url,
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client,
    ):
        overview = client.get("/api/stats/overview", params=year)
        overview.raise_for_status()
        figures = overview.json()
        print(
            f"year's overview: {figures['conversations']:,} conversations, contained "
            f"{figures['contained_rate']}, handoffs {figures['handoff_rate']}, fallbacks "
            f"{figures['fallback_rate']}, emergencies {figures['emergencies']}"
        )
        samples = _timed(client, "/api/stats/overview", year, repeats)
        print(f"GET /api/stats/overview (whole year)  {_percentiles(samples)}")
        samples = _timed(client, "/api/stats/hours", year, repeats)
        print(f"GET /api/stats/hours (whole year)     {_percentiles(samples)}")
        every_csv: list[float] = []
        for table in CSV_TABLES:
            samples = _timed(client, f"/api/stats/{table}.csv", year, repeats)
            every_csv += samples
            print(f"GET /api/stats/{table}.csv{'':{12 - len(table)}}{_percentiles(samples)}")
        print(f"every CSV together                    {_percentiles(every_csv)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=10 * OSLO_VOLUME)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeats", type=int, default=50, help="requests per route timed")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the full rebuild")
    parser.add_argument("--seed", type=int, default=17)
    arguments = parser.parse_args()
    world = _world()
    per_day = _per_day(arguments.conversations, arguments.seed)
    last_day = FIRST_DAY + timedelta(days=DAYS - 1)
    print(
        f"{arguments.conversations:,} conversations from {FIRST_DAY} to {last_day} "
        f"({arguments.database}; {max(per_day):,} on the busiest day)"
    )
    with (
        tempfile.TemporaryDirectory(prefix="stats-bench-") as folder,
        fresh_store(arguments.database, Path(folder)) as store,
    ):
        fold_seconds: list[float] = []
        events = 0
        generating = time.perf_counter()
        for day in _days(world, per_day, arguments.seed):
            events += len(day.broker) + len(day.app)
            store.publish(day)
            fold_seconds.append(store.fold(_fold_time(day.day)))
        elapsed = time.perf_counter() - generating
        print(
            f"{events:,} events written and folded day by day in {elapsed:.0f} s "
            f"({sum(fold_seconds):.0f} s of it folding: a rebuild replayed a day at a time)"
        )
        busiest = max(range(DAYS), key=lambda index: per_day[index])
        print(
            f"one day's increment folded: median {statistics.median(fold_seconds):.2f} s, "
            f"p95 {sorted(fold_seconds)[int(0.95 * len(fold_seconds))]:.2f} s, "
            f"busiest day ({per_day[busiest]:,} conversations) {fold_seconds[busiest]:.2f} s, "
            f"slowest {max(fold_seconds):.2f} s (target < 5 s)"
        )
        if not arguments.no_rebuild:
            store.empty()
            for day in _days(world, per_day, arguments.seed):
                store.publish(day)
            seconds = store.fold(_fold_time(last_day))
            print(f"full rebuild (every event of the year folded at once): {seconds:.1f} s")
        read_figures(store, arguments.repeats)


if __name__ == "__main__":
    main()
