"""Conversation benchmark: whole scripted chats through Rasa and the action server.

Starts the real assistant (`devtools.stack`: action server + Rasa with its SQL tracker
store) on a fresh SQLite catalogue, and plays N concurrent users, each a sender id of
its own, through short bokmål scripts over Rasa's REST channel. Messages go out on a
fixed global schedule (open loop): at every tick the next *idle* user, round-robin,
sends its next turn, so one user's turns stay in order (its next turn only after the
previous reply) while slow replies do not slow the schedule. When no user is idle the
tick waits for the first one to free up, and its latency still counts from the tick.
A user that finishes its script starts the next one under a new sender id, so the
trackers stay conversation-sized however long the run.

Figures, from the measured window only (after a warm-up): reply latency p50/p95/p99
from the scheduled send time, messages/s achieved, errors, and CPU per turn: utime +
stime from /proc/<pid>/stat of Rasa and of the action server (with any child
processes), read before and after the window and divided by the turns answered. A
second, short window sends the same texts to Rasa's `/model/parse` alone to show how
much of Rasa's CPU is NLU.

The baseline, in the same run and measured the same way, is the bot `rasa init` makes
(the "moodbot": default pipeline and policies, in-memory tracker store, no action
server), trained once and kept under var/bench/rasa-init/. The ratios between the two
are what to compare across machines; the load average and the CPU the machine spent
on other processes are printed so readers can judge the noise.

    python bench/conversation_bench.py [--users 20] [--rate 10] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.stack import assistant, free_port, stop_process, wait_until_up  # noqa: E402

RASA = ROOT / ".venv" / "rasa" / "bin" / "rasa"
MODEL = ROOT / "models" / "seniorveiviser.tar.gz"
BENCH_VAR = ROOT / "var" / "bench"
RASA_INIT = BENCH_VAR / "rasa-init"
LOGS = BENCH_VAR / "conversation"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Bokmål conversations. Greetings and thanks are small talk; everything else should
# be answered from the catalogue (action_answer_service, action_suggest_services,
# action_set_district), which the tracker sample at the end checks.
SENIORVEIVISER_SCRIPTS: list[list[str]] = [
    ["hei", "hva koster trygghetsalarm", "hun bor på Bøler", "takk for hjelpen"],
    ["hvordan søker jeg hjemmesykepleie", "far bor på Grorud", "hva koster hjemmehjelp"],
    [
        "god morgen",
        "far har begynt å glemme ting",
        "han bor i bydel Sagene",
        "hvordan får vi dagsenterplass",
        "tusen takk",
    ],
    ["mor er ensom og sitter mye inne", "hun bor på Lambertseter", "hva koster tt-kort"],
    [
        "hvordan får mor medisindispenser",
        "mor bor på Holmlia",
        "hun er redd for å falle igjen",
        "kan hun få trygghetsalarm",
    ],
    [
        "hei",
        "pappa klarer ikke å lage seg mat etter operasjonen",
        "han bor på Frogner",
        "hva koster matombringing",
        "takk skal du ha",
    ],
]
CATALOGUE_ACTIONS = {"action_answer_service", "action_suggest_services", "action_set_district"}

MOODBOT_SCRIPTS: list[list[str]] = [
    ["hello", "I am sad", "yes", "bye"],
    ["hello", "great", "bye"],
    ["hello", "I am sad", "yes", "great", "bye"],
]

# --- CPU and load from /proc -------------------------------------------------------------


def process_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds in user + kernel mode) for every process."""
    table: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        fields = raw.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, ...
        parent, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        table[int(entry.name)] = (parent, (utime + stime) / CLOCK_TICKS)
    return table


def process_tree(table: dict[int, tuple[int, float]], root: int) -> list[int]:
    """`root` and all its descendants."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for pid, (parent, _) in table.items():
        children[parent].append(pid)
    found, stack = list[int](), [root]
    while stack and len(found) < len(table):
        pid = stack.pop()
        if pid in table and pid not in found:
            found.append(pid)
            stack.extend(children[pid])
    return found


def run_queue_seconds(pid: int) -> float:
    """Seconds the threads of `pid` spent ready to run but waiting for a core.

    The second field of /proc/<pid>/task/<tid>/schedstat; it shows how much the other
    work on the machine delayed this process, which CPU time alone does not.
    """
    total = 0
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, IndexError, ValueError):
                total += int((task / "schedstat").read_text().split()[1])
    return total / 1e9


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent on anything but idle and I/O wait, since boot."""
    with open("/proc/stat") as stat:
        values = [int(value) for value in stat.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal guest guest_nice; guest is in user.
    return (sum(values[:8]) - values[3] - values[4]) / CLOCK_TICKS


@dataclass
class CpuSnapshot:
    at: float
    processes: dict[str, float]
    waiting: dict[str, float]
    machine: float

    @classmethod
    def take(cls, pids: dict[str, int]) -> CpuSnapshot:
        table = process_table()
        trees = {name: process_tree(table, pid) for name, pid in pids.items()}
        trees["bench"] = [os.getpid()]  # the bench alone: Rasa and actions are its children
        processes = {name: sum(table[pid][1] for pid in tree) for name, tree in trees.items()}
        waiting = {name: sum(map(run_queue_seconds, tree)) for name, tree in trees.items()}
        return cls(time.perf_counter(), processes, waiting, machine_busy_seconds())


@dataclass
class CpuUse:
    """CPU seconds per process between two snapshots, and what everything else used."""

    seconds: float
    processes: dict[str, float]
    waiting: dict[str, float]
    other: float

    @classmethod
    def between(cls, before: CpuSnapshot, after: CpuSnapshot) -> CpuUse:
        processes = {
            name: after.processes[name] - before.processes[name] for name in before.processes
        }
        waiting = {name: after.waiting[name] - before.waiting[name] for name in before.waiting}
        other = after.machine - before.machine - sum(processes.values())
        return cls(after.at - before.at, processes, waiting, max(0.0, other))

    def describe(self) -> str:
        cores = {name: used / self.seconds for name, used in self.processes.items()}
        parts = [f"{name} {share:.2f}" for name, share in cores.items()]
        parts.append(f"other processes {self.other / self.seconds:.2f}")
        return f"cores busy over {self.seconds:.0f} s: " + ", ".join(parts)


def load_average() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# --- the simulated users -----------------------------------------------------------------


@dataclass
class User:
    """One person chatting: plays the scripts in turn, a new sender id for each."""

    name: str
    scripts: Sequence[Sequence[str]]
    script: int
    turn: int = 0
    conversation: int = 0
    senders: list[str] = field(default_factory=list)

    def next_turn(self) -> tuple[str, str]:
        sender = f"{self.name}-c{self.conversation}"
        if self.turn == 0:
            self.senders.append(sender)
        script = self.scripts[self.script]
        text = script[self.turn]
        self.turn += 1
        if self.turn == len(script):
            self.turn, self.conversation = 0, self.conversation + 1
            self.script = (self.script + 1) % len(self.scripts)
        return sender, text


@dataclass
class Window:
    """What one fixed-rate window measured."""

    latencies: list[float]
    errors: int
    empty: int
    delayed: int
    unfinished: int
    seconds: float
    senders: list[str]

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    @property
    def answered(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


async def drive(
    client: httpx.AsyncClient,
    url: str,
    users: list[User],
    rate: float,
    messages: int,
    drain_seconds: float,
) -> Window:
    """Send `messages` turns at `rate` a second, each by the next idle user, round-robin."""
    idle = collections.deque(users)
    pending: collections.deque[float] = collections.deque()
    latencies: list[float] = []
    counts = {"errors": 0, "empty": 0, "delayed": 0}
    running: set[asyncio.Task[None]] = set()
    finished_at = time.perf_counter()

    async def turn(user: User, scheduled: float) -> None:
        nonlocal finished_at
        sender, text = user.next_turn()
        try:
            response = await client.post(url, json={"sender": sender, "message": text})
            replies: list[dict[str, Any]] = response.json() if response.status_code == 200 else []
            if response.status_code != 200:
                counts["errors"] += 1
            else:
                latencies.append(time.perf_counter() - scheduled)
                counts["empty"] += not any(reply.get("text") for reply in replies)
        except (httpx.HTTPError, ValueError):
            counts["errors"] += 1
        finally:
            finished_at = time.perf_counter()
            idle.append(user)
            dispatch()

    def dispatch() -> None:
        while pending and idle:
            scheduled = pending.popleft()
            counts["delayed"] += time.perf_counter() - scheduled > 0.010
            task = asyncio.create_task(turn(idle.popleft(), scheduled))
            running.add(task)
            task.add_done_callback(running.discard)

    start = time.perf_counter()
    for index in range(messages):
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(scheduled)
        dispatch()
    deadline = time.perf_counter() + drain_seconds
    while (pending or running) and time.perf_counter() < deadline:
        await asyncio.sleep(0.02)
    unfinished = len(pending) + len(running)
    pending.clear()  # so that a cancelled turn frees its user without sending another
    for task in list(running):
        task.cancel()
    await asyncio.gather(*running, return_exceptions=True)
    senders = [sender for user in users for sender in user.senders]
    return Window(
        latencies,
        counts["errors"] + unfinished,
        counts["empty"],
        counts["delayed"],
        unfinished,
        max(finished_at, start + messages / rate) - start,
        senders,
    )


async def parse_only(
    client: httpx.AsyncClient, base: str, texts: list[str], rate: float, messages: int
) -> int:
    """NLU alone: `messages` POSTs to /model/parse at `rate` a second; returns the answered."""
    answered = 0

    async def one(text: str) -> None:
        nonlocal answered
        with contextlib.suppress(httpx.HTTPError):
            response = await client.post(f"{base}/model/parse", json={"text": text})
            answered += response.status_code == 200

    tasks = []
    start = time.perf_counter()
    for index in range(messages):
        delay = start + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(texts[index % len(texts)])))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
    return answered


async def first_actions(
    client: httpx.AsyncClient, base: str, senders: list[str]
) -> collections.Counter[str]:
    """For a sample of conversations: the first action Rasa ran after each user message."""
    actions: collections.Counter[str] = collections.Counter()
    for sender in senders:
        response = await client.get(f"{base}/conversations/{sender}/tracker")
        if response.status_code != 200:
            continue
        waiting = False
        for event in response.json().get("events", []):
            if event.get("event") == "user":
                waiting = True
            elif event.get("event") == "action" and waiting:
                if event.get("name") in ("action_listen", "action_session_start"):
                    continue
                actions[str(event.get("name"))] += 1
                waiting = False
    return actions


@dataclass
class Measured:
    name: str
    window: Window
    cpu: CpuUse
    parse_cpu_ms: float
    actions: collections.Counter[str]
    conversations: int

    def cpu_ms(self, process: str) -> float:
        if process not in self.cpu.processes or not self.window.answered:
            return float("nan")
        return self.cpu.processes[process] * 1000 / self.window.answered

    def waiting_ms(self, process: str) -> float:
        if process not in self.cpu.waiting or not self.window.answered:
            return float("nan")
        return self.cpu.waiting[process] * 1000 / self.window.answered


async def measure(
    name: str,
    base: str,
    pids: dict[str, int],
    scripts: list[list[str]],
    args: argparse.Namespace,
    headers: dict[str, str] | None = None,
) -> Measured:
    """Warm up, then the measured window with CPU snapshots around it, then NLU alone.

    `headers` go with every call (our Rasa's API secret; the bare bot ignores them).
    """
    webhook = f"{base}/webhooks/rest/webhook"
    run = uuid.uuid4().hex[:8]
    limits = httpx.Limits(max_connections=args.users + 8, max_keepalive_connections=args.users)
    async with httpx.AsyncClient(timeout=args.timeout, limits=limits, headers=headers) as client:
        warm = [User(f"warm-{run}-{i}", scripts, i % len(scripts)) for i in range(args.users)]
        await drive(client, webhook, warm, args.rate, args.warmup, args.drain)
        users = [User(f"bench-{run}-{i}", scripts, i % len(scripts)) for i in range(args.users)]
        before = CpuSnapshot.take(pids)
        window = await drive(
            client, webhook, users, args.rate, int(args.rate * args.seconds), args.drain
        )
        cpu = CpuUse.between(before, CpuSnapshot.take(pids))

        texts = [text for script in scripts for text in script]
        before = CpuSnapshot.take(pids)
        parsed = await parse_only(client, base, texts, args.rate, args.parse_messages)
        parse_cpu = CpuUse.between(before, CpuSnapshot.take(pids)).processes["rasa"]
        parse_cpu_ms = parse_cpu * 1000 / parsed if parsed else float("nan")

        sample = window.senders[:: max(1, len(window.senders) // args.sample)][: args.sample]
        actions = await first_actions(client, base, sample)
    return Measured(name, window, cpu, parse_cpu_ms, actions, len(sample))


# --- the two bots --------------------------------------------------------------------------


def wait_for_model(seconds: float) -> None:
    """A training may be writing the model right now: wait until it exists and is still."""
    deadline = time.monotonic() + seconds
    announced = False
    while time.monotonic() < deadline:
        if MODEL.exists() and time.time() - MODEL.stat().st_mtime > 10:
            return
        if not announced:
            print(f"waiting up to {seconds:.0f} s for {MODEL.relative_to(ROOT)} ...", flush=True)
            announced = True
        time.sleep(5)
    raise SystemExit(f"no trained model at {MODEL}: run `make model` first")


def model_components(model: Path) -> str:
    """The components and policies a trained model runs, from its metadata.json."""
    with tarfile.open(model, "r:gz") as archive:
        for member in archive:
            if member.name.lstrip("./") != "metadata.json":
                continue
            extracted = archive.extractfile(member)
            if extracted is None:
                break
            nodes: dict[str, Any] = json.load(extracted)["predict_schema"]["nodes"]
            names = [name[4:].rstrip("0123456789") for name in nodes if name.startswith("run_")]
            return ", ".join(names)
    return "unknown (no metadata.json)"


def load_catalogue(database_url: str) -> None:
    command = [sys.executable, "-m", "services_catalog", "load", "--database-url", database_url]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=300)


def moodbot_project() -> Path:
    """The project `rasa init` makes, trained; cached under var/bench/rasa-init/."""
    if any((RASA_INIT / "models").glob("*.tar.gz")):
        return RASA_INIT
    print("training the `rasa init` baseline once (a few minutes) ...", flush=True)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="rasa-init-", dir=BENCH_VAR))
    try:
        with (BENCH_VAR / "rasa-init-train.log").open("wb") as log:
            subprocess.run(
                [str(RASA), "init", "--no-prompt", "--init-dir", str(folder)],
                cwd=folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=1800,
            )
        if not any((folder / "models").glob("*.tar.gz")):
            raise RuntimeError(f"`rasa init` trained no model; see {BENCH_VAR}/rasa-init-train.log")
        shutil.rmtree(RASA_INIT, ignore_errors=True)
        folder.rename(RASA_INIT)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return RASA_INIT


@contextlib.contextmanager
def moodbot(project: Path, logs: Path) -> Iterator[tuple[str, int]]:
    """`rasa run` on the moodbot on a free loopback port; yields its URL and pid."""
    port = free_port()
    command = [
        str(RASA),
        "run",
        "--enable-api",
        "--port",
        str(port),
        "-i",
        "127.0.0.1",
        "--model",
        str(project / "models"),
        "--credentials",
        str(project / "credentials.yml"),
    ]
    with (logs / "rasa-init.log").open("ab") as log:
        process = subprocess.Popen(command, cwd=project, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(f"{url}/status", process, 240)
            yield url, process.pid
        finally:
            stop_process(process)


def run_seniorveiviser(args: argparse.Namespace) -> Measured:
    with tempfile.TemporaryDirectory(prefix="conversation-bench-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        load_catalogue(database_url)
        with assistant(database_url, LOGS) as stack:
            pids = {"rasa": stack.processes["rasa"].pid, "actions": stack.processes["actions"].pid}
            return asyncio.run(
                measure(
                    "seniorveiviser",
                    stack.rasa_url,
                    pids,
                    SENIORVEIVISER_SCRIPTS,
                    args,
                    stack.rasa_headers,
                )
            )


def run_moodbot(args: argparse.Namespace) -> Measured:
    with moodbot(moodbot_project(), LOGS) as (url, pid):
        return asyncio.run(measure("rasa-init", url, {"rasa": pid}, MOODBOT_SCRIPTS, args))


# --- the report -----------------------------------------------------------------------------


def report(bot: Measured, baseline: Measured, args: argparse.Namespace) -> None:
    print()
    print(
        f"{'':15s} {'p50 ms':>7s} {'p95 ms':>7s} {'p99 ms':>7s} {'msg/s':>6s} {'answered':>8s} "
        f"{'errors':>6s} {'Rasa CPU-ms/turn':>16s} {'actions CPU-ms/turn':>19s} "
        f"{'NLU CPU-ms/parse':>16s}"
    )
    for measured in (bot, baseline):
        window = measured.window
        actions = measured.cpu_ms("actions")
        print(
            f"{measured.name:15s} {window.percentile(0.50):7.1f} {window.percentile(0.95):7.1f} "
            f"{window.percentile(0.99):7.1f} {window.rate:6.2f} {window.answered:8d} "
            f"{window.errors:6d} {measured.cpu_ms('rasa'):16.1f} "
            f"{'-' if math.isnan(actions) else f'{actions:.1f}':>19s} "
            f"{measured.parse_cpu_ms:16.1f}"
        )
    for measured in (bot, baseline):
        window = measured.window
        print(f"\n{measured.name}: {measured.cpu.describe()}")
        print(
            f"  Rasa was ready to run but waited for a core {measured.waiting_ms('rasa'):.1f} "
            f"ms per turn (run queue, /proc/<pid>/task/*/schedstat)"
        )
        print(
            f"  sends delayed >10 ms because all {args.users} users were waiting: "
            f"{window.delayed}; replies without text: {window.empty}; "
            f"unfinished at the end: {window.unfinished}"
        )
        total = sum(measured.actions.values()) or 1
        mix = ", ".join(
            f"{name} {count / total:.0%}" for name, count in measured.actions.most_common()
        )
        print(f"  first action after each message ({measured.conversations} chats): {mix}")
        if measured is bot:
            catalogue = sum(bot.actions[name] for name in CATALOGUE_ACTIONS)
            print(f"  turns answered from the catalogue: {catalogue / total:.0%}")

    p95, rasa_cpu = bot.window.percentile(0.95), bot.cpu_ms("rasa")
    print("\nratios seniorveiviser / rasa-init:")
    print(f"  p95 latency        ×{p95 / baseline.window.percentile(0.95):.2f}")
    print(f"  Rasa CPU-ms/turn   ×{rasa_cpu / baseline.cpu_ms('rasa'):.2f}")
    print()
    cpu_met = "met" if rasa_cpu <= 35 else "NOT met"
    p95_met = "met" if p95 <= 150 and bot.window.errors == 0 else "NOT met"
    print(f"target Rasa CPU ≤ 35 ms per turn: {cpu_met} ({rasa_cpu:.1f} ms)")
    print(
        f"target p95 ≤ 150 ms at {args.rate:g} msg/s: {p95_met} ({p95:.1f} ms, "
        f"{bot.window.errors} errors)"
    )
    delayed = [m.name for m in (bot, baseline) if m.waiting_ms("rasa") > 0.2 * m.cpu_ms("rasa")]
    if delayed:
        print(
            f"caution: other work on this machine kept Rasa waiting for a core "
            f"({', '.join(delayed)}): the latencies and their ratio show that as much as the "
            f"bots; CPU-ms per turn is the steadier figure"
        )


def stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into an exception so that every child process is stopped on the way out."""
    del frame
    raise SystemExit(128 + signum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--rate", type=float, default=10, help="messages a second, in total")
    parser.add_argument("--seconds", type=float, default=60, help="length of the measured window")
    parser.add_argument("--warmup", type=int, default=20, help="messages before measuring")
    parser.add_argument("--parse-messages", type=int, default=100, help="NLU-only requests")
    parser.add_argument("--sample", type=int, default=40, help="conversations to check")
    parser.add_argument("--timeout", type=float, default=30, help="seconds for one reply")
    parser.add_argument("--drain", type=float, default=60, help="seconds to wait for stragglers")
    parser.add_argument("--model-wait", type=float, default=900, help="seconds to wait for model")
    args = parser.parse_args()
    if args.users < 1 or args.rate <= 0 or args.seconds <= 0:
        parser.error("--users, --rate and --seconds must be positive")

    signal.signal(signal.SIGTERM, stop_on_sigterm)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"  # no phoning home from either Rasa
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    print(
        f"conversation benchmark: {args.users} users, {args.rate:g} msg/s for "
        f"{args.seconds:g} s after {args.warmup} warm-up messages; {os.cpu_count()} cores; "
        f"{load_average()}",
        flush=True,
    )
    wait_for_model(args.model_wait)
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(MODEL.stat().st_mtime))
    size = MODEL.stat().st_size / 2**20
    print(f"model {MODEL.relative_to(ROOT)} ({size:.1f} MiB, trained {stamp}):", flush=True)
    print(f"  {model_components(MODEL)}", flush=True)
    bot = run_seniorveiviser(args)
    print(f"seniorveiviser done; {load_average()}", flush=True)
    baseline = run_moodbot(args)
    report(bot, baseline, args)
    print(f"\nlogs in {LOGS.relative_to(ROOT)}; at the end: {load_average()}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted; the bots were stopped", file=sys.stderr)
        sys.exit(130)
