"""Gateway benchmark: the whole chat path under load (gateway → Rasa → actions → catalogue).

Starts the real stack (`devtools.stack`: action server, Rasa with its SQL tracker store, the
API and its outbox worker) on a fresh catalogue, then drives the chat gateway
(`POST /api/chat/conversations/{id}/messages`) the way people do: each person has a
conversation of their own, from a loopback address of their own, and talks through a short
bokmål script; a finished script starts a new conversation. `/healthz` is probed 10 times a
second throughout.

Topologies (`--topology`):

- `sqlite` (the default): `make run`'s, one Rasa server and one action server on SQLite.
- `scaled`: the README's "Scaled set-up" on one machine: a fresh PostgreSQL database, Redis as
  Rasa's lock store, 2 Rasa servers each with its action server, the API routing each
  conversation to its server (`RASA_URLS`), and the outbox worker. Rasa's events go to its SQL
  event broker (PostgreSQL), not RabbitMQ; one API worker, as on `sqlite`.

Modes:

- `peak`: open loop at fixed rates, step by step (`--rates`, `--seconds` each); the highest
  rate held at p95 ≤ 500 ms with 0 errors and 0 overload 503s is reported.
- `overload`: `--clients` people (300) in a closed loop for `--seconds`: each sends again as
  soon as answered; after a 503 they wait its Retry-After (×1–1.5, people differ), as the web
  chat and the Telegram bridge do. Passes when every request is answered within 5 s (a reply
  or a 503) and `/healthz` p99 ≤ 100 ms.
- `soak`: open loop at one rate (`--rate`, 20 msg/s) for `--seconds` (600), a line every 30 s
  with the resident memory (VmRSS from /proc/<pid>/status, with children) of every process.
  Passes with 0 errors and 0 503s over the whole run, and every process's memory within ±10 %
  of what it was at the end of the warm-up (`--warmup`, the first 120 s of the run) at every
  line after it. The memory curve of each process is printed at the end.

Printed per window: replies/s, p50/p95/p99 of replies (from the scheduled send time in
`peak`), errors (anything but a reply or a 503; transport failures included), 503s, the
slowest answer, `/healthz` p99, and CPU ms per reply for each process (utime + stime from
/proc, with children). The abuse limits are raised for the run (one machine plays hundreds
of people). The load average is printed: the machine may be shared.

    python bench/gateway_bench.py [--topology sqlite|scaled] [--mode peak|overload|both|soak]
        [--rates 10,20,30,40,50,60] [--rate 20] [--seconds 20 (soak: 600)] [--clients 300]
        [--warmup 20 (soak: 120)]
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
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import AsyncExitStack, contextmanager
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
    process_table,
    process_tree,
    wait_for_model,
)
from devtools.stack import Stack, assistant  # noqa: E402
from tests.databases import ensure_redis, fresh_postgres_database  # noqa: E402

LOGS = ROOT / "var" / "bench" / "gateway"
PEAK_P95_SECONDS = 0.5
OVERLOAD_ANSWER_SECONDS = 5.0
HEALTH_P99_SECONDS = 0.1
SOAK_LINE_SECONDS = 30.0
SOAK_RSS_DRIFT = 0.10
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

    @classmethod
    def merged(cls, windows: list[Window]) -> Window:
        """The windows of one run as one."""
        whole = cls(seconds=sum(window.seconds for window in windows))
        for window in windows:
            whole.replies += window.replies
            whole.answers += window.answers
            whole.statuses.update(window.statuses)
            whole.health += window.health
        return whole

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


async def _probe_health(url: str, current: Callable[[], Window], stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        while not stop.is_set():
            window = current()
            started = time.monotonic()
            try:
                response = await client.get("/healthz")
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            window.health.append(time.monotonic() - started)
            window.statuses["healthz failed"] += 0 if ok else 1
            await asyncio.sleep(0.1)


async def open_loop(
    url: str,
    people: list[Person],
    rate: float,
    seconds: float,
    every: float | None = None,
    report: Callable[[Window], Awaitable[None]] | None = None,
) -> Window:
    """A message every 1/rate s, to the people in turn; latency from the scheduled time.

    With `every`, the messages of each `every` s are a window of their own (so are the
    `/healthz` probes meanwhile), handed to `report` in turn once all are answered, while the
    sending goes on. The whole run is returned as one window.
    """
    per_window = max(1, round(rate * (every or seconds)))
    windows: list[Window] = []
    stop, sends = asyncio.Event(), list[asyncio.Task[object]]()
    closed: asyncio.Task[None] | None = None
    prober = asyncio.create_task(_probe_health(url, lambda: windows[-1], stop))

    async def close(
        window: Window, sends: list[asyncio.Task[object]], previous: asyncio.Task[None] | None
    ) -> None:
        await asyncio.gather(*sends)
        window.seconds = len(sends) / rate
        if previous is not None:
            await previous
        if report is not None:
            await report(window)

    windows.append(Window(seconds=per_window / rate))
    start = time.monotonic()
    for sent in range(int(rate * seconds)):
        scheduled = start + sent / rate
        await asyncio.sleep(max(0.0, scheduled - time.monotonic()))
        if sends and sent % per_window == 0:
            closed = asyncio.create_task(close(windows[-1], sends, closed))
            windows.append(Window(seconds=per_window / rate))
            sends = []
        sends.append(
            asyncio.create_task(_record(windows[-1], people[sent % len(people)], scheduled))
        )
    await close(windows[-1], sends, closed)
    stop.set()
    await prober
    return Window.merged(windows)


async def closed_loop(url: str, people: list[Person], seconds: float) -> Window:
    """Everyone sends again once answered; after a 503, they wait its Retry-After."""
    window, stop = Window(seconds=seconds), asyncio.Event()
    prober = asyncio.create_task(_probe_health(url, lambda: window, stop))
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


def _vm_rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # the process ended while we looked
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0  # a zombie, or a kernel thread


def resident_megabytes(pids: dict[str, int]) -> dict[str, float]:
    """Each process's resident memory with its children's (VmRSS), in MB (MiB)."""
    table = process_table()
    return {
        name: sum(map(_vm_rss_kib, process_tree(table, pid))) / 1024 for name, pid in pids.items()
    }


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def memory_flat(curve: list[tuple[float, dict[str, float]]], warmup: float) -> bool:
    """Print each process's memory curve; whether all stay within ±10 % after the warm-up.

    Each process's base is its memory on the first line at or after the end of the warm-up.
    """
    after = [memory for ended, memory in curve if ended >= warmup - 0.5]
    base = curve[-len(after)][0] if after else None
    marks = [_clock(ended) + ("*" if ended == base else "") for ended, _ in curve]
    print(f"RSS curve, MB (* = the base: the end of the warm-up, {_clock(warmup)}):")
    print(f"{'':>10} " + " ".join(f"{mark:>6}" for mark in marks))
    flat = bool(after)
    for name in curve[0][1]:
        drift = ""
        if after:
            changes = [
                memory[name] / after[0][name] - 1 if after[0][name] else 1.0 for memory in after
            ]
            flat = flat and max(map(abs, changes)) <= SOAK_RSS_DRIFT
            drift = f"  after warm-up {100 * min(changes):+.1f} % .. {100 * max(changes):+.1f} %"
        print(f"{name:>10} " + " ".join(f"{memory[name]:6.0f}" for _, memory in curve) + drift)
    if not after:
        print("no line after the warm-up: run longer than it")
    return flat


async def soak(
    url: str, people: list[Person], pids: dict[str, int], args: argparse.Namespace
) -> None:
    """One rate for a long time: a line every 30 s, then the memory curves and the verdict."""
    print(
        f"soak: {args.rate:g} msg/s for {_clock(args.seconds)}, a line every "
        f"{SOAK_LINE_SECONDS:.0f} s; warm-up: the first {_clock(args.warmup)}",
        flush=True,
    )
    curve: list[tuple[float, dict[str, float]]] = []  # (end of the window, MB per process)
    last = CpuSnapshot.take(pids)

    def sample() -> tuple[CpuSnapshot, dict[str, float]]:
        return CpuSnapshot.take(pids), resident_megabytes(pids)

    async def report(window: Window) -> None:
        nonlocal last
        snapshot, memory = await asyncio.to_thread(sample)  # the sending goes on meanwhile
        window.cpu, last = CpuUse.between(last, snapshot), snapshot
        curve.append(((curve[-1][0] if curve else 0.0) + window.seconds, memory))
        rss = ", ".join(f"{name} {megabytes:.0f}" for name, megabytes in memory.items())
        print(window.line(f"soak {_clock(curve[-1][0])}") + f" | RSS MB {rss}", flush=True)

    whole = await open_loop(url, people, args.rate, args.seconds, SOAK_LINE_SECONDS, report)
    print(whole.line(f"soak, all {_clock(whole.seconds)}"), flush=True)
    flat = memory_flat(curve, args.warmup)
    passed = whole.errors == 0 and whole.statuses["503"] == 0 and flat
    print(
        f"SOAK: {'passed' if passed else 'FAILED'}: {args.rate:g} msg/s for "
        f"{_clock(whole.seconds)}, errors {whole.errors}, 503s {whole.statuses['503']}, "
        f"RSS {'flat' if flat else 'NOT flat'} within ±{100 * SOAK_RSS_DRIFT:.0f} % after the "
        f"warm-up ({load_average()})",
        flush=True,
    )


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
        if args.mode == "soak":
            await soak(url, people, pids, args)


@contextmanager
def running(topology: str) -> Iterator[Stack]:
    """The stack of `topology` on a fresh catalogue; its database is gone afterwards."""
    os.environ.update(RAISED_LIMITS)  # the stack's processes inherit them
    if topology == "sqlite":
        with tempfile.TemporaryDirectory(prefix="gateway-bench-") as folder:
            database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
            load_catalogue(database_url)
            with assistant(database_url, LOGS) as stack:
                yield stack
    else:
        with fresh_postgres_database() as database_url:
            load_catalogue(database_url)
            with assistant(
                database_url, LOGS / "scaled", ensure_redis(), rasa_servers=2, action_servers=2
            ) as stack:
                yield stack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--topology", choices=("sqlite", "scaled"), default="sqlite")
    parser.add_argument("--mode", choices=("peak", "overload", "both", "soak"), default="both")
    parser.add_argument("--rates", default="10,20,30,40,50,60", help="msg/s, peak")
    parser.add_argument("--rate", type=float, default=20.0, help="msg/s, soak")
    parser.add_argument("--seconds", type=float, help="each rate, overload (20); soak (600)")
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument(
        "--warmup", type=float, help="peak: s at the first rate (20); soak: s at its start (120)"
    )
    args = parser.parse_args()
    soaking = args.mode == "soak"
    args.seconds = args.seconds or (600.0 if soaking else 20.0)
    args.warmup = args.warmup if args.warmup is not None else (120.0 if soaking else 20.0)
    if soaking and args.warmup >= args.seconds:
        parser.error("--warmup must be shorter than --seconds in a soak")
    wait_for_model(600)
    print(f"starting the stack ({args.topology}); {load_average()}", flush=True)
    with running(args.topology) as stack:
        pids = {name: process.pid for name, process in stack.processes.items()}
        asyncio.run(bench(stack.api_url, pids, args))
    print(f"logs in {stack.logs.relative_to(ROOT)}; {load_average()}")


if __name__ == "__main__":
    main()
