"""Benchmark ``dyad serve``: 50 concurrent clients on the pair API and the pair page, on loopback.

Builds (or reuses) a knowledge base of 20,000 pairs × 50 facts with the generator of bench/store.py,
starts ``dyad serve`` on it in a subprocess on a free loopback port, and drives it with concurrent
keep-alive clients for a fixed time per phase, each request a random pair on a random date: first
``GET /api/pairs/{a}/{b}?at=YEAR``, then ``GET /pairs/{a}/{b}?at=YEAR``. Prints requests/s, p50/p99
latency and errors per phase, and the ratios to the targets: no errors, API p99 under 100 ms, API at
least 500 requests/s. Exit status 1 when an API target is missed. Everything stops by itself: each
phase ends at its deadline, each request times out, and the server is stopped at the end.

    python bench/serve.py [--pairs 20000] [--facts 50] [--clients 50] [--seconds 30] [--db PATH]
                          [--workers 2] [--client auto|wrk|python]

The load generator is ``wrk`` when it is on PATH (Debian package ``wrk``; C, so it takes little of the
cores it shares with the server), else a small asyncio client in this file; the report names the one
used. Both walk the same list of random requests, made before the phase, so the report can say how
many requests repeat a (pair, year) asked before in the phase: the most that any cache could answer.
Before each phase a warm-up of a few seconds on other pairs (not measured) lets every worker open its
connections. ``--db`` keeps the generated knowledge base for the next run (it is rebuilt when its
size differs, migrated when its schema is older).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dyad.errors import StoreError  # noqa: E402
from dyad.store import Store  # noqa: E402
from store import NAMES, batches  # noqa: E402  (bench/store.py: the same generated knowledge base)

TARGET_P99_MS = 100.0
TARGET_RPS = 500.0
REQUEST_TIMEOUT_S = 10.0
START_TIMEOUT_S = 60.0
WARM_UP_S = 3.0
#: Requests made ready per phase; the clients walk them in order (and start over, were it ever needed).
PLANNED = 200_000
HOST = "127.0.0.1"  # the only address this bench sends to

# wrk's script: each thread walks its own stretch of the planned requests and counts what it sent;
# done() prints one line that main() reads.
WRK_SCRIPT = r"""
local threads, made = {}, 0
function setup(thread)
  thread:set("id", made)
  table.insert(threads, thread)
  made = made + 1
end
function init(args)
  local all = {}
  for line in io.lines(args[1]) do all[#all + 1] = wrk.format(nil, line) end
  n, at, sent = #all, math.floor(id * #all / tonumber(args[2])), 0
  reqs = all
end
function request()
  at, sent = at % n + 1, sent + 1
  return reqs[at]
end
function done(summary, latency, requests)
  local e, starts = summary.errors, {}
  for _, t in ipairs(threads) do starts[#starts + 1] = t:get("id") .. ":" .. t:get("sent") end
  io.write(string.format("DYAD %d %d %d %d %d %d %d %d %d %s\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(starts, ",")))
end
"""


@dataclass
class Phase:
    name: str
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    errors: int = 0
    first_error: str = ""
    asked: tuple[str, ...] = ()  # the requests sent, to count repeats

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def repeats(self, key: re.Pattern[str]) -> float:
        """The share of requests whose ``key`` (a match of the path) was asked before in the phase."""
        if not self.asked:
            return float("nan")
        keys = [m.group(0) if (m := key.search(p)) else p for p in self.asked]
        return 1 - len(set(keys)) / len(keys)


def build(path: Path, n_pairs: int, n_facts: int) -> list[tuple[str, str]]:
    """The pairs of the bench knowledge base at ``path``, generating it unless it already matches."""
    rng = random.Random(7)
    pairs = rng.sample(list(combinations(sorted(NAMES), 2)), n_pairs)
    if path.exists():
        try:
            with Store(path, read_only=True) as store:
                facts = store.counts()["facts"]
        except StoreError:  # an older schema: opening it for writing migrates it
            print(f"migrating {path} to the current schema ...", file=sys.stderr)
            t0 = time.perf_counter()
            with Store(path) as store:
                facts = store.counts()["facts"]
            print(f"  {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        if facts == n_pairs * n_facts:
            return pairs
        path.unlink()
    print(f"generating {n_pairs:,} pairs × {n_facts} facts into {path} ...", file=sys.stderr)
    actors = [(code, name, "state") for code, name in NAMES.items()]
    with Store(path) as store:
        for batch in batches(pairs, n_facts, seed=11):
            store.bulk_load(batch, actors=actors)
    return pairs


def plan(pairs: list[tuple[str, str]], prefix: str, n: int, seed: int) -> list[str]:
    """``n`` random requests of ``prefix``/{a}/{b}?at=YEAR."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a, b = rng.choice(pairs)
        out.append(f"{prefix}/{a}/{b}?at={rng.randint(1950, 2024)}")
    return out


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-c",
        "from dyad.cli.web import serve; serve()",
        "--db", str(db), "--host", HOST, "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            if httpx.get(f"http://{HOST}:{port}/api/pairs?limit=1", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    server.kill()
    raise SystemExit(f"the server did not answer within {START_TIMEOUT_S:.0f} s")


# -- wrk --


def run_wrk(port: int, paths: list[str], clients: int, seconds: float, phase: Phase, tmp: Path) -> None:
    """Drive the server with wrk: 2 threads (one per core at most), ``clients`` connections."""
    threads = max(1, min(2, os.cpu_count() or 1, clients))
    script, listing = tmp / "dyad.lua", tmp / f"{phase.name.replace(' ', '-')}.txt"
    script.write_text(WRK_SCRIPT)
    listing.write_text("\n".join(paths) + "\n")
    command = [
        "wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds:g}s", f"--timeout={REQUEST_TIMEOUT_S:g}s",
        "-s", str(script), f"http://{HOST}:{port}", "--", str(listing), str(threads),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("DYAD ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result: {done.stdout}{done.stderr}")
    fields = line.split()
    requests, duration_us, p50, p99, *errors = (int(x) for x in fields[1:10])
    phase.requests, phase.seconds = requests, duration_us / 1e6
    phase.p50_ms, phase.p99_ms = p50 / 1000, p99 / 1000
    phase.errors = sum(errors)
    if phase.errors:
        names = ("connect", "read", "write", "status >= 400", "timeout")
        phase.first_error = ", ".join(f"{n} {k}" for n, k in zip(errors, names, strict=True) if n)
    asked: list[str] = []
    for part in fields[10].split(","):
        index, sent = (int(x) for x in part.split(":"))
        start = index * len(paths) // threads
        asked += [paths[(start + k) % len(paths)] for k in range(sent)]
    phase.asked = tuple(asked)


# -- the Python client --


class Connection:
    """One keep-alive HTTP/1.1 connection on asyncio streams: GET and read a Content-Length body.

    Lighter than a general client by a wide margin, so that the client's share of the cores it
    shares with the server stays small; it needs nothing the server does not send (no chunking).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        closing = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                closing = True
        body = await self.reader.readexactly(length)
        if closing:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def drive(port: int, paths: list[str], clients: int, seconds: float, phase: Phase) -> None:
    """``clients`` connections, each taking the next of ``paths`` again and again until the deadline."""
    connections = [Connection(HOST, port) for _ in range(clients)]
    await asyncio.gather(*(c.get(paths[-1 - k]) for k, c in enumerate(connections)))  # open them, unmeasured
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    asked: list[str] = []

    async def one_client(conn: Connection) -> None:
        while time.perf_counter() < deadline:
            path = paths[len(asked) % len(paths)]
            asked.append(path)
            t0 = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(conn.get(path), REQUEST_TIMEOUT_S)
                ok = status == 200
                if not ok and not phase.first_error:
                    phase.first_error = f"{status} on {path}"
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                ok = False
                phase.first_error = phase.first_error or f"{type(e).__name__} on {path}"
                await conn.close()
            if ok:
                latencies.append((time.perf_counter() - t0) * 1000)
            else:
                phase.errors += 1

    started = time.perf_counter()
    try:
        await asyncio.gather(*(one_client(c) for c in connections))
    finally:
        phase.seconds = time.perf_counter() - started
        for c in connections:
            await c.close()
    phase.requests, phase.asked = len(latencies), tuple(asked)
    if len(latencies) > 1:
        q = statistics.quantiles(latencies, n=100, method="inclusive")
        phase.p50_ms, phase.p99_ms = q[49], q[98]


def run_python(port: int, paths: list[str], clients: int, seconds: float, phase: Phase) -> None:
    asyncio.run(drive(port, paths, clients, seconds, phase))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--facts", type=int, default=50, help="facts per pair")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--workers", type=int, default=2, help="server processes (dyad serve --workers)")
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator (auto: wrk if on PATH)",
    )
    parser.add_argument("--db", type=Path, help="knowledge base to build or reuse [default: a temporary one]")
    args = parser.parse_args(argv)
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("wrk is not on PATH (Debian: apt-get install wrk)")
    generator = "wrk (2 threads)" if use_wrk else "Python asyncio client (wrk not on PATH)"
    if args.client == "python":
        generator = "Python asyncio client (--client python)"

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "serve-bench.duckdb"
        db.parent.mkdir(parents=True, exist_ok=True)
        pairs = build(db, args.pairs, args.facts)
        os.sync()  # a file just generated is still being written out: not while the server is measured
        port = free_port()
        server = start_server(db, port, args.workers)
        phases = [Phase("pair API"), Phase("pair page")]
        try:
            for k, (phase, prefix) in enumerate(zip(phases, ("/api/pairs", "/pairs"), strict=True)):
                paths = plan(pairs, prefix, PLANNED, seed=5 + k)
                warm = plan(pairs, prefix, 5_000, seed=1_000 + k)
                print(f"{phase.name}: {args.clients} clients for {args.seconds:g} s ...", file=sys.stderr)
                for todo, seconds, into in (
                    (warm, WARM_UP_S, Phase("warm-up")),
                    (paths, args.seconds, phase),
                ):
                    if use_wrk:
                        run_wrk(port, todo, args.clients, seconds, into, Path(tmp))
                    else:
                        run_python(port, todo, args.clients, seconds, into)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()

    print(
        f"dyad serve bench: {args.pairs:,} pairs × {args.facts} facts, {args.clients} clients, "
        f"{args.seconds:g} s per phase, {args.workers} worker(s), {os.cpu_count()} cores, "
        f"load from {generator}"
    )
    print(f"{'':12}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'repeats':>10}")
    pair_year, pair_only = re.compile(r"/[^/?]+/[^/?]+\?at=\d+$"), re.compile(r"/[^/?]+/[^/?]+(?=\?)")
    for p in phases:
        print(
            f"{p.name:12}{p.requests:>10,}{p.rps:>9.0f}{p.p50_ms:>9.1f}{p.p99_ms:>9.1f}{p.errors:>8}"
            f"{p.repeats(pair_year):>10.1%}"
        )
        if p.first_error:
            print(f"  errors: {p.first_error}")
    print(
        "repeats: requests whose (pair, year) was asked before in the phase, the most a cache of answers "
        f"could serve; of the pair alone: {phases[0].repeats(pair_only):.1%} (API), "
        f"{phases[1].repeats(pair_only):.1%} (page)"
    )
    api = phases[0]
    checks = [
        ("no errors", all(p.errors == 0 for p in phases), ""),
        (
            f"API p99 < {TARGET_P99_MS:g} ms",
            api.p99_ms < TARGET_P99_MS,
            f"target/p99 = {TARGET_P99_MS / api.p99_ms:.2f}",
        ),
        (
            f"API >= {TARGET_RPS:g} req/s",
            api.rps >= TARGET_RPS,
            f"req/s / target = {api.rps / TARGET_RPS:.2f}",
        ),
    ]
    print(
        "targets: "
        + "; ".join(f"{name}: {'ok' if ok else 'MISSED'}{f' ({r})' if r else ''}" for name, ok, r in checks)
    )
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
