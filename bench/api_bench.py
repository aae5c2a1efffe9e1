"""API benchmark: catalogue search and service look-up over real HTTP, one uvicorn worker.

Starts the API in its own process on a fresh SQLite catalogue, then for each scenario
sends requests at a fixed rate (open loop, so slow answers do not slow the sender)
and prints p50/p95/p99 latency and the rate achieved. A `/healthz` run in the same
process gives the baseline; ratios to it are what to compare across noisy machines.
Finally a closed-loop run with many concurrent clients measures the most requests/s.

    python bench/api_bench.py [--rate 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.stack import free_port  # noqa: E402

SEARCHES = [
    "hjemesykepleie",
    "trygghets%20alarm%20pris",
    "dagsenter%20for%20demens",
    "sykehjems%20plass",
    "hjemme%20hjelp",
    "Hvordan%20s%C3%B8ker%20mor%20om%20trygghetsalarm%20i%20bydel%20Alna%3F",
    "medisiner",
    "rulator",
]
LOOKUPS = [
    "hjemmesykepleie",
    "dagsenter?district=ostensjo",
    "trygghetsalarm",
    "tt-kort",
    "hukommelsesteam?district=bjerke",
]
PLACES = ["Holmlia", "bydel%20Alna", "Torshov", "mor%20bor%20p%C3%A5%20Lambertseter"]


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def line(self, baseline: Result | None) -> str:
        p50, p95, p99 = (self.percentile(share) for share in (0.50, 0.95, 0.99))
        rate = len(self.latencies) / self.seconds
        ratio = f"  p99 ×{p99 / baseline.percentile(0.99):.2f} of healthz" if baseline else ""
        return (
            f"{self.name:10s} n={len(self.latencies):5d} err={self.errors}  "
            f"p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  p99 {p99:6.2f} ms  {rate:6.1f} req/s{ratio}"
        )


@contextmanager
def api_process(database_url: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "API_PORT": str(port),
        "LOG_LEVEL": "warning",
    }
    subprocess.run(
        [sys.executable, "-m", "services_catalog", "load"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.main:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the API did not become ready")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


class Connection:
    """One keep-alive HTTP/1.1 connection; far less client CPU per request than httpx."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def get(self, path: str) -> int:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


class Pool:
    """Connections handed out one request at a time."""

    def __init__(self, port: int, size: int) -> None:
        self.port = port
        self.size = size
        self.idle: asyncio.Queue[Connection] = asyncio.Queue()

    async def __aenter__(self) -> Pool:
        for _ in range(self.size):
            self.idle.put_nowait(await Connection.open(self.port))
        return self

    async def __aexit__(self, *_: object) -> None:
        while not self.idle.empty():
            self.idle.get_nowait().close()

    async def get(self, path: str) -> int:
        connection = await self.idle.get()
        try:
            return await connection.get(path)
        finally:
            self.idle.put_nowait(connection)


async def fixed_rate(
    pool: Pool, name: str, paths: list[str], rate: float, seconds: float
) -> Result:
    """Send `rate` requests a second for `seconds`, each on its own schedule."""
    latencies: list[float] = []
    errors = 0

    async def one(path: str, scheduled: float) -> None:
        nonlocal errors
        status = await pool.get(path)
        latencies.append(time.perf_counter() - scheduled)
        errors += status != 200

    tasks = []
    start = time.perf_counter()
    cycle = itertools.cycle(paths)
    for index in range(int(rate * seconds)):
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(next(cycle), scheduled)))
    await asyncio.gather(*tasks)
    return Result(name, latencies, errors, time.perf_counter() - start)


async def closed_loop(pool: Pool, paths: list[str], seconds: float) -> float:
    """Requests/s with every pooled connection sending its next request at once."""
    done = 0
    stop = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal done
        for path in itertools.islice(itertools.cycle(paths), offset, None):
            if time.perf_counter() > stop:
                return
            await pool.get(path)
            done += 1

    await asyncio.gather(*(worker(index) for index in range(pool.size)))
    return done / seconds


async def run(base: str, rate: float, seconds: float) -> None:
    port = int(base.rsplit(":", 1)[1])
    async with Pool(port, 32) as client:
        for path in ("/healthz", "/api/services?q=warmup"):
            for _ in range(50):
                await client.get(path)
        baseline = await fixed_rate(client, "healthz", ["/healthz"], rate, seconds)
        scenarios = [
            ("search", [f"/api/services?q={q}" for q in SEARCHES]),
            ("lookup", [f"/api/services/{slug}" for slug in LOOKUPS]),
            ("resolve", [f"/api/districts/resolve?place={p}" for p in PLACES]),
        ]
        results = [
            await fixed_rate(client, name, paths, rate, seconds) for name, paths in scenarios
        ]
        print(f"API benchmark: one uvicorn worker, {rate:.0f} req/s for {seconds:.0f} s each")
        print(baseline.line(None))
        for result in results:
            print(result.line(baseline))
        search = results[0]
        peak = await closed_loop(client, scenarios[0][1], seconds / 2)
        print(f"search max throughput ({client.size} connections, closed loop): {peak:.0f} req/s")
        verdict = "met" if search.percentile(0.99) <= 10 and search.errors == 0 else "NOT met"
        print(
            f"target search p99 <= 10 ms at {rate:.0f} req/s: {verdict} "
            f"({search.percentile(0.99):.2f} ms)"
        )
        print(f"mean search latency {statistics.fmean(search.latencies) * 1000:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        api_process(f"sqlite:///{Path(folder) / 'bench.db'}") as base,
    ):
        asyncio.run(run(base, args.rate, args.seconds))


if __name__ == "__main__":
    main()
