"""Benchmark ingest of many small files: files/s written, files/s unchanged, and the one-by-one rate.

Writes N tiny articles of its own (default 100,000: a title line and one or two sentences about a pair
of real countries, about 150 bytes each) into a folder, then ingests the folder into a new knowledge
base with the real reader and extractor, as ``dyad ingest`` does, in batches (INGEST_BATCH_FILES per
transaction); then ingests it again (every file unchanged); then ingests a sample of the files one
transaction each (the batch size set to 1), the way ingest wrote before batching, for the ratio.
Prints files/s, facts, peak memory and the ratios; exit status 1 when the batched rate is under the
target of 1,000 files/s.

    python bench/ingest.py [--files 100000] [--sample 2000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import iso3166

import dyad
import dyad.ingest

TARGET = 1_000  # files/s
SENTENCES = (
    "{a} and {b} established diplomatic relations in {year}.",
    "{a} opened an embassy in {city} in {year}.",
    "The two countries signed a trade agreement in {year}.",
    "{b} recalled its ambassador from {a} in {year}.",
)
CAPITALS = {"BEL": "Brussels", "FRA": "Paris", "JPN": "Tokyo", "PER": "Lima", "KEN": "Nairobi"}


def write_articles(folder: Path, n: int, seed: int = 11) -> int:
    """``n`` tiny articles in ``folder`` (100 a subfolder); returns their bytes."""
    rng = random.Random(seed)
    names = [(c.alpha3, c.name) for c in iso3166.countries_by_alpha3.values() if len(c.name) < 20]
    total = 0
    for i in range(n):
        (ca, a), (cb, b) = rng.sample(names, 2)
        city = CAPITALS.get(cb, "the capital")
        body = " ".join(
            s.format(a=a, b=b, city=city, year=rng.randint(1900, 2020)) for s in rng.sample(SENTENCES, 2)
        )
        text = f"= {a}–{b} relations =\n\n{body} Article {i}.\n"
        path = folder / f"{i // 100:04d}" / f"{i:06d}.txt"
        if i % 100 == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def timed_ingest(db: Path, paths: list[Path]) -> tuple[float, dyad.kb.IngestReport]:
    started = time.perf_counter()
    with dyad.open(db) as kb:
        done = kb.ingest(paths)
    return time.perf_counter() - started, done


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000, help="files ingested one transaction each")
    parser.add_argument("--dir", type=Path, help="where to write the files [default: a temporary folder]")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp)
        articles = root / "articles"
        started = time.perf_counter()
        size = write_articles(articles, args.files)
        print(f"wrote {args.files:,} articles, {size / 1e6:.1f} MB, in {time.perf_counter() - started:.1f} s")

        seconds, done = timed_ingest(root / "kb.duckdb", [articles])
        assert done.ok, done.errors[:3]
        rate = args.files / seconds
        print(
            f"ingest, batches of {dyad.ingest.INGEST_BATCH_FILES}: {args.files:,} files in {seconds:.1f} s = "
            f"{rate:,.0f} files/s, {done.facts:,} facts ({done.facts / seconds:,.0f} facts/s), "
            f"peak RSS {peak_mb():.0f} MB"
        )
        seconds, again = timed_ingest(root / "kb.duckdb", [articles])
        assert again.count("unchanged") == args.files
        print(f"again, all unchanged: {args.files / seconds:,.0f} files/s")

        sample = sorted(articles.rglob("*.txt"))[: args.sample]
        dyad.ingest.INGEST_BATCH_FILES = 1
        seconds, one = timed_ingest(root / "one.duckdb", sample)
        assert one.ok
        single = len(sample) / seconds
        print(f"one transaction a file ({len(sample):,} files): {single:,.0f} files/s")
        verdict = "met" if rate >= TARGET else "MISSED"
        print(f"batched / one by one: {rate / single:.1f}x; target {TARGET:,} files/s: {verdict}")
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
