"""Benchmark the knowledge base: bulk ingest, size on disk, and show/timeline latency, DuckDB beside SQLite.

Generates a knowledge base with the real schema (default 20,000 pairs × 50 facts: 1M facts, 2M evidence
rows), loads it through ``Store.bulk_load`` and, with the same schema and rows, into SQLite (stdlib
sqlite3). Then it asks ``KnowledgeBase.show`` and ``KnowledgeBase.timeline`` about random pairs of the
DuckDB file, and, on SQLite, fetches each pair's facts with the facts/evidence SELECTs of
``dyad.store.fact_queries`` (one index more: evidence by fact) and answers with the same pure functions
the knowledge base calls (:func:`dyad.query.pair_state`, :func:`dyad.query.timeline`). DuckDB reads a
pair from its per-pair table (one indexed row per pair and source, written with the facts).
Prints rates, sizes, p50/p99 latencies and DuckDB/SQLite ratios, and checks the targets: show and
timeline p99 under 50 ms, ingest at least 50,000 facts/s (exit status 1 when one is missed).

Then it exports every fact with ``dyad facts --format json|csv|parquet`` (a process of its own each,
output to /dev/null) from the big knowledge base and from a small one (200 pairs), and prints each
export's time and peak memory: the export pages through the store, so its memory does not grow with
the knowledge base. ``--in-memory`` adds, for comparison, the CSV built from the whole list of facts,
as the export did before (several GB on 1M facts).

    python bench/store.py [--pairs 20000] [--facts 50] [--queries 500] [--dir DIR] [--in-memory]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import iso3166

from dyad import query
from dyad.kb import KnowledgeBase
from dyad.model import Document, Evidence, Fact, Source
from dyad.store import Store, document_tables, fact_queries, pair_key, schema_sql, stored_facts

TARGET_LATENCY_MS = 50.0
TARGET_INGEST = 50_000
BATCH = 1_000  # documents per bulk_load transaction
NAMES = {code: c.name for code, c in iso3166.countries_by_alpha3.items()}


class Codes:
    """A gazetteer that knows codes only: the bench asks by code, so resolution costs a dict lookup."""

    def resolve(self, name: str) -> str | None:
        return name if name in NAMES else None

    def name(self, code: str) -> str:
        return NAMES[code]

    def suggest(self, name: str, n: int = 5) -> list[str]:
        return []


# -- generating documents --


def _fact(rng: random.Random, i: int, a: str, b: str) -> tuple[str, str, str, dict[str, Any], dict[str, str]]:
    x, y = (a, b) if rng.random() < 0.5 else (b, a)
    year = rng.randint(1946, 2023)
    period = {"start": str(year)} if rng.random() < 0.7 else {}
    if rng.random() < 0.4:
        period["end"] = str(year + rng.randint(0, 20))
    kind = i % 10
    if kind == 0:
        return (
            "relations",
            a,
            b,
            {"status": "established"},
            {"start": f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"},
        )
    if kind in (1, 2):
        city = rng.choice(("Capital", "Port", "North", "South"))
        return "mission", x, y, {"kind": rng.choice(("embassy", "consulate")), "city": f"{city} {i}"}, period
    if kind == 3:
        return "envoy", x, y, {"person": f"Person {i}", "rank": "ambassador"}, period
    if kind == 4:
        return "trade", x, y, {"goods": ["machinery", "textiles"], "trend": "growing"}, period
    if kind == 5:
        return "sanctions", x, y, {"scope": ["officials"]}, period
    if kind == 6:
        return "aid", x, y, {"kind": "humanitarian", "channels": ["UN"]}, period
    if kind == 7:
        return "migration", x, y, {"kind": "refugees"}, period
    if kind == 8:
        return "statement", x, y, {"stance": "support", "subject": f"subject {i}"}, {"date": str(year)}
    return "security", x, y, {"kind": "counterterrorism"}, period


def make_document(n: int, a: str, b: str, facts: int, rng: random.Random) -> tuple[Document, str]:
    """A document about a and b with ``facts`` facts, each with two pieces of evidence in its text."""
    title = f"{NAMES[a]}–{NAMES[b]} relations"
    parts = [f"= {title} =\n\n"]
    offset = len(parts[0])
    made = []
    for i in range(facts):
        type_, actor, target, attrs, when = _fact(rng, i, a, b)
        sentence = f"Fact {i}: {NAMES[actor]} and {NAMES[target]}, {type_} {attrs} {when}. "
        first = Evidence("Body", offset, offset + len(sentence) - 1, sentence[:-1])
        second = Evidence("Body", offset, offset + 7, sentence[:7])
        made.append(
            Fact(type_, actor, target, attrs, (first, second), confidence=0.9, rule="bench@1", **when)
        )
        parts.append(sentence)
        offset += len(sentence)
    text = "".join(parts)
    source = Source(
        f"/bench/{n:05d}-{a}-{b}.txt", title, "article", hashlib.sha256(text.encode()).hexdigest()
    )
    return Document(source, (a, b), tuple(made)), text


def batches(pairs: list[tuple[str, str]], facts: int, seed: int) -> Iterator[list[tuple[Document, str]]]:
    rng = random.Random(seed)
    for start in range(0, len(pairs), BATCH):
        yield [
            make_document(start + k, a, b, facts, rng)
            for k, (a, b) in enumerate(pairs[start : start + BATCH])
        ]


# -- SQLite beside DuckDB --


class SqliteFacts:
    """The same schema and SQL on SQLite: load documents, read a pair's facts."""

    def __init__(self, path: Path) -> None:
        self.con = sqlite3.connect(path)
        self.next_fact = 1

    def create(self) -> None:
        for sql in schema_sql():
            self.con.execute(sql)
        # SQLite has no min/max zonemaps to find a fact's evidence, so it gets the index DuckDB goes without.
        self.con.execute("CREATE INDEX evidence_fact ON evidence (fact_id)")
        self.con.commit()

    def load(
        self, items: list[tuple[Document, str]], first_source: int, actors: list[tuple[str, str, str]]
    ) -> None:
        rows = [(first_source + k, doc, text) for k, (doc, text) in enumerate(items)]
        total = sum(len(doc.facts) for doc, _ in items)
        tables = document_tables(rows, range(self.next_fact, self.next_fact + total))
        self.next_fact += total
        for name, table in zip(("sources", "facts", "evidence"), tables, strict=True):
            columns = [c.to_pylist() for c in table.columns]
            if name == "sources":
                columns[7] = [t.isoformat(sep=" ") for t in columns[7]]
            marks = ", ".join("?" * table.num_columns)
            names = ", ".join(f'"{c}"' for c in table.column_names)
            self.con.executemany(f"INSERT INTO {name} ({names}) VALUES ({marks})", zip(*columns, strict=True))
        self.con.executemany("INSERT OR IGNORE INTO actors VALUES (?, ?, ?)", actors)
        self.con.commit()

    def pair_facts(self, a: str, b: str) -> list[Any]:
        facts_sql, evidence_sql, sources_sql = fact_queries("pair = ?")
        params = [pair_key(a, b)]
        rows = self.con.execute(facts_sql, params).fetchall()
        evidence = self.con.execute(evidence_sql, params).fetchall()
        return stored_facts(rows, evidence, self.con.execute(sources_sql, params).fetchall())

    def show(self, a: str, b: str, at: str) -> query.PairState:
        return query.pair_state(self.pair_facts(a, b), a, b, at)

    def timeline(self, a: str, b: str) -> query.Timeline:
        return query.timeline(self.pair_facts(a, b), a, b)


# -- measuring --


def latencies(fn: Callable[[str, str], Any], sample: list[tuple[str, str]]) -> list[float]:
    for a, b in sample[:20]:  # warm up
        fn(a, b)
    out = []
    for a, b in sample:
        t0 = time.perf_counter()
        fn(a, b)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]
    )


# One export in a process of its own, which reports its peak resident memory (VmHWM: a fork's copy of
# this big process does not count, as it would in ru_maxrss) on its last line of stderr. "whole" is the
# export as it was before it streamed: every fact in a list, the whole CSV built in memory.
_EXPORT = """
import csv, io, sys
from dyad.cli import main
from dyad.export import FACT_COLUMNS, fact_row
from dyad.store import Store

db, fmt = sys.argv[1], sys.argv[2]
try:
    if fmt == "whole":
        with Store(db, read_only=True) as store:
            facts = store.facts()
            out = io.StringIO()
            writer = csv.DictWriter(out, FACT_COLUMNS, lineterminator="\\n")
            writer.writeheader()
            for sf in facts:
                writer.writerow(fact_row(sf))
            sys.stdout.write(out.getvalue())
    else:
        main(["facts", "--db", db, "--format", fmt], standalone_mode=False)
finally:
    sys.stdout.flush()
    peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0].split()[1]
    print(peak, file=sys.stderr)
"""


def export_run(db: Path, fmt: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one export of every fact of ``db`` to /dev/null."""
    import subprocess

    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        done = subprocess.run(
            [sys.executable, "-c", _EXPORT, str(db), fmt], stdout=sink, stderr=subprocess.PIPE
        )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"export {fmt} of {db} failed: {done.stderr.decode()[-500:]}")
    return seconds, int(done.stderr.split()[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--facts", type=int, default=50, help="facts per pair (one document per pair)")
    parser.add_argument("--queries", type=int, default=500, help="random pairs asked for show and timeline")
    parser.add_argument("--dir", type=Path, help="where to write the databases [default: a temporary folder]")
    parser.add_argument("--in-memory", action="store_true", help="also time the export from a whole list")
    args = parser.parse_args(argv)

    rng = random.Random(7)
    pairs = rng.sample(list(combinations(sorted(NAMES), 2)), args.pairs)
    actors = [(code, name, "state") for code, name in NAMES.items()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        duck_path, lite_path = folder / "bench.duckdb", folder / "bench.sqlite"
        for p in (duck_path, lite_path):
            p.unlink(missing_ok=True)
        n_facts = n_evidence = 0
        duck_s = lite_s = 0.0
        store = Store(duck_path)
        lite = SqliteFacts(lite_path)
        lite.create()
        print(f"generating and loading {args.pairs:,} pairs × {args.facts} facts ...", file=sys.stderr)
        for k, batch in enumerate(batches(pairs, args.facts, seed=11)):
            n_facts += sum(len(d.facts) for d, _ in batch)
            n_evidence += sum(len(f.evidence) for d, _ in batch for f in d.facts)
            t0 = time.perf_counter()
            store.bulk_load(batch, actors=actors)
            t1 = time.perf_counter()
            lite.load(batch, k * BATCH + 1, actors)
            t2 = time.perf_counter()
            duck_s, lite_s = duck_s + t1 - t0, lite_s + t2 - t1
        store.close()  # checkpoints the WAL into the file
        lite.con.close()

        # The atomic path: one transaction per source, as `dyad ingest` writes.
        atomic = folder / "atomic.duckdb"
        atomic.unlink(missing_ok=True)
        sample_docs = next(batches(pairs[:200], args.facts, seed=13))
        with Store(atomic) as one:
            t0 = time.perf_counter()
            for doc, text in sample_docs:
                one.replace_document(doc, text)
            atomic_rate = sum(len(d.facts) for d, _ in sample_docs) / (time.perf_counter() - t0)

        duck_size, lite_size = duck_path.stat().st_size, lite_path.stat().st_size
        asked = [rng.choice(pairs) for _ in range(args.queries)]
        ats = {p: str(rng.randint(1950, 2024)) for p in asked}
        results = {}
        with Store(duck_path, read_only=True) as ro:
            kb = KnowledgeBase(ro, gazetteer=Codes())
            lite = SqliteFacts(lite_path)
            results["duckdb"] = {
                "show": latencies(lambda a, b: kb.show(a, b, at=ats[(a, b)]), asked),
                "timeline": latencies(kb.timeline, asked),
            }
            results["sqlite"] = {
                "show": latencies(lambda a, b: lite.show(a, b, ats[(a, b)]), asked),
                "timeline": latencies(lite.timeline, asked),
            }
            shown = kb.show(*asked[0], at="2000")
            assert sum(len(v) for v in shown.sections.values()) > 0 and shown.answers.relations.value
        exports = [
            (name, fmt, *export_run(path, fmt))
            for name, path in (("small", atomic), ("big", duck_path))
            for fmt in ("json", "csv", "parquet")
        ]
        if args.in_memory:
            exports.append(("big", "csv, whole list", *export_run(duck_path, "whole")))

    rows = [
        ("ingest (facts/s)", n_facts / duck_s, n_facts / lite_s, "{:,.0f}"),
        ("size (bytes/fact)", duck_size / n_facts, lite_size / n_facts, "{:,.0f}"),
    ]
    for op in ("show", "timeline"):
        for p in (50, 99):
            d, s = pct(results["duckdb"][op], p), pct(results["sqlite"][op], p)
            rows.append((f"{op} p{p} (ms)", d, s, "{:.2f}"))
    print(
        f"dyad store bench: {args.pairs:,} pairs × {args.facts} facts = {n_facts:,} facts, "
        f"{n_evidence:,} evidence rows"
    )
    print(f"{'':22}{'duckdb':>12}{'sqlite':>12}{'duckdb/sqlite':>15}")
    for label, d, s, fmt in rows:
        print(f"{label:22}{fmt.format(d):>12}{fmt.format(s):>12}{d / s:>15.2f}")
    print(
        f"atomic per-source ingest (replace_document, {len(sample_docs)} sources): {atomic_rate:,.0f} facts/s"
    )
    sizes = {"small": len(sample_docs) * args.facts, "big": n_facts}
    for name, fmt, seconds, peak in exports:
        n = sizes[name]
        print(
            f"export {fmt:>16} of {n:>9,} facts: {seconds:6.1f} s, {n / seconds:>9,.0f} facts/s, "
            f"peak RSS {peak:,.0f} MB"
        )
    checks = [
        ("show p99 < 50 ms", pct(results["duckdb"]["show"], 99) < TARGET_LATENCY_MS),
        ("timeline p99 < 50 ms", pct(results["duckdb"]["timeline"], 99) < TARGET_LATENCY_MS),
        (f"ingest >= {TARGET_INGEST:,} facts/s", n_facts / duck_s >= TARGET_INGEST),
    ]
    print("targets: " + "; ".join(f"{name}: {'ok' if ok else 'MISSED'}" for name, ok in checks))
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
