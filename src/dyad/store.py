"""The knowledge base on disk: one DuckDB file, its schema and migrations, and all the SQL.

:class:`Store` owns the connection; nothing else in dyad imports duckdb. Tables, as facts.md names them::

    schema_version(version, description, applied_at)   one row per migration applied
    sources(id, path UNIQUE, title, format, sha256, parties JSON, links JSON, ingested_at, text)
    facts(id, source_id, seq, pair, type, actor, target, attrs JSON, start, end, date, confidence, rule,
          t_lo, t_hi)
    evidence(fact_id, seq, section, start, end, quote)
    actors(code PRIMARY KEY, name, kind)
    scans(path PRIMARY KEY, identity, position JSON, updated_at)   how far each dump's scan got
    pair_facts(pair, source_id, facts JSON)             one source's facts about one pair, with evidence

An actor is stored as its code, or as ``*name`` when it could not be resolved (:func:`dyad.model.actor_key`).
``pair`` is the two actor keys sorted and joined by ``|`` (``BEL|SYR``), so (A, B) and (B, A) are one pair
and one indexed lookup finds all of it. ``t_lo``/``t_hi`` are the earliest and latest days (``yyyymmdd``)
a fact's time can span, for filtering by date; NULL stands for an open end.

``pair_facts`` repeats what facts, evidence and sources hold, in the shape :meth:`Store.pair_facts` reads:
the question asked most (show, timeline, a pair's page and API) is then one indexed lookup of a few rows
instead of three queries joining a million facts to two million pieces of evidence. It is written in the
same transaction as the facts it repeats, one row per (pair, source), so it can never disagree with them.

A source is identified by its content (its sha256): the same text read from two paths is one source, and
``source_paths(path, source_id, added_at)`` remembers every path it was read from (schema 4). A path whose
file changed moves to the new content; a source left without paths is deleted with its facts. Each
source is written in one transaction (:meth:`Store.replace_document`), so a crash leaves it fully old or
fully new; :meth:`Store.remove_source` deletes one in one transaction.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from dyad.edtf import bounds as edtf_bounds
from dyad.errors import StoreError
from dyad.model import (
    Actor,
    Document,
    Evidence,
    Fact,
    Named,
    SourceRecord,
    StoredFact,
    actor_from_json,
    actor_json,
    actor_key,
)
from dyad.store_rows import (
    _EVIDENCE_COLUMNS,
    _FACT_COLUMNS,
    _PAIR_COLUMNS,
    _SOURCE_COLUMNS,
    _now,
    _source_values,
    _tables,
    _time_span,
    document_tables,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "SCHEMA_VERSION",
    "TEST_SLOW_ENV",
    "PairCount",
    "SourceRecord",
    "Store",
    "StoredFact",
    "document_tables",
    "fact_queries",
    "pair_key",
    "schema_sql",
    "stored_facts",
]

#: Test hook: seconds to sleep after writing each fact inside a source's transaction, so that a test can
#: kill an ingest in the middle of one. Never set it outside tests.
TEST_SLOW_ENV = "DYAD_TEST_SLOW"

# Each migration is (version, description, statements); a database records the versions applied.
_MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "sources, facts, evidence and actors",
        (
            "CREATE SEQUENCE source_id_seq START 1",
            "CREATE SEQUENCE fact_id_seq START 1",
            """CREATE TABLE sources (
                id INTEGER PRIMARY KEY,
                path VARCHAR NOT NULL UNIQUE,
                title VARCHAR NOT NULL,
                format VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                parties JSON NOT NULL,
                links JSON NOT NULL,
                ingested_at TIMESTAMP NOT NULL,
                text VARCHAR NOT NULL)""",
            # Facts and evidence are appended in id (and so source) order, so DuckDB's min/max zonemaps
            # find a source's facts and a fact's evidence without an index; an index there only slows
            # writes (a fifth of a bulk load). The pair, asked for at random, has one.
            """CREATE TABLE facts (
                id BIGINT NOT NULL,
                source_id INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                pair VARCHAR NOT NULL,
                type VARCHAR NOT NULL,
                actor VARCHAR NOT NULL,
                target VARCHAR NOT NULL,
                attrs JSON NOT NULL,
                "start" VARCHAR,
                "end" VARCHAR,
                "date" VARCHAR,
                confidence DOUBLE NOT NULL,
                rule VARCHAR NOT NULL,
                t_lo INTEGER,
                t_hi INTEGER)""",
            "CREATE INDEX facts_pair ON facts (pair)",
            """CREATE TABLE evidence (
                fact_id BIGINT NOT NULL,
                seq INTEGER NOT NULL,
                section VARCHAR NOT NULL,
                "start" INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                quote VARCHAR NOT NULL)""",
            """CREATE TABLE actors (
                code VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                kind VARCHAR NOT NULL)""",
        ),
    ),
    (
        2,
        "pair_facts: each source's facts about a pair, with their evidence, for one-lookup reads",
        (
            # Uncompressed: DuckDB fetches an indexed row of a ZSTD string segment by decompressing the
            # segment, 10 ms a lookup against 0.5 ms. The price is size: with these rows the file takes
            # 517 bytes a fact against 129 (bench/store.py).
            """CREATE TABLE pair_facts (
                pair VARCHAR NOT NULL,
                source_id INTEGER NOT NULL,
                facts VARCHAR NOT NULL USING COMPRESSION uncompressed)""",
            "CREATE INDEX pair_facts_pair ON pair_facts (pair)",
            # A pair's facts are now read from pair_facts; the index on facts only slowed writes.
            "DROP INDEX facts_pair",
            # From the tables of version 1, in the shape _document_tables writes (_stored_from_pair_rows).
            """INSERT INTO pair_facts
            WITH ev AS (
                SELECT fact_id, to_json(list(json_array(section, "start", "end", quote) ORDER BY seq)) AS ev
                FROM evidence GROUP BY fact_id)
            SELECT f.pair, f.source_id, json_object(
                'source', json_array(any_value(s.id), any_value(s.path), any_value(s.title),
                    any_value(s.format), any_value(s.sha256), any_value(s.parties), any_value(s.links),
                    strftime(any_value(s.ingested_at), '%Y-%m-%dT%H:%M:%S.%f')),
                'facts', to_json(list(json_array(f.id, f.type, f.actor, f.target, f.attrs, f."start",
                    f."end", f."date", f.confidence, f.rule, coalesce(ev.ev, '[]'::JSON)) ORDER BY f.id)))
            FROM facts f JOIN sources s ON s.id = f.source_id LEFT JOIN ev ON ev.fact_id = f.id
            GROUP BY f.pair, f.source_id""",
        ),
    ),
    (
        3,
        "facts.md version 2: polarity, CAMEO codes, evidence citations, source metadata",
        (
            # Facts stored before version 2 were all stated as happening: asserted.
            "ALTER TABLE facts ADD COLUMN polarity VARCHAR DEFAULT 'asserted'",
            "ALTER TABLE facts ADD COLUMN cameo VARCHAR",
            "ALTER TABLE facts ADD COLUMN goldstein DOUBLE",
            "ALTER TABLE evidence ADD COLUMN ref JSON",
            "ALTER TABLE sources ADD COLUMN url VARCHAR",
            "ALTER TABLE sources ADD COLUMN published VARCHAR",
            "ALTER TABLE sources ADD COLUMN publisher VARCHAR",
            "ALTER TABLE sources ADD COLUMN refs JSON",
            # pair_facts rows of version 2 are read as they are: the new fields sit at the end of each
            # array, and a row without them reads as asserted, uncoded, uncited.
        ),
    ),
    (
        4,
        "scans: how far the scan of each dump got, so that an interrupted one resumes",
        (
            """CREATE TABLE scans (
                path VARCHAR PRIMARY KEY,
                identity VARCHAR NOT NULL,
                position JSON NOT NULL,
                updated_at TIMESTAMP NOT NULL)""",
        ),
    ),
    (
        5,
        "a source is its content: sources merged by sha256, every path they were read from remembered",
        (
            """CREATE TABLE source_paths (
                path VARCHAR PRIMARY KEY,
                source_id INTEGER NOT NULL,
                added_at TIMESTAMP NOT NULL)""",
            # Of the sources with one content, the oldest stays and takes the others' paths.
            """INSERT INTO source_paths
            SELECT s.path, k.keep, s.ingested_at FROM sources s
            JOIN (SELECT sha256, min(id) AS keep FROM sources GROUP BY sha256) k ON k.sha256 = s.sha256""",
            """DELETE FROM evidence WHERE fact_id IN (SELECT id FROM facts
                WHERE source_id NOT IN (SELECT min(id) FROM sources GROUP BY sha256))""",
            "DELETE FROM facts WHERE source_id NOT IN (SELECT min(id) FROM sources GROUP BY sha256)",
            "DELETE FROM pair_facts WHERE source_id NOT IN (SELECT min(id) FROM sources GROUP BY sha256)",
            # sources.path is now the path a source was first read from, no longer unique: the table is
            # made again without that constraint (DuckDB cannot drop one).
            """CREATE TABLE sources_v4 (
                id INTEGER PRIMARY KEY,
                path VARCHAR NOT NULL,
                title VARCHAR NOT NULL,
                format VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                parties JSON NOT NULL,
                links JSON NOT NULL,
                ingested_at TIMESTAMP NOT NULL,
                text VARCHAR NOT NULL,
                url VARCHAR,
                published VARCHAR,
                publisher VARCHAR,
                refs JSON)""",
            """INSERT INTO sources_v4 SELECT id, path, title, format, sha256, parties, links, ingested_at,
                text, url, published, publisher, refs FROM sources
            WHERE id IN (SELECT min(id) FROM sources GROUP BY sha256)""",
            "DROP TABLE sources",
            "ALTER TABLE sources_v4 RENAME TO sources",
        ),
    ),
)

#: The schema version this dyad writes and reads.
SCHEMA_VERSION = _MIGRATIONS[-1][0]

_SOURCE_SELECT = ", ".join(_SOURCE_COLUMNS[:-1])
_UPDATE_SOURCE = (
    "UPDATE sources SET title = ?, format = ?, sha256 = ?, parties = ?, links = ?, ingested_at = ?, url = ?, "
    "published = ?, publisher = ?, refs = ?, text = ? WHERE id = ?"
)
_FACT_SELECT = (
    'SELECT id, source_id, type, actor, target, attrs, "start", "end", "date", confidence, rule, polarity, '
    "cameo, goldstein FROM facts"
)


@dataclass(frozen=True, slots=True)
class PairCount:
    """A pair of actors the knowledge base holds facts about (``a`` sorts before ``b``)."""

    a: Actor
    b: Actor
    facts: int
    sources: int


def pair_key(a: Actor, b: Actor) -> str:
    """The canonical key of an unordered pair: the two actor keys sorted, joined by ``|``."""
    return "|".join(sorted((actor_key(a), actor_key(b))))


def _key_actor(key: str) -> Actor:
    return Named(key[1:]) if key.startswith("*") else key


def _meets(fact: Fact, first: int | None, last: int | None) -> bool:
    """Whether the span of ``fact`` meets [first, last] (days; None: no bound), as Store.facts filters."""
    if first is None and last is None:
        return True
    lo, hi = _time_span(fact)
    if lo is None and hi is None:
        return False
    return not (
        (first is not None and hi is not None and hi < first)
        or (last is not None and lo is not None and lo > last)
    )


class Store:
    """The connection to one knowledge base file; every query and write of dyad goes through it.

    Opening read-write creates the file (and its folder) and applies pending migrations. Opening
    ``read_only=True`` needs an existing, up-to-date file and lets several processes read at once; DuckDB
    allows one writing process at a time.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no knowledge base there; run 'dyad ingest' first")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as e:
            raise StoreError(f"{self.path}: cannot open the knowledge base: {e}") from e
        try:
            # No progress bar (a migration takes seconds): a library does not draw on the caller's terminal.
            self._con.execute("SET enable_progress_bar = false")
            self._migrate()
        except BaseException:
            self._con.close()
            raise

    # -- lifecycle --

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; open it without read_only to write")
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def schema_version(self) -> int:
        row = self._con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        has_table = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()
        if not (has_table and has_table[0]):
            if self.read_only:
                raise StoreError(f"{self.path}: not a dyad knowledge base (no schema_version table)")
            self._con.execute(
                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL)"
            )
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: made by a newer dyad (schema {current}, this dyad knows {SCHEMA_VERSION}); "
                "upgrade dyad"
            )
        if current < SCHEMA_VERSION and self.read_only:
            raise StoreError(
                f"{self.path}: schema {current} needs upgrading to {SCHEMA_VERSION}; "
                "open it once for writing (dyad ingest) first"
            )
        for version, description, statements in _MIGRATIONS:
            if version <= current:
                continue
            with self._transaction() as con:
                for sql in statements:
                    con.execute(sql)
                con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, description, _now()])

    # -- writing --

    def source_sha256(self, path: str) -> str | None:
        """The sha256 of the source last read from ``path``, or None when there is none."""
        row = self._con.execute(
            "SELECT s.sha256 FROM source_paths p JOIN sources s ON s.id = p.source_id WHERE p.path = ?",
            [path],
        ).fetchone()
        return row[0] if row else None

    def scan_position(self, path: str, identity: str) -> dict[str, Any] | None:
        """Where the last scan of the dump at ``path`` stopped; None when the file is new or changed
        (``identity`` tells one version of a file from another)."""
        row = self._con.execute(
            "SELECT position FROM scans WHERE path = ? AND identity = ?", [path, identity]
        ).fetchone()
        return dict(json.loads(row[0])) if row else None

    def save_scan(self, path: str, identity: str, position: Mapping[str, Any]) -> None:
        """Record where the scan of the dump at ``path`` stands."""
        try:
            with self._transaction() as con:
                con.execute(
                    "INSERT OR REPLACE INTO scans VALUES (?, ?, ?, ?)",
                    [path, identity, json.dumps(dict(position)), _now()],
                )
        except duckdb.Error as e:
            raise StoreError(f"{self.path}: cannot record the scan of {path}: {e}") from e

    def link_path(self, sha256: str, path: str) -> bool:
        """Remember ``path`` as a place the source with content ``sha256`` was read from.

        Returns False when no source has that content. The path leaves the source it named before (which
        is deleted, with its facts, when it has no other path). One transaction.
        """
        try:
            with self._transaction() as con:
                row = con.execute("SELECT id FROM sources WHERE sha256 = ? LIMIT 1", [sha256]).fetchone()
                if row is None:
                    return False
                self._move_path(con, path, int(row[0]))
                return True
        except duckdb.Error as e:
            raise StoreError(f"{self.path}: cannot store {path}: {e}") from e

    def _move_path(self, con: duckdb.DuckDBPyConnection, path: str, source_id: int | None) -> int | None:
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
                self._delete_sources(con, [old])
            else:
                con.execute("UPDATE sources SET path = ? WHERE id = ? AND path = ?", [left[0], old, path])
        if source_id is not None:
            con.execute("INSERT INTO source_paths VALUES (?, ?, ?)", [path, source_id, _now()])
        return old

    def replace_document(
        self, doc: Document, text: str, *, actors: Iterable[tuple[str, str, str]] = ()
    ) -> str:
        """Store ``doc`` (its source text ``text``), read from ``doc.source.path``, in one transaction.

        A source is its content (``doc.source.sha256``). Returns ``"unchanged"`` when that content is
        stored already (the path is remembered as one of its paths; nothing else is written),
        ``"replaced"`` when the path held other content that no other path holds (that source's facts
        are replaced in place), ``"added"`` otherwise. ``actors`` are (code, name, kind) rows added to
        the actors table when their code is new.
        """
        slow = float(os.environ.get(TEST_SLOW_ENV) or 0)
        path = doc.source.path
        try:
            with self._transaction() as con:
                same = con.execute(
                    "SELECT id FROM sources WHERE sha256 = ? LIMIT 1", [doc.source.sha256]
                ).fetchone()
                if same is not None:
                    self._move_path(con, path, int(same[0]))
                    return "unchanged"
                row = con.execute("SELECT source_id FROM source_paths WHERE path = ?", [path]).fetchone()
                paths = (
                    con.execute("SELECT count(*) FROM source_paths WHERE source_id = ?", [row[0]]).fetchone()
                    if row is not None
                    else None
                )
                alone = paths is not None and paths[0] == 1
                if row is not None and alone:
                    source_id, status = int(row[0]), "replaced"
                    self._delete_facts(con, [source_id])
                    con.execute(_UPDATE_SOURCE, [*_source_values(doc, text)[1:], source_id])
                else:
                    self._move_path(con, path, None)
                    source_id, status = self._next_ids(con, "source_id_seq", 1)[0], "added"
                    con.execute(
                        f"INSERT INTO sources ({', '.join(_SOURCE_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(_SOURCE_COLUMNS))})",
                        [source_id, *_source_values(doc, text)],
                    )
                    con.execute("INSERT INTO source_paths VALUES (?, ?, ?)", [path, source_id, _now()])
                _, facts, evidence, pairs = _tables(
                    [(source_id, doc, text)], self._next_ids(con, "fact_id_seq", len(doc.facts))
                )
                if slow:
                    # One fact at a time, so that a kill can land between two of them.
                    for i in range(facts.num_rows):
                        fact_id = facts.column("id")[i].as_py()
                        self._append(con, "facts", _FACT_COLUMNS, facts.slice(i, 1))
                        ids = evidence.column("fact_id").to_pylist()
                        self._append(
                            con,
                            "evidence",
                            _EVIDENCE_COLUMNS,
                            evidence.take([j for j, f in enumerate(ids) if f == fact_id]),
                        )
                        time.sleep(slow)
                else:
                    self._append(con, "facts", _FACT_COLUMNS, facts)
                    self._append(con, "evidence", _EVIDENCE_COLUMNS, evidence)
                self._append(con, "pair_facts", _PAIR_COLUMNS, pairs)
                self._add_actors(con, actors)
                return status
        except duckdb.Error as e:
            raise StoreError(f"{self.path}: cannot store {doc.source.path}: {e}") from e

    def remove_source(self, source_id: int) -> tuple[SourceRecord, int] | None:
        """Delete a source, its paths and its facts in one transaction; (the source, facts deleted), or
        None when there is no such source."""
        found = self.source(source_id)
        if found is None:
            return None
        try:
            with self._transaction() as con:
                self._delete_sources(con, [source_id])
        except duckdb.Error as e:
            raise StoreError(f"{self.path}: cannot remove source {source_id}: {e}") from e
        return found, found.facts

    def _delete_sources(self, con: duckdb.DuckDBPyConnection, source_ids: Sequence[int]) -> None:
        self._delete_facts(con, source_ids)
        con.execute("DELETE FROM source_paths WHERE source_id IN (SELECT unnest(?))", [list(source_ids)])
        con.execute("DELETE FROM sources WHERE id IN (SELECT unnest(?))", [list(source_ids)])

    def bulk_load(
        self, items: Iterable[tuple[Document, str]], *, actors: Iterable[tuple[str, str, str]] = ()
    ) -> int:
        """Store many (document, text) pairs in one transaction, through Arrow; returns the facts written.

        For loading large batches (benchmarks, imports): a source whose path is already stored is replaced
        whatever its sha256, and contents are not compared across paths (each item is a source of its
        own). Unlike :meth:`replace_document`, a crash loses the whole batch.
        """
        import pyarrow as pa  # only the batch path needs Arrow: keep it off start-up
        import pyarrow.compute as pc

        items = list(items)
        if not items:
            return 0
        try:
            with self._transaction() as con:
                by_path = {doc.source.path: (doc, text) for doc, text in items}  # the last of a path wins
                paths = list(by_path)
                old = dict(
                    con.execute(
                        "SELECT path, source_id FROM source_paths WHERE path IN (SELECT unnest(?))", [paths]
                    ).fetchall()
                )
                self._delete_facts(con, list(old.values()))
                new_ids = iter(self._next_ids(con, "source_id_seq", len(paths) - len(old)))
                rows = [(old.get(p) or next(new_ids), *by_path[p]) for p in paths]
                total = sum(len(doc.facts) for _, doc, _ in rows)
                sources, facts, evidence, pairs = _tables(rows, self._next_ids(con, "fact_id_seq", total))
                # A stored path keeps its row (updated in place: deleting and inserting one key in one
                # transaction trips the unique index of older DuckDB versions); new paths are appended.
                is_new = pa.array([p not in old for p in paths])
                self._append(con, "sources", _SOURCE_COLUMNS, sources.filter(is_new))
                fresh = [(p, sid) for p, (sid, *_) in zip(paths, rows, strict=True) if p not in old]
                if fresh:
                    now = _now()
                    self._append(
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
                    con.execute(_UPDATE_SOURCE, [*(row[c] for c in _SOURCE_COLUMNS[2:]), row["id"]])
                self._append(con, "facts", _FACT_COLUMNS, facts)
                self._append(con, "evidence", _EVIDENCE_COLUMNS, evidence)
                self._append(con, "pair_facts", _PAIR_COLUMNS, pairs)
                self._add_actors(con, actors)
                return total
        except duckdb.Error as e:
            raise StoreError(f"{self.path}: bulk load failed: {e}") from e

    @staticmethod
    def _next_ids(con: duckdb.DuckDBPyConnection, sequence: str, n: int) -> list[int]:
        if n <= 0:
            return []
        return [r[0] for r in con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall()]

    @staticmethod
    def _delete_facts(con: duckdb.DuckDBPyConnection, source_ids: Sequence[int]) -> None:
        if not source_ids:
            return
        con.execute(
            "DELETE FROM evidence WHERE fact_id IN "
            "(SELECT id FROM facts WHERE source_id IN (SELECT unnest(?)))",
            [list(source_ids)],
        )
        con.execute("DELETE FROM facts WHERE source_id IN (SELECT unnest(?))", [list(source_ids)])
        con.execute("DELETE FROM pair_facts WHERE source_id IN (SELECT unnest(?))", [list(source_ids)])

    @staticmethod
    def _append(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        con.register("_incoming", data)
        try:
            names = ", ".join(columns)
            arrow_names = ", ".join(f'"{c}"' for c in data.column_names)
            con.execute(f"INSERT INTO {table} ({names}) SELECT {arrow_names} FROM _incoming")
        finally:
            con.unregister("_incoming")

    @staticmethod
    def _add_actors(con: duckdb.DuckDBPyConnection, actors: Iterable[tuple[str, str, str]]) -> None:
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

    # -- reading --

    def pair_facts(self, a: Actor, b: Actor) -> list[StoredFact]:
        """Every fact between ``a`` and ``b`` in either direction, in source path and document order.

        One indexed lookup of the pair's rows of ``pair_facts`` (a row per source that states a fact of
        the pair); each source record comes without its fact count and text, as from :meth:`facts`.
        """
        rows = self._con.execute("SELECT facts FROM pair_facts WHERE pair = ?", [pair_key(a, b)]).fetchall()
        return _stored_from_pair_rows([r[0] for r in rows])

    def source_facts(self, *source_ids: int) -> list[StoredFact]:
        """Every fact the sources ``source_ids`` state, in source path and document order.

        Read from ``pair_facts``, whose rows are appended source after source: DuckDB skips the row
        groups of other sources by their least and greatest ``source_id``.
        """
        if not source_ids:
            return []
        rows = self._con.execute(
            "SELECT facts FROM pair_facts WHERE source_id IN (SELECT unnest(?))", [list(source_ids)]
        ).fetchall()
        return _stored_from_pair_rows([r[0] for r in rows])

    def facts(
        self,
        *,
        actor: Actor | None = None,
        other: Actor | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[StoredFact]:
        """Facts that involve ``actor`` (and ``other``, when both are given), of ``type``, within a time.

        ``since``/``until`` are EDTF; a fact matches when its span (from its start or date to its end or
        date; an unknown start or end is open) meets [since, until]. Facts with no date at all do not
        match a time filter.
        """
        first = last = None
        for edtf in (since, until):
            if edtf is not None and edtf_bounds(edtf) is None:
                raise StoreError(f"cannot read the EDTF date '{edtf}'")
        if since is not None:
            first = edtf_bounds(since)[0]  # type: ignore[index]
        if until is not None:
            last = edtf_bounds(until)[1]  # type: ignore[index]
        if actor is not None and other is not None:
            # The pair's rows are one indexed lookup; the same filters as the SQL below, in Python.
            return [
                sf
                for sf in self.pair_facts(actor, other)
                if (type is None or sf.fact.type == type) and _meets(sf.fact, first, last)
            ]
        where: list[str] = []
        params: list[Any] = []
        if actor is not None:
            where.append("(actor = ? OR target = ?)")
            params += [actor_key(actor)] * 2
        if type is not None:
            where.append("type = ?")
            params.append(type)
        for day, clause in ((first, "t_hi IS NULL OR t_hi >= ?"), (last, "t_lo IS NULL OR t_lo <= ?")):
            if day is not None:
                where.append(f"(t_lo IS NOT NULL OR t_hi IS NOT NULL) AND ({clause})")
                params.append(day)
        return self._facts(" AND ".join(where) or "true", params)

    def _facts(self, where: str, params: list[Any]) -> list[StoredFact]:
        facts_sql, evidence_sql, sources_sql = fact_queries(where)
        rows = self._con.execute(facts_sql, params).fetchall()
        if not rows:
            return []
        evidence = self._con.execute(evidence_sql, params).fetchall()
        return stored_facts(rows, evidence, self._con.execute(sources_sql, params).fetchall())

    def pairs(self) -> list[PairCount]:
        """Every pair the knowledge base holds facts about, with fact and source counts, by pair key."""
        rows = self._con.execute(
            "SELECT pair, count(*), count(DISTINCT source_id) FROM facts GROUP BY pair ORDER BY pair"
        ).fetchall()
        out = []
        for pair, n_facts, n_sources in rows:
            a, _, b = pair.partition("|")
            out.append(PairCount(_key_actor(a), _key_actor(b), n_facts, n_sources))
        return out

    def sources(self) -> list[SourceRecord]:
        """Every stored source (without its text), with its fact count and paths, by path."""
        return self._sources("", [], with_counts=True)

    def source(self, path_or_id: str | int) -> SourceRecord | None:
        """One source with its text and paths, by id or by any path it was read from; None if none."""
        if isinstance(path_or_id, int):
            found = self._sources("WHERE id = ?", [path_or_id], with_counts=True, text=True)
        else:
            found = self._sources(
                "WHERE id IN (SELECT source_id FROM source_paths WHERE path = ?)",
                [path_or_id],
                with_counts=True,
                text=True,
            )
        return found[0] if found else None

    def sources_about(self, a: Actor, b: Actor) -> list[SourceRecord]:
        """The sources whose parties are ``a`` and ``b`` (either order), without their text, by path."""
        x, y = (json.dumps([actor_json(p) for p in pair], ensure_ascii=False) for pair in ((a, b), (b, a)))
        return self._sources("WHERE CAST(parties AS VARCHAR) IN (?, ?)", [x, y], with_counts=True)

    def _sources(
        self, where: str, params: list[Any], *, with_counts: bool, text: bool = False
    ) -> list[SourceRecord]:
        count = "(SELECT count(*) FROM facts f WHERE f.source_id = s.id)" if with_counts else "0"
        text_column = "text" if text else "NULL"
        paths = "(SELECT list(path ORDER BY added_at, path) FROM source_paths p WHERE p.source_id = s.id)"
        sql = f"SELECT {_SOURCE_SELECT}, {count}, {text_column}, {paths} FROM sources s {where} ORDER BY path"
        rows = self._con.execute(sql, params).fetchall()
        return [_source_record(r) for r in rows]

    def actors(self) -> dict[str, tuple[str, str]]:
        """Every actor code the knowledge base has seen: code -> (name, kind)."""
        return {
            code: (name, kind) for code, name, kind in self._con.execute("SELECT * FROM actors").fetchall()
        }

    def counts(self) -> dict[str, int]:
        """How many sources, facts and evidence rows the knowledge base holds."""
        return {
            table: int(self._con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
            for table in ("sources", "facts", "evidence")
        }


def _source_record(r: Sequence[Any]) -> SourceRecord:
    """A record from a row of _SOURCE_SELECT followed by the fact count, the text and (maybe) the paths."""
    ingested = r[7] if isinstance(r[7], datetime) else datetime.fromisoformat(str(r[7]))
    parties = tuple(actor_from_json(p) for p in json.loads(r[5]))
    refs = tuple(json.loads(r[11])) if r[11] else ()
    paths = tuple(r[14]) if len(r) > 14 and r[14] else ()
    return SourceRecord(
        r[0], r[1], r[2], r[3], r[4], parties, tuple(json.loads(r[6])), ingested, int(r[12]), r[13],
        r[8], r[9], r[10], refs, paths,
    )  # fmt: skip


def schema_sql() -> list[str]:
    """The tables and indexes that hold the facts (sources, facts, evidence, actors) with the columns of
    facts.md version 2, as plain SQL that SQLite runs too: sequences, the DuckDB-only ``pair_facts`` and
    the ``source_paths`` of version 4 are left out.

    For tools that compare engines (bench/store.py); dyad itself creates the schema by migration.
    """
    first = [sql for sql in _MIGRATIONS[0][2] if not sql.startswith("CREATE SEQ")]
    return first + list(_MIGRATIONS[2][2])  # the columns facts.md version 2 added


def fact_queries(where: str) -> tuple[str, str, str]:
    """The three SELECTs that read the facts matching ``where``: facts, their evidence, their sources.

    Each takes the parameters of ``where`` once; the SQL is plain enough for SQLite (bench/store.py).
    Their rows make :func:`stored_facts`.
    """
    return (
        f"{_FACT_SELECT} WHERE {where}",
        'SELECT fact_id, section, "start", "end", quote, ref FROM evidence '
        f"WHERE fact_id IN (SELECT id FROM facts WHERE {where}) ORDER BY fact_id, seq",
        f"SELECT {_SOURCE_SELECT}, 0, NULL FROM sources "
        f"WHERE id IN (SELECT source_id FROM facts WHERE {where})",
    )


def stored_facts(
    fact_rows: Sequence[Sequence[Any]],
    evidence_rows: Sequence[Sequence[Any]],
    source_rows: Sequence[Sequence[Any]],
) -> list[StoredFact]:
    """StoredFacts from the rows of :func:`fact_queries`, in source path and document order."""
    evidence: dict[int, list[Evidence]] = {}
    for fact_id, section, start, end, quote, *ref in evidence_rows:
        cited = json.loads(ref[0]) if ref and ref[0] else None
        evidence.setdefault(fact_id, []).append(Evidence(section, start, end, quote, cited))
    sources = {r[0]: _source_record(r) for r in source_rows}
    out = []
    for row in fact_rows:
        fact_id, source_id, type_, actor, target, attrs, start, end, date, confidence, rule = row[:11]
        polarity, cameo, goldstein = (*row[11:14], None, None, None)[:3]
        fact = Fact(
            type=type_,
            actor=_key_actor(actor),
            target=_key_actor(target),
            attrs=json.loads(attrs),
            evidence=tuple(evidence.get(fact_id, ())),
            start=start,
            end=end,
            date=date,
            confidence=confidence,
            rule=rule,
            polarity=polarity or "asserted",
            cameo=cameo,
            goldstein=goldstein,
        )
        out.append(StoredFact(fact_id, fact, sources[source_id]))
    out.sort(key=lambda sf: (sf.source.path, sf.id))
    return out


def _stored_from_pair_rows(texts: Iterable[str]) -> list[StoredFact]:
    """StoredFacts from ``pair_facts`` rows, in source path and document order.

    A row is ``{"source": [id, path, title, format, sha256, parties, links, ingested_at, url, published,
    publisher], "facts": [[id, type, actor, target, attrs, start, end, date, confidence, rule, [[section,
    start, end, quote, ref?], ...], polarity, cameo, goldstein], ...]}`` (:func:`_document_tables` writes
    it; migration 2 built rows without the fields after ``ingested_at``, ``evidence`` and ``ref``, which
    read as absent).
    """
    out: list[StoredFact] = []
    loads = json.loads
    for text in texts:
        row = loads(text)
        sid, path, title, format_, sha256, parties, links, ingested_at = row["source"][:8]
        url, published, publisher = (*row["source"][8:11], None, None, None)[:3]
        source = SourceRecord(
            sid,
            path,
            title,
            format_,
            sha256,
            tuple(actor_from_json(p) for p in parties),
            tuple(links),
            datetime.fromisoformat(ingested_at),
            url=url,
            published=published,
            publisher=publisher,
        )
        facts = row["facts"]
        for f in facts:
            fact_id, type_, actor, target, attrs, start, end, date, confidence, rule, evidence = f[:11]
            polarity, cameo, goldstein = (*f[11:14], None, None, None)[:3]
            fact = Fact(
                type_,
                _key_actor(actor),
                _key_actor(target),
                attrs,
                tuple(Evidence(*e) for e in evidence),
                start,
                end,
                date,
                confidence,
                rule,
                polarity or "asserted",
                cameo,
                goldstein,
            )
            out.append(StoredFact(fact_id, fact, source))
    out.sort(key=lambda sf: (sf.source.path, sf.id))
    return out
