"""Rasa's lock store in the scaled set-up: two servers never hold one conversation at once.

Servers are threads here, each with its own lock store and Redis connection, all taking
turns on one conversation as fast as they can: a message a server handles holds the lock
for a moment, as Rasa does. Rasa's own `RedisLockStore` loses and revives tickets this way
(a `LockError`, or a conversation held by nobody until the ticket expires); ours must not.
"""

from __future__ import annotations

import json

from bot.launch import REDIS_LOCK_STORE, lock_store
from core.config import Settings
from tests.databases import ensure_redis
from tests.rasa_process import run_with_rasa

TAKE_TURNS = """
import asyncio, json, sys, threading, time, uuid
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

config, servers, turns, lifetime = json.load(sys.stdin)
conversation = f"web:{uuid.uuid4().hex}"
state = {"holding": 0, "most": 0, "served": 0, "errors": [], "stalls": 0}
count = threading.Lock()

def server() -> None:
    store = LockStore.create(EndpointConfig.from_dict(config))

    async def take_turns() -> None:
        for _ in range(turns):
            asked = time.monotonic()
            async with store.lock(conversation, lifetime, wait_time_in_seconds=0.002):
                with count:
                    state["holding"] += 1
                    state["most"] = max(state["most"], state["holding"])
                    state["stalls"] += time.monotonic() - asked > lifetime / 2
                await asyncio.sleep(0.001)
                with count:
                    state["holding"] -= 1
                    state["served"] += 1

    try:
        asyncio.run(take_turns())
    except Exception as error:
        state["errors"].append(repr(error))

threads = [threading.Thread(target=server) for _ in range(servers)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
left = LockStore.create(EndpointConfig.from_dict(config)).get_lock(conversation)
print(json.dumps({**state, "left": left.dumps() if left else None}))
"""

SERVERS, TURNS, LIFETIME = 4, 60, 2


def _take_turns(store_type: str) -> dict[str, object]:
    config = lock_store(Settings(redis_url=ensure_redis()))
    assert config is not None
    out = run_with_rasa(
        TAKE_TURNS,
        [{**config, "type": store_type}, SERVERS, TURNS, LIFETIME],
        "the servers could not take their turns",
    )
    result: dict[str, object] = json.loads(out.splitlines()[-1])
    return result


def test_servers_take_turns_on_one_conversation_without_overlap_loss_or_stall() -> None:
    result = _take_turns(REDIS_LOCK_STORE)
    assert result["errors"] == [], "no ticket is lost"
    assert result["most"] == 1, "never two servers on one conversation"
    assert result["served"] == SERVERS * TURNS
    assert result["stalls"] == 0, "no served ticket comes back to hold the conversation"
    assert result["left"] is None, "the lock goes with the last ticket"


def _shows_the_race(result: dict[str, object]) -> bool:
    return bool(result["errors"] or result["stalls"] or result["most"] != 1 or result["left"])


def test_rasas_own_redis_lock_store_shows_the_race_this_guards_against() -> None:
    """The same turns through Rasa's `RedisLockStore`: the test above can see the race.

    A race is a matter of timing, so Rasa's store gets up to three tries to show it.
    """
    assert any(_shows_the_race(_take_turns("redis")) for _ in range(3))
