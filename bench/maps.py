"""Draw the locator map of every pair of the 193 UN members, as the web's pair page does.

Prints how many pairs were drawn, the failures (pair and error), and the time per map (median, p99,
worst). Runs on one core by default; ``--processes N`` splits the pairs. The whole run takes about
eight minutes on one core of the 2-core machine.

    .venv/bin/python bench/maps.py
    .venv/bin/python bench/maps.py --limit 500     # the first 500 pairs only
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def draw(pairs: list[tuple[str, str]]) -> tuple[list[float], list[str]]:
    from dyad.web.render import locator

    times, failures = [], []
    for a, b in pairs:
        start = time.perf_counter()
        try:
            if locator(a, b) is None:
                failures.append(f"{a}–{b}: no map")
        except Exception as e:  # a bench reports every failure and goes on
            failures.append(f"{a}–{b}: {type(e).__name__}: {e}")
        times.append(time.perf_counter() - start)
    return times, failures


def main() -> None:
    from test_maps import UN_MEMBERS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    pairs = list(itertools.combinations(UN_MEMBERS, 2))[: args.limit]
    chunks = [pairs[i :: args.processes] for i in range(args.processes)]
    start = time.perf_counter()
    with ProcessPoolExecutor(args.processes) as pool:
        results = list(pool.map(draw, chunks))
    times = sorted(t for ts, _ in results for t in ts)
    failures = [f for _, fs in results for f in fs]
    print(f"pairs drawn: {len(times):,} in {time.perf_counter() - start:.0f} s, failures: {len(failures)}")
    for f in failures:
        print("  " + f)
    p99 = times[int(0.99 * (len(times) - 1))]
    print(
        f"per map: median {statistics.median(times) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"worst {times[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
