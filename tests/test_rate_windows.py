"""The in-process rate limit windows: `limits`' answers, at the cost of one key a hit."""

from __future__ import annotations

import asyncio
import random

import pytest
from limits import parse, parse_many
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from api.ratelimit import InProcessWindows, RateLimiter
from core.config import Settings
from tests.fake_clock import Clock, install_clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(monkeypatch, "limits.aio.storage.memory")


def test_they_answer_as_limits_own_moving_window_does(clock: Clock) -> None:
    """Random hits, tests, stats and clears on a few keys: the same answer every time."""
    items = [parse("3 per 10 seconds"), parse("5 per minute")]
    keys = ["web:a", "web:b", "telegram:c"]

    async def play() -> tuple[list[object], list[object]]:
        ours, theirs = InProcessWindows(), MovingWindowRateLimiter(MemoryStorage())
        ours_seen: list[object] = []
        theirs_seen: list[object] = []
        chance = random.Random(7)
        for _ in range(2_000):
            # Never exactly a window apart: there limits' hit and its stats disagree.
            pause = chance.choice([0.0, 0.1, 0.5, 1.0, 2.0]) + chance.random() / 1000
            clock.now += 61.0 if chance.random() < 0.02 else pause
            item, key = chance.choice(items), chance.choice(keys)
            move = chance.choice(["hit", "hit", "hit", "test", "stats", "clear"])
            for strategy, seen in ((ours, ours_seen), (theirs, theirs_seen)):
                if move == "stats":
                    stats = await strategy.get_window_stats(item, "message", key)
                    # An empty window has no reset time (limits gives a long-gone hit's).
                    empty = stats.remaining == item.amount
                    seen.append((None if empty else round(stats.reset_time, 6), stats.remaining))
                else:
                    seen.append(await getattr(strategy, move)(item, "message", key))
        return ours_seen, theirs_seen

    ours, theirs = asyncio.run(play())
    assert ours == theirs
    assert ours.count(False) > 50, "the sequence filled windows often enough to prove anything"


def test_a_full_window_says_how_long_to_wait_and_frees_up(clock: Clock) -> None:
    limiter = RateLimiter(Settings())

    async def hits(count: int) -> list[bool]:
        return [await limiter.hit("3 per minute", "message", "web:x") for _ in range(count)]

    assert asyncio.run(hits(4)) == [True, True, True, False]
    clock.now += 20
    assert asyncio.run(limiter.wait_seconds("3 per minute", "message", "web:x")) == 41
    clock.now += 41
    assert asyncio.run(hits(1)) == [True]


def test_finished_conversations_are_forgotten(clock: Clock) -> None:
    """A day of conversations does not stay in memory: their keys go once their windows pass."""
    limits = "30 per minute; 600 per day"
    windows = InProcessWindows()

    async def talk(conversations: range) -> None:
        for number in conversations:
            for item in parse_many(limits):
                assert await windows.hit(item, "conversation", f"web:{number}")

    asyncio.run(talk(range(5_000)))
    assert len(windows) == 10_000, "one key per window per conversation while they count"
    clock.now += 24 * 3600 + InProcessWindows.SWEEP_SECONDS
    asyncio.run(talk(range(5_000, 5_001)))
    assert len(windows) == 2, "only the conversation still talking is kept"
