"""Rate limits: counted in this process's memory, or in Redis when REDIS_URL is set.

Limits are written as `limits` parses them: "20 per minute; 300 per day". A caller over any of
them gets 429 with `Retry-After`, the seconds until the strictest exceeded window frees up.
"""

from __future__ import annotations

import math
import time
from collections import deque
from typing import Annotated

from fastapi import Depends, Request
from limits import RateLimitItem, WindowStats, parse_many
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from api.problems import ApiError
from api.texts import TEXTS
from core.channels import channel_of
from core.config import Settings

# What is counted: (limits, purpose, key), e.g. ("20 per minute", "start", "192.0.2.7").
Counter = tuple[str, str, str]


class InProcessWindows:
    """Moving windows counted in this process's memory, when there is no Redis.

    It answers like `limits`' moving-window strategy. `limits`' own async MemoryStorage (5.8)
    goes over every key after every hit, with a thread hop per key: with a key per
    conversation, a day of them cost the gateway 25-30 ms of CPU a message. Here a hit
    touches its own key; keys whose windows have passed are swept at most once a minute.
    """

    SWEEP_SECONDS = 60.0

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}  # key -> times of its hits, oldest first
        self._expiry: dict[str, int] = {}
        self._swept_at = time.time()

    def _recent(self, item: RateLimitItem, identifiers: tuple[str, ...]) -> deque[float]:
        """The key's hits within its window (an empty deque, not stored, for a new key)."""
        hits = self._hits.get(item.key_for(*identifiers))
        if hits is None:
            return deque()
        since = time.time() - item.get_expiry()
        while hits and hits[0] < since:
            hits.popleft()
        return hits

    async def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        self._sweep()
        hits = self._recent(item, identifiers)
        if len(hits) + cost > item.amount:
            return False
        key = item.key_for(*identifiers)
        self._hits[key] = hits
        self._expiry[key] = item.get_expiry()
        hits.extend([time.time()] * cost)
        return True

    async def test(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        return len(self._recent(item, identifiers)) + cost <= item.amount

    async def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        hits = self._recent(item, identifiers)
        start = hits[0] if hits else time.time()
        return WindowStats(start + item.get_expiry(), item.amount - len(hits))

    async def clear(self, item: RateLimitItem, *identifiers: str) -> None:
        key = item.key_for(*identifiers)
        self._hits.pop(key, None)
        self._expiry.pop(key, None)

    def _sweep(self) -> None:
        """Forget keys whose last hit has left their window (memory stays bounded)."""
        now = time.time()
        if now - self._swept_at < self.SWEEP_SECONDS:
            return
        self._swept_at = now
        for key in [
            k for k, hits in self._hits.items() if not hits or hits[-1] < now - self._expiry[k]
        ]:
            del self._hits[key], self._expiry[key]

    def __len__(self) -> int:
        return len(self._hits)


def _strategy(settings: Settings) -> MovingWindowRateLimiter | InProcessWindows:
    if not settings.redis_url:
        return InProcessWindows()
    return MovingWindowRateLimiter(
        RedisStorage(f"async+{settings.redis_url}", implementation="redispy")
    )


class RateLimiter:
    """Counts hits per (purpose, key) in a moving window; one per app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.strategy = _strategy(settings)

    async def wait_seconds(self, limits: str, purpose: str, key: str) -> int:
        """0 when another hit fits in every window, else the seconds until it does."""
        waits = [
            await self._reset_in(item, purpose, key)
            for item in parse_many(limits)
            if not await self.strategy.test(item, purpose, key)
        ]
        return max(waits, default=0)

    async def hit(self, limits: str, purpose: str, key: str) -> bool:
        """Count one hit in every window that has room; False when one had none."""
        fits = [await self.strategy.hit(item, purpose, key) for item in parse_many(limits)]
        return all(fits)

    async def take(self, detail: str, *counters: Counter) -> None:
        """Count one hit on each counter, or raise 429 when one is full.

        Each hit is atomic in the storage, so parallel requests cannot all slip through.
        """
        full = [counter for counter in counters if not await self.hit(*counter)]
        if full:
            wait = max([await self.wait_seconds(*counter) for counter in full])
            raise too_many_requests(max(wait, 1), detail)

    async def clear(self, limits: str, purpose: str, key: str) -> None:
        for item in parse_many(limits):
            await self.strategy.clear(item, purpose, key)

    async def _reset_in(self, item: RateLimitItem, purpose: str, key: str) -> int:
        stats = await self.strategy.get_window_stats(item, purpose, key)
        return math.floor(stats.reset_time - time.time()) + 1  # strictly after the reset


def too_many_requests(seconds: int, detail: str) -> ApiError:
    return ApiError(429, detail, headers={"Retry-After": str(seconds)})


def client_address(request: Request) -> str:
    """The caller's address (behind a proxy, uvicorn's --forwarded-allow-ips sets it)."""
    return request.client.host if request.client else "unknown"


def rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


Limiter = Annotated[RateLimiter, Depends(rate_limiter)]


async def limit_new_conversations(request: Request, limiter: Limiter) -> None:
    """Starting conversations, per address."""
    limits = limiter.settings.chat_start_limits_per_address
    await limiter.take(TEXTS["too_many_messages"]["nb"], (limits, "start", client_address(request)))


async def limit_messages(request: Request, limiter: Limiter) -> None:
    """A person's messages, per conversation; web conversations also per address.

    A channel bridge (Telegram) sends for many people from one address, with its own token:
    only its conversations are counted. Conversations open to whoever holds the id (web) are
    counted per address too. Use after the conversation's own check.
    """
    settings = limiter.settings
    conversation = str(request.path_params.get("conversation_id", ""))
    counters = [(settings.chat_message_limits_per_conversation, "conversation", conversation)]
    channel = channel_of(conversation)
    if channel is not None and channel.scope is None:
        address = client_address(request)
        counters.append((settings.chat_message_limits_per_address, "message", address))
    await limiter.take(TEXTS["too_many_messages"]["nb"], *counters)


MessageLimit = Annotated[None, Depends(limit_messages)]
