"""The writes of the knowledge base, as functions of an open DuckDB connection inside a transaction.

:class:`dyad.store.Store` opens the transaction, calls these and turns any ``duckdb`` error into a
:class:`~dyad.errors.StoreError`; nothing here commits. Every write of one call reads the clock once
(``now``), so a source's row and the per-pair rows that repeat it carry the same ``ingested_at``.

A source is its content (its sha256): :func:`write_sources` stores documents as the store's contract
says (the same text from a second path is one source with two paths; a path whose text changed moves
to the new text; a source left without paths goes with its facts). Documents that touch nothing
stored and nothing else in the batch (new text from a new path: almost every file of a first ingest)
are appended together through Arrow; the others are written one by one, in order.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from dyad.model import Document
from dyad.store_rows import (
    _EVIDENCE_COLUMNS,
    _FACT_COLUMNS,
    _PAIR_COLUMNS,
    _SOURCE_COLUMNS,
    _source_values,
    _tables,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "TEST_SLOW_ENV",
    "add_actors",
    "append",
    "bulk_write",
    "delete_sources",
    "move_path",
    "next_ids",
    "write_sources",
]

#: Test hook: seconds to sleep after writing each fact inside a transaction, so that a test can kill or
#: interrupt an ingest in the middle of one. Never set it outside tests.
TEST_SLOW_ENV = "DYAD_TEST_SLOW"

UPDATE_SOURCE = (
    "UPDATE sources SET title = ?, format = ?, sha256 = ?, parties = ?, links = ?, ingested_at = ?, url = ?, "
    "published = ?, publisher = ?, refs = ?, text = ? WHERE id = ?"
)

INSERT_SOURCE = (
    f"INSERT INTO sources ({', '.join(_SOURCE_COLUMNS)}) VALUES ({', '.join('?' * len(_SOURCE_COLUMNS))})"
)

Con = duckdb.DuckDBPyConnection


def next_ids(con: Con, sequence: str, n: int) -> list[int]:
    """``n`` fresh values of a sequence (``sequence`` is one of the schema's names, never input)."""
    if n <= 0:
        return []
    return [r[0] for r in con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall()]


def append(con: Con, table: str, columns: Sequence[str], data: pa.Table) -> None:
    """Append an Arrow table's rows to ``table`` (a schema name, never input)."""
    if data.num_rows == 0:
        return
    con.register("_incoming", data)
    try:
        names = ", ".join(columns)
        arrow_names = ", ".join(f'"{c}"' for c in data.column_names)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {arrow_names} FROM _incoming")
    finally:
        con.unregister("_incoming")


def add_actors(con: Con, actors: Iterable[tuple[str, str, str]]) -> None:
    """Add (code, name, kind) rows whose code is new."""
    rows = {code: (code, name, kind) for code, name, kind in actors}
    if not rows:
        return
    known = {
        r[0]
        for r in con.execute(
            "SELECT code FROM actors WHERE code IN (SELECT unnest(?))", [list(rows)]
        ).fetchall()
    }
    new = [row for code, row in rows.items() if code not in known]
    if new:
        con.executemany("INSERT INTO actors VALUES (?, ?, ?)", new)


def delete_facts(con: Con, source_ids: Sequence[int]) -> None:
    if not source_ids:
        return
    ids = [list(source_ids)]
    con.execute(
        "DELETE FROM evidence WHERE fact_id IN (SELECT id FROM facts WHERE source_id IN (SELECT unnest(?)))",
        ids,
    )
    con.execute("DELETE FROM facts WHERE source_id IN (SELECT unnest(?))", ids)
    con.execute("DELETE FROM pair_facts WHERE source_id IN (SELECT unnest(?))", ids)


def delete_sources(con: Con, source_ids: Sequence[int]) -> None:
    """Delete sources with their paths and facts."""
    delete_facts(con, source_ids)
    con.execute("DELETE FROM source_paths WHERE source_id IN (SELECT unnest(?))", [list(source_ids)])
    con.execute("DELETE FROM sources WHERE id IN (SELECT unnest(?))", [list(source_ids)])


def move_path(con: Con, path: str, source_id: int | None, now: datetime) -> int | None:
    """Point ``path`` at ``source_id`` (None: at nothing yet); returns the source it named before.

    A source left without paths is deleted with its facts; one whose first path leaves takes another.
    """
    row = con.execute("SELECT source_id FROM source_paths WHERE path = ?", [path]).fetchone()
    old = int(row[0]) if row else None
    if old == source_id:
        return old
    if old is not None:
        con.execute("DELETE FROM source_paths WHERE path = ?", [path])
        left = con.execute(
            "SELECT path FROM source_paths WHERE source_id = ? ORDER BY added_at, path LIMIT 1", [old]
        ).fetchone()
        if left is None:
            delete_sources(con, [old])
        else:
            con.execute("UPDATE sources SET path = ? WHERE id = ? AND path = ?", [left[0], old, path])
    if source_id is not None:
        con.execute("INSERT INTO source_paths VALUES (?, ?, ?)", [path, source_id, now])
    return old


def write_sources(con: Con, items: Sequence[tuple[Document, str]], now: datetime) -> list[str]:
    """Store each (document, its text) read from ``doc.source.path``; the status of each, in order.

    ``"unchanged"``: that content is stored already (the path becomes one of its paths, nothing else is
    written); ``"replaced"``: the path held other content that no other path holds (that source's facts
    are replaced in place, its id kept); ``"added"``: a new source.
    """
    if not items:
        return []
    shas = Counter(doc.source.sha256 for doc, _ in items)
    paths = Counter(doc.source.path for doc, _ in items)
    stored = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT sha256 FROM sources WHERE sha256 IN (SELECT unnest(?))", [list(shas)]
        ).fetchall()
    }
    linked = {
        r[0]
        for r in con.execute(
            "SELECT path FROM source_paths WHERE path IN (SELECT unnest(?))", [list(paths)]
        ).fetchall()
    }

    def alone(doc: Document) -> bool:
        sha, path = doc.source.sha256, doc.source.path
        return sha not in stored and path not in linked and shas[sha] == 1 and paths[path] == 1

    statuses: list[str] = ["added"] * len(items)
    fresh = [(doc, text) for doc, text in items if alone(doc)]
    _append_new(con, fresh, now)
    for i, (doc, text) in enumerate(items):
        if not alone(doc):
            statuses[i] = _write_one(con, doc, text, now)
    return statuses


def _append_new(con: Con, items: Sequence[tuple[Document, str]], now: datetime) -> None:
    """New sources from new paths, appended together: sources, paths, facts, evidence, pair rows."""
    if not items:
        return
    import pyarrow as pa  # only writes need Arrow: keep it off start-up

    ids = next_ids(con, "source_id_seq", len(items))
    rows = [(sid, doc, text) for sid, (doc, text) in zip(ids, items, strict=True)]
    total = sum(len(doc.facts) for doc, _ in items)
    sources, facts, evidence, pairs = _tables(rows, next_ids(con, "fact_id_seq", total), now)
    append(con, "sources", _SOURCE_COLUMNS, sources)
    paths = pa.table(
        {
            "path": pa.array([doc.source.path for doc, _ in items], pa.string()),
            "source_id": pa.array(ids, pa.int32()),
            "added_at": pa.array([now] * len(items), pa.timestamp("us")),
        }
    )
    append(con, "source_paths", ("path", "source_id", "added_at"), paths)
    _append_facts(con, facts, evidence)
    append(con, "pair_facts", _PAIR_COLUMNS, pairs)


def _write_one(con: Con, doc: Document, text: str, now: datetime) -> str:
    path = doc.source.path
    same = con.execute("SELECT id FROM sources WHERE sha256 = ? LIMIT 1", [doc.source.sha256]).fetchone()
    if same is not None:
        move_path(con, path, int(same[0]), now)
        return "unchanged"
    row = con.execute("SELECT source_id FROM source_paths WHERE path = ?", [path]).fetchone()
    count = (
        con.execute("SELECT count(*) FROM source_paths WHERE source_id = ?", [row[0]]).fetchone()
        if row is not None
        else None
    )
    if row is not None and count is not None and count[0] == 1:
        source_id, status = int(row[0]), "replaced"
        delete_facts(con, [source_id])
        con.execute(UPDATE_SOURCE, [*_source_values(doc, text, now)[1:], source_id])
    else:
        move_path(con, path, None, now)
        source_id, status = next_ids(con, "source_id_seq", 1)[0], "added"
        con.execute(INSERT_SOURCE, [source_id, *_source_values(doc, text, now)])
        con.execute("INSERT INTO source_paths VALUES (?, ?, ?)", [path, source_id, now])
    _, facts, evidence, pairs = _tables(
        [(source_id, doc, text)], next_ids(con, "fact_id_seq", len(doc.facts)), now
    )
    _append_facts(con, facts, evidence)
    append(con, "pair_facts", _PAIR_COLUMNS, pairs)
    return status


def _append_facts(con: Con, facts: pa.Table, evidence: pa.Table) -> None:
    slow = float(os.environ.get(TEST_SLOW_ENV) or 0)
    if not slow:
        append(con, "facts", _FACT_COLUMNS, facts)
        append(con, "evidence", _EVIDENCE_COLUMNS, evidence)
        return
    # One fact at a time, so that a kill or an interrupt can land between two of them.
    ids = evidence.column("fact_id").to_pylist()
    for i in range(facts.num_rows):
        fact_id = facts.column("id")[i].as_py()
        append(con, "facts", _FACT_COLUMNS, facts.slice(i, 1))
        append(
            con, "evidence", _EVIDENCE_COLUMNS, evidence.take([j for j, f in enumerate(ids) if f == fact_id])
        )
        time.sleep(slow)


def bulk_write(con: Con, items: Sequence[tuple[Document, str]], now: datetime) -> int:
    """Store many (document, text) pairs through Arrow; returns the facts written (:meth:`Store.bulk_load`:
    a stored path is replaced whatever its content, contents are not compared across paths)."""
    import pyarrow as pa  # only the batch path needs Arrow: keep it off start-up
    import pyarrow.compute as pc

    by_path = {doc.source.path: (doc, text) for doc, text in items}  # the last of a path wins
    paths = list(by_path)
    old = dict(
        con.execute(
            "SELECT path, source_id FROM source_paths WHERE path IN (SELECT unnest(?))", [paths]
        ).fetchall()
    )
    delete_facts(con, list(old.values()))
    new_ids = iter(next_ids(con, "source_id_seq", len(paths) - len(old)))
    rows = [(old.get(p) or next(new_ids), *by_path[p]) for p in paths]
    total = sum(len(doc.facts) for _, doc, _ in rows)
    sources, facts, evidence, pairs = _tables(rows, next_ids(con, "fact_id_seq", total), now)
    # A stored path keeps its row (updated in place: deleting and inserting one key in one
    # transaction trips the unique index of older DuckDB versions); new paths are appended.
    is_new = pa.array([p not in old for p in paths])
    append(con, "sources", _SOURCE_COLUMNS, sources.filter(is_new))
    fresh = [(p, sid) for p, (sid, *_) in zip(paths, rows, strict=True) if p not in old]
    if fresh:
        append(
            con,
            "source_paths",
            ("path", "source_id", "added_at"),
            pa.table(
                {
                    "path": pa.array([p for p, _ in fresh], pa.string()),
                    "source_id": pa.array([sid for _, sid in fresh], pa.int32()),
                    "added_at": pa.array([now] * len(fresh), pa.timestamp("us")),
                }
            ),
        )
    for row in sources.filter(pc.invert(is_new)).to_pylist():
        con.execute(UPDATE_SOURCE, [*(row[c] for c in _SOURCE_COLUMNS[2:]), row["id"]])
    append(con, "facts", _FACT_COLUMNS, facts)
    append(con, "evidence", _EVIDENCE_COLUMNS, evidence)
    append(con, "pair_facts", _PAIR_COLUMNS, pairs)
    return total
