"""Benchmark ``dyad serve``: 50 concurrent clients on the pair API and the pair page, on loopback.

Builds (or reuses) a knowledge base of 20,000 pairs × 50 facts with the generator of bench/store.py,
starts ``dyad serve`` on it in a subprocess on a free loopback port, and drives it with concurrent
keep-alive clients (httpx, asyncio) for a fixed time per phase, each request a random pair on a random
date: first ``GET /api/pairs/{a}/{b}?at=YEAR``, then ``GET /pairs/{a}/{b}?at=YEAR``. Prints requests/s,
p50/p99 latency and errors per phase, and the ratios to the targets: no errors, API p99 under 100 ms,
API at least 500 requests/s. Exit status 1 when an API target is missed. Everything stops by itself:
each phase ends at its deadline, each request times out, and the server is stopped at the end.

    python bench/serve.py [--pairs 20000] [--facts 50] [--clients 50] [--seconds 30] [--db PATH]
                          [--workers 1]

``--db`` keeps the generated knowledge base for the next run (it is rebuilt when its size differs).
The client and the server share the machine's cores, as they would on a small server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dyad.store import Store  # noqa: E402
from store import NAMES, batches  # noqa: E402  (bench/store.py: the same generated knowledge base)

TARGET_P99_MS = 100.0
TARGET_RPS = 500.0
REQUEST_TIMEOUT_S = 10.0
START_TIMEOUT_S = 60.0


@dataclass
class Phase:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    first_error: str = ""

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def pct(self, p: int) -> float:
        values = self.latencies_ms
        if len(values) < 2:
            return values[0] if values else float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def build(path: Path, n_pairs: int, n_facts: int) -> list[tuple[str, str]]:
    """The pairs of the bench knowledge base at ``path``, generating it unless it already matches."""
    rng = random.Random(7)
    pairs = rng.sample(list(combinations(sorted(NAMES), 2)), n_pairs)
    if path.exists():
        with Store(path, read_only=True) as store:
            if store.counts()["facts"] == n_pairs * n_facts:
                return pairs
        path.unlink()
    print(f"generating {n_pairs:,} pairs × {n_facts} facts into {path} ...", file=sys.stderr)
    actors = [(code, name, "state") for code, name in NAMES.items()]
    with Store(path) as store:
        for batch in batches(pairs, n_facts, seed=11):
            store.bulk_load(batch, actors=actors)
    return pairs


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-c",
        "from dyad.cli_web import serve; serve()",
        "--db", str(db), "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/pairs?limit=1", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    server.kill()
    raise SystemExit(f"the server did not answer within {START_TIMEOUT_S:.0f} s")


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


async def drive(
    host: str, port: int, make_path: Callable[[], str], clients: int, seconds: float, phase: Phase
) -> None:
    """``clients`` connections, each asking for ``make_path()`` again and again until the deadline."""
    connections = [Connection(host, port) for _ in range(clients)]
    # warm up: open every connection, outside the measure
    await asyncio.gather(*(c.get(make_path()) for c in connections))
    deadline = time.perf_counter() + seconds

    async def one_client(conn: Connection) -> None:
        while time.perf_counter() < deadline:
            path = make_path()
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
            elapsed = (time.perf_counter() - t0) * 1000
            if ok:
                phase.latencies_ms.append(elapsed)
            else:
                phase.errors += 1

    started = time.perf_counter()
    try:
        await asyncio.gather(*(one_client(c) for c in connections))
    finally:
        phase.seconds = time.perf_counter() - started
        for c in connections:
            await c.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--facts", type=int, default=50, help="facts per pair")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--db", type=Path, help="knowledge base to build or reuse [default: a temporary one]")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "serve-bench.duckdb"
        db.parent.mkdir(parents=True, exist_ok=True)
        pairs = build(db, args.pairs, args.facts)
        rng = random.Random(5)

        def api_path() -> str:
            a, b = rng.choice(pairs)
            return f"/api/pairs/{a}/{b}?at={rng.randint(1950, 2024)}"

        def page_path() -> str:
            a, b = rng.choice(pairs)
            return f"/pairs/{a}/{b}?at={rng.randint(1950, 2024)}"

        port = free_port()
        server = start_server(db, port, args.workers)
        phases = [Phase("pair API"), Phase("pair page")]
        try:
            for phase, make in zip(phases, (api_path, page_path), strict=True):
                print(f"{phase.name}: {args.clients} clients for {args.seconds:g} s ...", file=sys.stderr)
                asyncio.run(drive("127.0.0.1", port, make, args.clients, args.seconds, phase))
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()

    print(
        f"dyad serve bench: {args.pairs:,} pairs × {args.facts} facts, {args.clients} clients, "
        f"{args.seconds:g} s per phase, {args.workers} worker(s), {os.cpu_count()} cores"
    )
    print(f"{'':12}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for p in phases:
        print(
            f"{p.name:12}{len(p.latencies_ms):>10,}{p.rps:>9.0f}{p.pct(50):>9.1f}{p.pct(99):>9.1f}{p.errors:>8}"
        )
        if p.first_error:
            print(f"  first error: {p.first_error}")
    api = phases[0]
    checks = [
        ("no errors", all(p.errors == 0 for p in phases), ""),
        (
            f"API p99 < {TARGET_P99_MS:g} ms",
            api.pct(99) < TARGET_P99_MS,
            f"target/p99 = {TARGET_P99_MS / api.pct(99):.2f}",
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
