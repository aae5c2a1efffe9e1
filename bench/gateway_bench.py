"""Gateway benchmark: the whole chat path under load (gateway → Rasa → actions → catalogue).

Starts the real stack (`devtools.stack`: action server, Rasa with its SQL tracker store, the
API and its outbox worker) on a fresh SQLite catalogue, then drives the chat gateway
(`POST /api/chat/conversations/{id}/messages`) the way people do: each person has a
conversation of their own, from a loopback address of their own, and talks through a short
bokmål script; a finished script starts a new conversation. `/healthz` is probed 10 times a
second throughout.

Modes:

- `peak`: open loop at fixed rates, step by step (`--rates`, `--seconds` each); the highest
  rate held at p95 ≤ 500 ms with 0 errors and 0 overload 503s is reported.
- `overload`: `--clients` people (300) in a closed loop for `--seconds`: each sends again as
  soon as answered; after a 503 they wait its Retry-After (×1–1.5, people differ), as the web
  chat and the Telegram bridge do. Passes when every request is answered within 5 s (a reply
  or a 503) and `/healthz` p99 ≤ 100 ms.

Printed per window: replies/s, p50/p95/p99 of replies (from the scheduled send time in
`peak`), errors (anything but a reply or a 503; transport failures included), 503s, the
slowest answer, `/healthz` p99, and CPU ms per reply for each process (utime + stime from
/proc, with children). The abuse limits are raised for the run (one machine plays hundreds
of people). The load average is printed: the machine may be shared.

    python bench/gateway_bench.py [--mode peak|overload|both] [--rates 10,20,30,40,50,60]
        [--seconds 20] [--clients 300] [--warmup 20]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.conversation_bench import (  # noqa: E402
    SENIORVEIVISER_SCRIPTS,
    CpuSnapshot,
    CpuUse,
    load_average,
    load_catalogue,
    wait_for_model,
)
from devtools.stack import assistant  # noqa: E402

LOGS = ROOT / "var" / "bench" / "gateway"
PEAK_P95_SECONDS = 0.5
OVERLOAD_ANSWER_SECONDS = 5.0
HEALTH_P99_SECONDS = 0.1
RAISED_LIMITS = {
    "CHAT_MESSAGE_LIMITS_PER_ADDRESS": "600 per minute",
    "CHAT_MESSAGE_LIMITS_PER_CONVERSATION": "600 per minute",
}


@dataclass
class Person:
    """One person with their own address and conversation, talking through scripts."""

    client: httpx.AsyncClient
    script: list[str] = field(default_factory=list)
    conversation: str = ""

    def next_text(self) -> tuple[str, str]:
        if not self.script:
            self.script = list(random.choice(SENIORVEIVISER_SCRIPTS))
            self.conversation = f"web:{secrets.token_urlsafe(16)}"
        return self.conversation, self.script.pop(0)

    async def send(self) -> httpx.Response:
        conversation, text = self.next_text()
        path = f"/api/chat/conversations/{conversation}/messages"
        return await self.client.post(path, json={"text": text})


@dataclass
class Window:
    """What one measured window saw."""

    seconds: float = 0.0
    replies: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)  # replies and 503s
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    health: list[float] = field(default_factory=list)
    cpu: CpuUse | None = None

    @property
    def errors(self) -> int:
        return sum(self.error_kinds.values())

    def percentile(self, samples: list[float], share: float) -> float:
        if len(samples) < 2:
            return samples[0] if samples else float("nan")
        return statistics.quantiles(samples, n=100, method="inclusive")[int(share * 100) - 1]

    def line(self, label: str) -> str:
        ms = [1000 * self.percentile(self.replies, share) for share in (0.5, 0.95, 0.99)]
        cpu = ""
        if self.cpu is not None and self.replies:
            per = {
                name: 1000 * used / len(self.replies)
                for name, used in self.cpu.processes.items()
                if name != "bench"
            }
            cpu = " | CPU ms/reply " + ", ".join(
                f"{name} {value:.0f}" for name, value in per.items()
            )
            cpu += f" | other processes {self.cpu.other / self.seconds:.2f} cores"
        return (
            f"{label}: {len(self.replies) / self.seconds:.1f} replies/s, "
            f"p50 {ms[0]:.0f} / p95 {ms[1]:.0f} / p99 {ms[2]:.0f} ms, "
            f"errors {self.errors}, 503s {self.statuses['503']}, "
            f"slowest {max(self.answers, default=0) * 1000:.0f} ms, "
            f"/healthz p99 {1000 * self.percentile(self.health, 0.99):.0f} ms{cpu}"
            + (f" | errors: {dict(self.error_kinds)}" if self.errors else "")
        )

    @property
    def error_kinds(self) -> collections.Counter[str]:
        return collections.Counter(
            {
                status: count
                for status, count in self.statuses.items()
                if status not in {"200", "503"}
            }
        )


def _person_client(url: str, number: int) -> httpx.AsyncClient:
    address = f"127.1.{number // 250}.{1 + number % 250}"
    # Drop idle connections before uvicorn does (5 s), or a send after a 5 s Retry-After races
    # the server's close and fails as a browser's would not.
    limits = httpx.Limits(keepalive_expiry=4.0)
    transport = httpx.AsyncHTTPTransport(local_address=address, verify=False, limits=limits)
    return httpx.AsyncClient(base_url=url, transport=transport, timeout=30)


async def _record(window: Window, person: Person, started: float) -> httpx.Response | None:
    try:
        response = await person.send()
    except httpx.HTTPError as error:
        window.statuses[type(error).__name__] += 1
        return None
    elapsed = time.monotonic() - started
    window.statuses[str(response.status_code)] += 1
    if response.status_code in (200, 503):
        window.answers.append(elapsed)
    if response.status_code == 200:
        window.replies.append(elapsed)
    return response


async def _probe_health(url: str, window: Window, stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        while not stop.is_set():
            started = time.monotonic()
            try:
                response = await client.get("/healthz")
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            window.health.append(time.monotonic() - started)
            window.statuses["healthz failed"] += 0 if ok else 1
            await asyncio.sleep(0.1)


async def open_loop(url: str, people: list[Person], rate: float, seconds: float) -> Window:
    """A message every 1/rate s, to the people in turn; latency from the scheduled time."""
    window, stop, tasks = Window(seconds=seconds), asyncio.Event(), set[asyncio.Task[object]]()
    prober = asyncio.create_task(_probe_health(url, window, stop))
    start = time.monotonic()
    for sent in range(int(rate * seconds)):
        scheduled = start + sent / rate
        await asyncio.sleep(max(0.0, scheduled - time.monotonic()))
        task = asyncio.create_task(_record(window, people[sent % len(people)], scheduled))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    stop.set()
    await prober
    return window


async def closed_loop(url: str, people: list[Person], seconds: float) -> Window:
    """Everyone sends again once answered; after a 503, they wait its Retry-After."""
    window, stop = Window(seconds=seconds), asyncio.Event()
    prober = asyncio.create_task(_probe_health(url, window, stop))
    until = time.monotonic() + seconds

    async def talk(person: Person) -> None:
        while time.monotonic() < until:
            response = await _record(window, person, time.monotonic())
            if response is not None and response.status_code == 503:
                retry_after = float(response.headers.get("Retry-After", "5"))
                await asyncio.sleep(retry_after * random.uniform(1.0, 1.5))

    await asyncio.gather(*(talk(person) for person in people))
    stop.set()
    await prober
    return window


async def measured(pids: dict[str, int], run: Coroutine[Any, Any, Window]) -> Window:
    """`run`, with the CPU each process spent meanwhile."""
    before = CpuSnapshot.take(pids)
    window = await run
    window.cpu = CpuUse.between(before, CpuSnapshot.take(pids))
    return window


async def bench(url: str, pids: dict[str, int], args: argparse.Namespace) -> None:
    async with AsyncExitStack() as stack:
        people = [
            Person(await stack.enter_async_context(_person_client(url, number)))
            for number in range(max(args.clients, 200))
        ]
        if args.mode in ("peak", "both"):
            rates = [float(rate) for rate in args.rates.split(",")]
            # Warm-up: connections, caches, TensorFlow's first traces in Rasa.
            await open_loop(url, people, rates[0], args.warmup)
            held = 0.0
            for rate in rates:
                window = await measured(pids, open_loop(url, people, rate, args.seconds))
                print(window.line(f"peak {rate:.0f} msg/s offered"), flush=True)
                if window.errors or window.statuses["503"]:
                    break
                if window.percentile(window.replies, 0.95) > PEAK_P95_SECONDS:
                    break
                held = rate
            print(f"PEAK: {held:.0f} msg/s held at p95 ≤ 500 ms, 0 errors ({load_average()})")
        if args.mode in ("overload", "both"):
            crowd = people[: args.clients]
            window = await measured(pids, closed_loop(url, crowd, args.seconds))
            print(window.line(f"overload {len(crowd)} clients"), flush=True)
            slowest = max(window.answers, default=0.0)
            passed = (
                window.errors == 0
                and slowest <= OVERLOAD_ANSWER_SECONDS
                and window.percentile(window.health, 0.99) <= HEALTH_P99_SECONDS
            )
            verdict = "passed" if passed else "FAILED"
            print(f"OVERLOAD: {verdict} ({load_average()})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mode", choices=("peak", "overload", "both"), default="both")
    parser.add_argument("--rates", default="10,20,30,40,50,60")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--warmup", type=float, default=20.0, help="seconds at the first rate")
    args = parser.parse_args()
    wait_for_model(600)
    print(f"starting the stack; {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="gateway-bench-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        load_catalogue(database_url)
        os.environ.update(RAISED_LIMITS)  # the stack's processes inherit them
        with assistant(database_url, LOGS) as stack:
            pids = {name: process.pid for name, process in stack.processes.items()}
            asyncio.run(bench(stack.api_url, pids, args))
    print(f"logs in {LOGS.relative_to(ROOT)}; {load_average()}")


if __name__ == "__main__":
    main()
