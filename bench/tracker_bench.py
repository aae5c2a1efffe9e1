"""What loading a conversation's tracker costs at its 20th, 100th and 1,000th message.

Rasa's SQL tracker store loads only the latest session (events since the last
`session_started`). With session expiry (bot/domain.yml: 60 minutes), a long conversation is
many sessions, so loading it costs about the same at every message; without expiry, every
message adds about 6 events that every later turn loads again. Runs in Rasa's environment:

    .venv/rasa/bin/python bench/tracker_bench.py [--database-url postgresql://...]

The conversation here: a message every 2 minutes, a pause of 2 hours after every 20th (so a
new session starts, as it would for a senior who comes back the next day).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

CHECKPOINTS = (20, 100, 1000)  # each the last message of a session
MESSAGES_PER_SESSION = 20
REPEATS = 30


def session_start(at: float) -> list[Event]:
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
    ]


def conversation(messages: int, expiry: bool) -> list[Event]:
    """`messages` turns of about 6 events each; new sessions after pauses if `expiry`."""
    at = 1_700_000_000.0
    events = session_start(at)
    for n in range(messages):
        if expiry and n and n % MESSAGES_PER_SESSION == 0:
            at += 2 * 3600
            events += session_start(at)
        at += 120
        events += [
            UserUttered(f"Hva koster trygghetsalarm? ({n})", {"name": "ask_service"}, timestamp=at),
            SlotSet("service", "trygghetsalarm", timestamp=at),
            ActionExecuted("action_answer_service", timestamp=at + 0.1),
            BotUttered("Trygghetsalarm koster ...", timestamp=at + 0.1),
            SlotSet("last_service", "trygghetsalarm", timestamp=at + 0.1),
            ActionExecuted("action_listen", timestamp=at + 0.2),
        ]
    return events


async def load_seconds(store: SQLTrackerStore, sender: str) -> tuple[float, int]:
    """Median time to load `sender`'s tracker, and how many events it loads."""
    times, loaded = [], 0
    for _ in range(REPEATS):
        began = time.perf_counter()
        tracker = await store.retrieve(sender)
        times.append(time.perf_counter() - began)
        loaded = len(tracker.events) if tracker else 0
    return statistics.median(times), loaded


async def main(database_url: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    domain = Domain.empty()
    if database_url:
        store = SQLTrackerStore(domain, dialect="postgresql", **_postgres(database_url))
    else:
        store = SQLTrackerStore(domain, dialect="sqlite", db=str(folder / "tracker.db"))
    print(f"{'message':>8} {'expiry':>7} {'events stored':>14} {'loaded':>7} {'load ms':>8}")
    try:
        await measure(store, domain)
    finally:  # leave nothing behind in a database that is in use
        with store.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM events WHERE sender_id LIKE 'bench-%'"))


async def measure(store: SQLTrackerStore, domain: Domain) -> None:
    results: dict[tuple[int, bool], float] = {}
    for expiry in (True, False):
        for messages in CHECKPOINTS:
            sender = f"bench-{messages}-{expiry}"
            events = conversation(messages, expiry)
            await store.save(DialogueStateTracker.from_events(sender, events, domain.slots))
            seconds, loaded = await load_seconds(store, sender)
            results[messages, expiry] = seconds
            print(
                f"{messages:>8} {expiry!s:>7} {len(events):>14} {loaded:>7} {seconds * 1000:>8.2f}"
            )
    for expiry in (True, False):
        ratio = results[CHECKPOINTS[-1], expiry] / results[CHECKPOINTS[0], expiry]
        label = "with session expiry" if expiry else "without expiry"
        print(f"1,000th / 20th message, {label}: {ratio:.2f}x")


def _postgres(url: str) -> dict[str, object]:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return {
        "host": parsed.host,
        "port": parsed.port or 5432,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL database (default: SQLite)")
    asyncio.run(main(parser.parse_args().database_url))
