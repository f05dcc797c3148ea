#!/usr/bin/env python3
"""Throughput benchmark for ``dyad.pipeline.extract_text`` (not part of the test suite).

Builds an in-memory corpus from the dev articles (``../shared/eval/dev/*.txt``) and the seed
(``../shared/seed/*.txt``), repeated under distinct paths (``dev-0003/japan-peru-relations.txt``)
until it holds at least ``--mb`` megabytes (1 MB = 10**6 bytes of UTF-8), then extracts every document
on one core and prints the throughput and the peak memory against the target of 2 MB/s.

    .venv/bin/python bench/extract.py                # 20 MB
    .venv/bin/python bench/extract.py --mb 5 --profile
    .venv/bin/python bench/extract.py --pathological # 50 KB .. 20 MB of hostile text, time and memory

Passes, in order: a warm-up over the unique files (untimed, fills first-call caches), the timed pass,
a pass under tracemalloc for the peak of Python allocations made while extracting (``--no-trace`` skips
it; tracing slows Python down, which is why it is not the timed pass), and with ``--profile`` a pass under
cProfile whose top functions by cumulative time are printed.

``--pathological`` instead extracts single documents built to be hard, at sizes doubling from 50 KB to
20 MB (the size limit): one paragraph repeating a mission phrase with no sentence end, one sentence
that coordinates actor names without end, and the seed article repeated. Each size runs in a child
process, which reports its time and the growth of its resident memory; the ratio of each time to the
previous size's must stay near 2 (linear cost).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
TARGET_MBPS = 1.0  # issue 8: at least 1 MB/s per core end to end
MB = 1_000_000

Corpus = list[tuple[str, str]]


def load_extract_text() -> Callable:
    """``dyad.pipeline.extract_text``, from the installed package or else from ``src/``."""
    try:
        import dyad  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "src"))
    try:
        from dyad.pipeline import extract_text
    except ImportError as exc:
        sys.exit(
            f"bench: cannot import dyad.pipeline.extract_text ({exc}); install the project "
            f"(pip install -e .) or run from a checkout with src/dyad/pipeline.py"
        )
    return extract_text


def source_files(shared: Path) -> list[Path]:
    dev, seed = shared / "eval" / "dev", shared / "seed"
    if not dev.is_dir():
        sys.exit(
            f"bench: {dev} not found; the benchmark needs the shared dev articles "
            f"(pass --shared DIR if shared/ lives elsewhere)"
        )
    files = sorted(dev.glob("*.txt")) + (sorted(seed.glob("*.txt")) if seed.is_dir() else [])
    if not files:
        sys.exit(f"bench: no *.txt articles in {dev} or {seed}")
    return files


def build_corpus(files: Sequence[Path], mb: float, repeat_min: int) -> tuple[Corpus, int]:
    """The files as (path, text), repeated under distinct paths until at least ``mb`` MB."""
    # Decode the bytes ourselves: offsets are code points into the file decoded as UTF-8,
    # with no newline translation.
    unique = [(p.name, p.read_bytes().decode("utf-8")) for p in files]
    unit = sum(len(text.encode("utf-8")) for _, text in unique)
    repeats = max(repeat_min, 1, -(-int(mb * MB) // unit))
    corpus = [(f"dev-{r:04d}/{name}", text) for r in range(repeats) for name, text in unique]
    return corpus, repeats


def run(extract_text: Callable, corpus: Corpus) -> int:
    """Extract every document; return the number of facts. Results are dropped as they come."""
    facts = 0
    for path, text in corpus:
        try:
            doc = extract_text(text, path)
        except Exception:
            print(f"bench: extract_text failed on {path}", file=sys.stderr)
            raise
        facts += len(doc.facts)
    return facts


def maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / MB if sys.platform == "darwin" else rss * 1024 / MB  # bytes on macOS, KiB on Linux


PATHOLOGICAL_KB = (50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 20000)


def _hostile(kind: str, size: int, seed: str) -> str:
    """A document of about ``size`` bytes of the given kind."""
    if kind == "repeated phrase":
        unit, head = "Belgium embassy Damascus ", "= Belgium–Syria relations =\n\n"
    elif kind == "endless coordination":
        unit, head = "Belgium and Syria and France, ", "= Belgium–Syria relations =\n\n"
    else:
        head, body = seed.split("\n", 1)
        head, unit = head + "\n", body
    return head + unit * max(1, (size - len(head)) // len(unit.encode("utf-8")))


def _measure(extract_text: Callable, text: str, conn) -> None:  # in the child process
    base = maxrss_mb()
    t0 = time.perf_counter()
    doc = extract_text(text, "hostile.txt")
    conn.send((time.perf_counter() - t0, maxrss_mb() - base, len(doc.facts)))
    conn.close()


def pathological(shared: Path, max_kb: int) -> int:
    import multiprocessing as mp

    seed_files = sorted((shared / "seed").glob("*.txt"))
    if not seed_files:
        sys.exit(f"bench: no seed article in {shared / 'seed'}")
    seed = seed_files[0].read_text(encoding="utf-8")
    extract_text = load_extract_text()
    extract_text(seed, "warm.txt")  # tables and caches built before the children fork
    ctx = mp.get_context("fork")
    worst = 0.0
    for kind in ("repeated phrase", "endless coordination", "article repeated"):
        print(f"{kind}:")
        prev = None
        for kb in (k for k in PATHOLOGICAL_KB if k <= max_kb):
            text = _hostile(kind, kb * 1000, seed)
            here, there = ctx.Pipe()
            child = ctx.Process(target=_measure, args=(extract_text, text, there))
            child.start()
            secs, grew, facts = here.recv()
            child.join()
            ratio = secs / prev[1] * prev[0] / kb if prev else None
            step = f"  x{secs / prev[1]:.2f} for x{kb / prev[0]:.2f} size" if prev else ""
            print(
                f"  {kb / 1000:7.2f} MB  {secs:7.2f} s  {kb / 1000 / secs:5.2f} MB/s  "
                f"rss +{grew:6.1f} MB  {facts:3d} facts{step}"
            )
            if ratio is not None and kb >= 400:
                worst = max(worst, ratio)
            prev = (kb, secs)
    print(f"worst time growth per doubling, normalised to size (1.0 = linear): {worst:.2f}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="minimum corpus size in MB (default 20)")
    ap.add_argument(
        "--repeat-min",
        type=int,
        default=1,
        help="repeat the source files at least this many times (default 1)",
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="also run under cProfile and print the top 25 functions by cumulative time",
    )
    ap.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    ap.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help=f"the shared folder (default {DEFAULT_SHARED})"
    )
    ap.add_argument("--pathological", action="store_true", help="hostile single documents, 50 KB to 20 MB")
    ap.add_argument("--max-kb", type=int, default=20000, help="with --pathological: largest size in KB")
    args = ap.parse_args(argv)
    if args.pathological:
        return pathological(args.shared, args.max_kb)

    files = source_files(args.shared)
    extract_text = load_extract_text()
    corpus, repeats = build_corpus(files, args.mb, args.repeat_min)
    total_mb = sum(len(text.encode("utf-8")) for _, text in corpus) / MB
    print(
        f"corpus: {len(files)} files x {repeats} = {len(corpus)} documents, {total_mb:.2f} MB "
        f"(python {sys.version.split()[0]}, pid {os.getpid()})"
    )

    run(extract_text, corpus[: len(files)])  # warm-up: one pass over the unique files

    t0 = time.perf_counter()
    facts = run(extract_text, corpus)
    secs = time.perf_counter() - t0
    mbps = total_mb / secs
    print(f"total:      {total_mb:.2f} MB")
    print(f"documents:  {len(corpus)}")
    print(f"facts:      {facts}")
    print(f"seconds:    {secs:.2f}")
    print(f"MB/s:       {mbps:.2f}")
    print(f"docs/s:     {len(corpus) / secs:.1f}")
    print(f"facts/s:    {facts / secs:.1f}")

    if not args.no_trace:
        tracemalloc.start()
        run(extract_text, corpus)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak mem:   tracemalloc {peak / MB:.1f} MB (allocations while extracting, corpus excluded)")
    print(f"peak rss:   ru_maxrss {maxrss_mb():.1f} MB (whole process, corpus included)")
    print(f"target {TARGET_MBPS:.1f} MB/s: {mbps / TARGET_MBPS:.2f}x")

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        run(extract_text, corpus)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
        print("\nprofile (one pass under cProfile, top 25 by cumulative time):")
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
