"""Soak ``dyad serve --workers 2 --allow-ingest``: 50 clients reading while articles are uploaded.

Builds (or reuses) a knowledge base with the generator of bench/store.py (2,000 pairs × 20 facts by
default) plus the example articles, serves it on a loopback port with two worker processes and ingest
on, and for ``--minutes`` (10) runs:

- ``--clients`` (50) keep-alive clients, each asking in turn for a random page or API call and
  pausing about ``--think`` seconds (2; from half to one and a half times that) between answers, as
  people reading do; some 25 requests/s, half what the two workers answer on the 2-core machine when
  they and this client share it (``--think 0`` saturates them, and then measures queueing): pair
  pages, country pages, the home page and the source list; the pair API on a random date, timelines,
  and ``/api/facts?since=YEAR&limit=1`` on a random year (the query that used to fill the cache),
  about two API calls for each page;
- one authorized client uploading an article every ``--upload-every`` seconds (3): an example
  article with a paragraph of its own appended, so that each one is new and extracted.

Prints, per minute and at the end: requests and their rate, 5xx answers and failed connections
(target: zero), API and page latency (p50, p99; target API p99 < 250 ms), uploads (status and
latency), and the resident memory of the server's processes (the two workers, and all of them with
the extraction processes): each minute's mean, and the ratio of the memory at the end to the memory
at the end of minute one (target: within 10 %). Exit status 1 when a target is missed. Nothing is
sent anywhere but 127.0.0.1; every request has a timeout, and the server is stopped at the end.

    .venv/bin/python bench/soak.py                      # the full ten minutes
    .venv/bin/python bench/soak.py --minutes 2          # a short run
    .venv/bin/python bench/soak.py --db /tmp/soak.duckdb  # keep the generated knowledge base

The server is started as ``dyad serve --workers N --allow-ingest``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dyad.kb as kb_module  # noqa: E402
from serve import build  # noqa: E402  (bench/serve.py: the generated knowledge base)

HOST = "127.0.0.1"  # the only address this bench sends to
TOKEN = "soak-token"
TARGET_API_P99_MS = 250.0
TARGET_MEMORY_RATIO = 1.10
REQUEST_TIMEOUT_S = 30.0
START_TIMEOUT_S = 120.0
SAMPLE_EVERY_S = 5.0
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@dataclass
class Minute:
    """What happened in one minute of the soak."""

    api: list[float] = field(default_factory=list)
    pages: list[float] = field(default_factory=list)
    errors_5xx: int = 0
    failed: int = 0
    other: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    uploads: list[tuple[int, float]] = field(default_factory=list)
    workers_rss: list[int] = field(default_factory=list)
    all_rss: list[int] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def descendants(pid: int) -> list[int]:
    """``pid`` and every process under it, from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children[ppid].append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def memory(server: int) -> tuple[int, int]:
    """Resident bytes of the server's worker processes, and of all its processes."""
    procs = descendants(server)
    workers = [p for p in procs if "multiprocessing.spawn" in cmdline(p) or "spawn_main" in cmdline(p)]
    return sum(rss(p) for p in workers), sum(rss(p) for p in procs)


def start_server(db: Path, port: int, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``dyad serve`` on ``db`` with ingest on, and how the report names it."""
    dyad = shutil.which("dyad") or str(Path(sys.executable).with_name("dyad"))
    args = ["--db", str(db), "--host", HOST, "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as err:
        proc = subprocess.Popen([dyad, "serve", *args, "--allow-ingest", "--token", TOKEN], stderr=err)
    deadline = time.monotonic() + START_TIMEOUT_S
    while proc.poll() is None and not answers(port) and time.monotonic() < deadline:
        time.sleep(0.5)
    return proc, "dyad serve"


def answers(port: int) -> bool:
    try:
        return httpx.get(f"http://{HOST}:{port}/api/pairs?limit=1", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def plan_request(rng: random.Random, pairs: list[tuple[str, str]], countries: list[str]) -> tuple[str, str]:
    """A random request: ('api' or 'page', path)."""
    a, b = rng.choice(pairs)
    year = rng.randint(1950, 2024)
    roll = rng.random()
    if roll < 0.35:
        return "api", f"/api/pairs/{a}/{b}?at={year}"
    if roll < 0.50:
        return "api", f"/api/pairs/{a}/{b}/timeline"
    if roll < 0.65:
        return "api", f"/api/facts?since={rng.randint(1000, 2024)}&limit=1"
    if roll < 0.90:
        return "page", f"/pairs/{a}/{b}?at={year}"
    if roll < 0.95:
        return "page", f"/countries/{rng.choice(countries)}?at={year}"
    return "page", rng.choice(["/", "/sources", "/pairs"])


async def reader(
    client: httpx.AsyncClient,
    rng: random.Random,
    pairs,
    countries,
    minutes: list[Minute],
    start: float,
    end: float,
    think: float,
) -> None:
    await asyncio.sleep(think * rng.random())  # people do not all come at the same instant
    while (now := time.monotonic()) < end:
        kind, path = plan_request(rng, pairs, countries)
        minute = minutes[min(int((now - start) // 60), len(minutes) - 1)]
        t0 = time.perf_counter()
        try:
            r = await client.get(path)
        except httpx.HTTPError:
            minute.failed += 1
        else:
            took = time.perf_counter() - t0
            (minute.api if kind == "api" else minute.pages).append(took)
            if r.status_code >= 500:
                minute.errors_5xx += 1
            elif r.status_code not in (200, 308):
                minute.other[r.status_code] += 1
        await asyncio.sleep(think * (0.5 + rng.random()))


def article(n: int) -> tuple[str, bytes]:
    examples = sorted(EXAMPLES.glob("*.txt"))
    source = examples[n % len(examples)]
    extra = f"\n\nIn {1950 + n % 70} the two governments held talks on trade, the soak's upload number {n}.\n"
    return f"soak-{n}-{source.name}", source.read_bytes() + extra.encode()


async def uploader(
    client: httpx.AsyncClient, minutes: list[Minute], start: float, end: float, every: float
) -> None:
    n = 0
    while (now := time.monotonic()) < end:
        name, data = article(n)
        n += 1
        minute = minutes[min(int((now - start) // 60), len(minutes) - 1)]
        t0 = time.perf_counter()
        try:
            r = await client.post(
                "/api/sources",
                files={"file": (name, data, "text/plain")},
                headers={"authorization": f"Bearer {TOKEN}"},
            )
            minute.uploads.append((r.status_code, time.perf_counter() - t0))
            if r.status_code >= 500:
                minute.errors_5xx += 1
        except httpx.HTTPError:
            minute.failed += 1
        await asyncio.sleep(max(0.0, every - (time.perf_counter() - t0)))


async def sampler(server: int, minutes: list[Minute], start: float, end: float) -> None:
    while (now := time.monotonic()) < end:
        minute = minutes[min(int((now - start) // 60), len(minutes) - 1)]
        workers, everything = memory(server)
        minute.workers_rss.append(workers)
        minute.all_rss.append(everything)
        await asyncio.sleep(SAMPLE_EVERY_S)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def mb(n: float) -> str:
    return f"{n / 1e6:.0f} MB"


async def soak(args: argparse.Namespace, port: int, server: int, pairs, countries) -> list[Minute]:
    minutes = [Minute() for _ in range(args.minutes)]
    limits = httpx.Limits(max_connections=args.clients + 1, max_keepalive_connections=args.clients + 1)
    timeout = httpx.Timeout(REQUEST_TIMEOUT_S)
    base = f"http://{HOST}:{port}"
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        start = time.monotonic()
        end = start + args.minutes * 60
        tasks = [
            reader(client, random.Random(i), pairs, countries, minutes, start, end, args.think)
            for i in range(args.clients)
        ]
        tasks.append(uploader(client, minutes, start, end, args.upload_every))
        tasks.append(sampler(server, minutes, start, end))
        tasks.append(progress(minutes, start, end))
        await asyncio.gather(*tasks)
    return minutes


async def progress(minutes: list[Minute], start: float, end: float) -> None:
    shown = 0
    while time.monotonic() < end:
        await asyncio.sleep(1.0)
        done = int((time.monotonic() - start) // 60)
        while shown < min(done, len(minutes)):
            report_minute(shown + 1, minutes[shown])
            shown += 1


def report_minute(n: int, m: Minute) -> None:
    ups = [s for s, _ in m.uploads]
    n_req = len(m.api) + len(m.pages)
    workers, everything = statistics.mean(m.workers_rss or [0]), statistics.mean(m.all_rss or [0])
    print(
        f"minute {n:2d}: {n_req:6,} requests ({n_req / 60:5.1f}/s), 5xx {m.errors_5xx}, failed {m.failed}, "
        f"API p50/p99 {pct(m.api, 50):.0f}/{pct(m.api, 99):.0f} ms, "
        f"pages p50/p99 {pct(m.pages, 50):.0f}/{pct(m.pages, 99):.0f} ms, uploads {len(ups)} "
        f"({sum(1 for s in ups if s in (200, 201))} ok), workers {mb(workers)}, all {mb(everything)}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--think", type=float, default=2.0, help="seconds a client pauses between answers")
    parser.add_argument("--upload-every", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--facts", type=int, default=20)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.minutes < 2:
        parser.error("--minutes: at least 2, to compare the last minute's memory with the first's")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on the way out
    folder = Path(tempfile.mkdtemp(prefix="dyad-soak-"))
    db = folder / "soak.duckdb"
    try:
        base = args.db or folder / "base.duckdb"
        pairs = build(base, args.pairs, args.facts)
        shutil.copyfile(base, db)  # uploads go into a copy: the generated base stays as it was
        with kb_module.open(db) as kb:
            kb.ingest([EXAMPLES])
        countries = sorted({c for p in pairs for c in p})
        port = free_port()
        proc, how = start_server(db, port, args.workers, folder / "serve.log")
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not answers(port):
                if time.monotonic() > deadline or proc.poll() is not None:
                    print("the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.5)
            print(
                f"soak: {how}, --workers {args.workers}, {args.pairs:,} pairs × {args.facts} facts "
                "+ examples; "
                f"{args.clients} clients (think {args.think} s), an upload every {args.upload_every} s, "
                f"{args.minutes} min",
                flush=True,
            )
            minutes = asyncio.run(soak(args, port, proc.pid, pairs, countries))
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        return summary(minutes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def summary(minutes: list[Minute]) -> int:
    api = [t for m in minutes for t in m.api]
    pages = [t for m in minutes for t in m.pages]
    errors = sum(m.errors_5xx for m in minutes)
    failed = sum(m.failed for m in minutes)
    uploads = [u for m in minutes for u in m.uploads]
    other: dict[int, int] = defaultdict(int)
    for m in minutes:
        for k, v in m.other.items():
            other[k] += v
    # Memory at the end of minute one (its last sample) and at the end (the last sample of all).
    first, last = minutes[0], minutes[-1]
    w1, w2 = (first.workers_rss or [0])[-1], (last.workers_rss or [0])[-1]
    a1, a2 = (first.all_rss or [0])[-1], (last.all_rss or [0])[-1]
    api_p99 = pct(api, 99)
    print()
    print(f"requests: {len(api) + len(pages):,} ({(len(api) + len(pages)) / (60 * len(minutes)):.1f}/s), "
          f"API {len(api):,}, pages {len(pages):,}; other statuses {dict(other) or 'none'}")  # fmt: skip
    print(f"5xx answers: {errors}; failed connections: {failed}   (target: 0)")
    print(f"API latency p50 {pct(api, 50):.0f} ms, p99 {api_p99:.0f} ms   "
          f"(target p99 < {TARGET_API_P99_MS:.0f} ms: ratio {api_p99 / TARGET_API_P99_MS:.2f})")  # fmt: skip
    print(f"page latency p50 {pct(pages, 50):.0f} ms, p99 {pct(pages, 99):.0f} ms")
    ok = sum(1 for s, _ in uploads if s in (200, 201))
    print(f"uploads: {len(uploads)}, {ok} stored; latency p50 {pct([t for _, t in uploads], 50):.0f} ms, "
          f"p99 {pct([t for _, t in uploads], 99):.0f} ms")  # fmt: skip
    print(f"resident memory, workers: at minute one {mb(w1)}, at the end {mb(w2)}, ratio {w2 / w1:.3f}   "
          f"(target ≤ {TARGET_MEMORY_RATIO:.2f})")  # fmt: skip
    print(f"resident memory, all server processes: at minute one {mb(a1)}, at the end {mb(a2)}, "
          f"ratio {a2 / a1:.3f}")  # fmt: skip
    met = errors == 0 and failed == 0 and api_p99 < TARGET_API_P99_MS and w2 / w1 <= TARGET_MEMORY_RATIO
    print("targets met" if met else "targets missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
