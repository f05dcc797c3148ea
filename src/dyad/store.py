"""The knowledge base on disk: one DuckDB file, its schema, all the SQL, and one error boundary.

:class:`Store` owns the connection; nothing else in dyad imports duckdb. Tables, as facts.md names them::

    schema_version(version, description, applied_at)   one row per migration applied
    sources(id, path, title, format, sha256, parties JSON, links JSON, ingested_at, text, url, …)
    source_paths(path PRIMARY KEY, source_id, added_at) every path a source was read from
    facts(id, source_id, seq, pair, type, actor, target, attrs JSON, start, end, date, confidence, rule,
          t_lo, t_hi, polarity, cameo, goldstein)
    evidence(fact_id, seq, section, start, end, quote, ref JSON)
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
same transaction as the facts it repeats, with the same clock, so it can never disagree with them.

A source is identified by its content (its sha256): the same text read from two paths is one source, and
``source_paths`` remembers every path it was read from. A path whose file changed moves to the new
content; a source left without paths is deleted with its facts. :meth:`Store.write_sources` writes a
batch of sources in one transaction, so a crash leaves each of them fully old or fully new.

Errors: every public method turns a ``duckdb`` error (or an ``OSError`` of the file system) into a
:class:`~dyad.errors.StoreError` at one place, :func:`store_error`; another process holding the file is
:class:`~dyad.errors.StoreBusy`, after waiting up to ``wait`` seconds for it. Nothing else escapes.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from dyad import settings
from dyad.errors import StoreBusy, StoreError
from dyad.model import Actor, Document, SourceRecord, StoredFact, actor_json
from dyad.settings import FACT_PAGE
from dyad.store_boundary import guard, holder, store_error
from dyad.store_rows import (
    _FACT_SELECT,
    _SOURCE_SELECT,
    _days,
    _fact_filter,
    _key_actor,
    _meets,
    _now,
    _source_record,
    _stored_from_pair_rows,
    document_tables,
    fact_queries,
    pair_key,
    stored_facts,
)
from dyad.store_schema import MIGRATIONS, SCHEMA_VERSION, schema_sql
from dyad.store_write import (
    TEST_SLOW_ENV,
    add_actors,
    bulk_write,
    delete_sources,
    move_path,
    write_sources,
)

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
    "store_error",
    "stored_facts",
]


@dataclass(frozen=True, slots=True)
class PairCount:
    """A pair of actors the knowledge base holds facts about (``a`` sorts before ``b``)."""

    a: Actor
    b: Actor
    facts: int
    sources: int


class Store:
    """The connection to one knowledge base file; every query and write of dyad goes through it.

    Opening read-write creates the file (and its folder) and applies pending migrations. Opening
    ``read_only=True`` needs an existing, up-to-date file and lets several processes read at once; DuckDB
    allows one writing process at a time. When another process holds the file, opening waits up to
    ``wait`` seconds for it (default :data:`dyad.settings.STORE_BUSY_SECONDS`), calling
    ``on_wait(message)`` once so a caller can say so, then raises :class:`~dyad.errors.StoreBusy`.
    ``threads`` bounds the threads DuckDB runs a query on (default: one per core).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        wait: float | None = None,
        on_wait: Callable[[str], None] | None = None,
        threads: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no knowledge base there; run 'dyad ingest' first")
        self._con = self._connect(settings.STORE_BUSY_SECONDS if wait is None else wait, on_wait)
        try:
            # No progress bar (a migration takes seconds): a library does not draw on the caller's terminal.
            self._con.execute("SET enable_progress_bar = false")
            if threads is not None:
                self._con.execute(f"SET threads = {int(threads)}")
            self._migrate()
        except BaseException:
            self._con.close()
            raise

    def _connect(self, wait: float, on_wait: Callable[[str], None] | None) -> duckdb.DuckDBPyConnection:
        if self.path.parent.is_file() or (self.path.exists() and not self.path.is_file()):
            where = self.path.parent if self.path.parent.is_file() else self.path
            raise StoreError(f"{self.path}: {where} is not a folder; give --db a file path in a folder")
        if not self.read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise store_error(self.path, f"make the folder {self.path.parent}", e) from e
        deadline = time.monotonic() + wait
        delay = 0.05
        told = False
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=self.read_only)
            except (duckdb.Error, OSError) as e:
                error = store_error(self.path, "open the knowledge base", e)
                left = deadline - time.monotonic()
                if not isinstance(error, StoreBusy) or left <= 0:
                    raise error from e
                if on_wait is not None and not told:
                    who = holder(" ".join(str(e).split()))
                    on_wait(f"{self.path}: {who} is using the knowledge base; waiting up to {wait:g} s")
                    told = True
                time.sleep(min(delay, left))
                delay = min(delay * 2, 0.5)

    # -- lifecycle --

    @guard("close the knowledge base")
    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: committed when the block ends, rolled back when it raises anything (an
        interrupt included), so a write is whole or absent."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; open it without read_only to write")
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # an aborted or interrupted transaction is already undone
            raise
        con.execute("COMMIT")

    @guard("read the schema version")
    def schema_version(self) -> int:
        row = self._con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    @guard("read or upgrade the schema")
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
        for version, description, statements in MIGRATIONS:
            if version <= current:
                continue
            with self._transaction() as con:
                for sql in statements:
                    con.execute(sql)
                con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, description, _now()])

    # -- writing --

    @guard("read the sources")
    def source_sha256(self, path: str) -> str | None:
        """The sha256 of the source last read from ``path``, or None when there is none."""
        row = self._con.execute(
            "SELECT s.sha256 FROM source_paths p JOIN sources s ON s.id = p.source_id WHERE p.path = ?",
            [path],
        ).fetchone()
        return row[0] if row else None

    @guard("read the sources")
    def linked(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Of (sha256, path) pairs, those whose path already names the stored source with that content:
        ingesting them again would change nothing. One query, no write."""
        pairs = list(pairs)
        if not pairs:
            return set()
        rows = self._con.execute(
            "SELECT s.sha256, p.path FROM source_paths p JOIN sources s ON s.id = p.source_id "
            "WHERE p.path IN (SELECT unnest(?))",
            [[path for _, path in pairs]],
        ).fetchall()
        return set(pairs) & {(sha, path) for sha, path in rows}

    @guard("read the sources")
    def contents(self, shas: Iterable[str]) -> set[str]:
        """Of the given contents (sha256), those a stored source has. One query, no write."""
        shas = list(dict.fromkeys(shas))
        if not shas:
            return set()
        rows = self._con.execute(
            "SELECT DISTINCT sha256 FROM sources WHERE sha256 IN (SELECT unnest(?))", [shas]
        ).fetchall()
        return {r[0] for r in rows}

    @guard("read the scans")
    def scan_position(self, path: str, identity: str) -> dict[str, Any] | None:
        """Where the last scan of the dump at ``path`` stopped; None when the file is new or changed
        (``identity`` tells one version of a file from another)."""
        row = self._con.execute(
            "SELECT position FROM scans WHERE path = ? AND identity = ?", [path, identity]
        ).fetchone()
        return dict(json.loads(row[0])) if row else None

    @guard("record the scan")
    def save_scan(self, path: str, identity: str, position: Mapping[str, Any]) -> None:
        """Record where the scan of the dump at ``path`` stands."""
        with self._transaction() as con:
            self._save_scan(con, path, identity, position)

    @staticmethod
    def _save_scan(
        con: duckdb.DuckDBPyConnection, path: str, identity: str, position: Mapping[str, Any]
    ) -> None:
        con.execute(
            "INSERT OR REPLACE INTO scans VALUES (?, ?, ?, ?)",
            [path, identity, json.dumps(dict(position)), _now()],
        )

    @guard("store the path")
    def link_path(self, sha256: str, path: str) -> bool:
        """Remember ``path`` as a place the source with content ``sha256`` was read from.

        Returns False when no source has that content. The path leaves the source it named before (which
        is deleted, with its facts, when it has no other path). One transaction.
        """
        with self._transaction() as con:
            row = con.execute("SELECT id FROM sources WHERE sha256 = ? LIMIT 1", [sha256]).fetchone()
            if row is None:
                return False
            move_path(con, path, int(row[0]), _now())
            return True

    @guard("store the sources")
    def write_sources(
        self,
        items: Sequence[tuple[Document, str]],
        *,
        links: Sequence[tuple[str, str]] = (),
        actors: Iterable[tuple[str, str, str]] = (),
        scan: tuple[str, str, Mapping[str, Any]] | None = None,
    ) -> list[str]:
        """Store (document, its text) items, each read from ``doc.source.path``, in one transaction; the
        status of each, in order: ``"added"``, ``"replaced"`` or ``"unchanged"``.

        A source is its content (``doc.source.sha256``): ``unchanged`` when that content is stored already
        (the path is remembered as one of its paths; nothing else is written), ``replaced`` when the path
        held other content that no other path holds (that source's facts are replaced in place),
        ``added`` otherwise. ``links`` are (sha256, path) pairs of contents already stored, each path
        remembered as one of its source's paths first (:meth:`link_path`; a content no longer stored is
        skipped). ``actors`` are (code, name, kind) rows added when their code is new. ``scan``,
        (path, identity, position), records in the same transaction how far a dump's scan got, so a
        resumed scan never skips a page that was not stored.
        """
        now = _now()
        with self._transaction() as con:
            for sha256, path in links:
                row = con.execute("SELECT id FROM sources WHERE sha256 = ? LIMIT 1", [sha256]).fetchone()
                if row is not None:
                    move_path(con, path, int(row[0]), now)
            statuses = write_sources(con, items, now)
            add_actors(con, actors)
            if scan is not None:
                self._save_scan(con, *scan)
            return statuses

    def replace_document(
        self, doc: Document, text: str, *, actors: Iterable[tuple[str, str, str]] = ()
    ) -> str:
        """Store one document in one transaction: :meth:`write_sources` of one item."""
        return self.write_sources([(doc, text)], actors=actors)[0]

    @guard("remove the source")
    def remove_source(self, source_id: int) -> tuple[SourceRecord, int] | None:
        """Delete a source, its paths and its facts in one transaction; (the source, facts deleted), or
        None when there is no such source."""
        found = self.source(source_id)
        if found is None:
            return None
        with self._transaction() as con:
            delete_sources(con, [source_id])
        return found, found.facts

    @guard("bulk-load the sources")
    def bulk_load(
        self, items: Iterable[tuple[Document, str]], *, actors: Iterable[tuple[str, str, str]] = ()
    ) -> int:
        """Store many (document, text) pairs in one transaction, through Arrow; returns the facts written.

        For loading large batches (benchmarks, imports): a source whose path is already stored is replaced
        whatever its sha256, and contents are not compared across paths (each item is a source of its
        own). Unlike :meth:`write_sources`, a crash loses the whole batch.
        """
        items = list(items)
        if not items:
            return 0
        with self._transaction() as con:
            total = bulk_write(con, items, _now())
            add_actors(con, actors)
            return total

    # -- reading --

    @guard("read the facts of the pair")
    def pair_facts(self, a: Actor, b: Actor) -> list[StoredFact]:
        """Every fact between ``a`` and ``b`` in either direction, in source path and document order.

        One indexed lookup of the pair's rows of ``pair_facts`` (a row per source that states a fact of
        the pair); each source record comes without its fact count and text, as from :meth:`facts`.
        """
        rows = self._con.execute("SELECT facts FROM pair_facts WHERE pair = ?", [pair_key(a, b)]).fetchall()
        return _stored_from_pair_rows([r[0] for r in rows])

    @guard("read the facts of the sources")
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

    @guard("read the facts")
    def facts(
        self,
        *,
        actor: Actor | None = None,
        other: Actor | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[StoredFact]:
        """Facts that involve ``actor`` (and ``other``, when both are given), of ``type``, within a time,
        in source path and document order.

        ``since``/``until`` are EDTF; a fact matches when its span (from its start or date to its end or
        date; an unknown start or end is open) meets [since, until]. Facts with no date at all do not
        match a time filter. For many facts, :meth:`iter_facts` reads them a page at a time.
        """
        first, last = _days(since, until)
        if actor is not None and other is not None:
            # The pair's rows are one indexed lookup; the same filters as the SQL below, in Python.
            return [
                sf
                for sf in self.pair_facts(actor, other)
                if (type is None or sf.fact.type == type) and _meets(sf.fact, first, last)
            ]
        where, params = _fact_filter(actor, None, type, first, last)
        facts_sql, evidence_sql, sources_sql = fact_queries(where)
        rows = self._con.execute(facts_sql, params).fetchall()
        if not rows:
            return []
        evidence = self._con.execute(evidence_sql, params).fetchall()
        return stored_facts(rows, evidence, self._con.execute(sources_sql, params).fetchall())

    @guard("read the facts")
    def iter_facts(
        self,
        *,
        actor: Actor | None = None,
        other: Actor | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        after: int | None = None,
        batch: int = FACT_PAGE,
    ) -> Iterator[StoredFact]:
        """The facts :meth:`facts` selects, in the order they were stored (source by source, each source's
        in document order), read ``batch`` fact ids at a time: memory stays flat however many there are.

        ``after`` starts after that fact id (for paging: pass the id of the last fact seen). Source
        records come with refs but without fact count and text. The store must not be written while the
        iterator is open.
        """
        first, last = _days(since, until)
        where, params = _fact_filter(actor, other, type, first, last)
        if after is not None:
            where, params = f"{where} AND id > ?", [*params, after]
        bounds = self._con.execute(f"SELECT min(id), max(id) FROM facts WHERE {where}", params).fetchone()
        if bounds is None or bounds[0] is None:
            return
        lo, hi = int(bounds[0]), int(bounds[1])
        step = max(1, batch)
        for start in range(lo, hi + 1, step):
            # A range of ids, not LIMIT/OFFSET: facts are appended in id order, so DuckDB reads only the
            # row groups of the range (of facts and of evidence) by their least and greatest id.
            span = [start, start + step]
            page = f"{where} AND id >= ? AND id < ?"
            rows = self._con.execute(f"{_FACT_SELECT} WHERE {page} ORDER BY id", [*params, *span]).fetchall()
            if not rows:
                continue
            evidence = self._con.execute(
                'SELECT fact_id, section, "start", "end", quote, ref FROM evidence '
                f"WHERE fact_id >= ? AND fact_id < ? AND fact_id IN (SELECT id FROM facts WHERE {page}) "
                "ORDER BY fact_id, seq",
                [*span, *params, *span],
            ).fetchall()
            sources = self._con.execute(
                f"SELECT {_SOURCE_SELECT}, 0, NULL FROM sources WHERE id IN (SELECT unnest(?))",
                [sorted({r[1] for r in rows})],
            ).fetchall()
            yield from stored_facts(rows, evidence, sources, by_path=False)

    @guard("count the facts")
    def count_facts(
        self,
        *,
        actor: Actor | None = None,
        other: Actor | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> int:
        """How many facts :meth:`iter_facts` gives for the same filters (one query)."""
        first, last = _days(since, until)
        where, params = _fact_filter(actor, other, type, first, last)
        row = self._con.execute(f"SELECT count(*) FROM facts WHERE {where}", params).fetchone()
        return int(row[0]) if row else 0

    @guard("read the pairs")
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

    @guard("read the sources")
    def sources(self) -> list[SourceRecord]:
        """Every stored source (without its text), with its fact count and paths, by path."""
        return self._sources("", [], with_counts=True)

    @guard("read the source")
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

    @guard("read the sources")
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

    @guard("read the actors")
    def actors(self) -> dict[str, tuple[str, str]]:
        """Every actor code the knowledge base has seen: code -> (name, kind)."""
        return {
            code: (name, kind) for code, name, kind in self._con.execute("SELECT * FROM actors").fetchall()
        }

    @guard("count the sources and facts")
    def counts(self) -> dict[str, int]:
        """How many sources, facts and evidence rows the knowledge base holds."""
        out = {}
        for table in ("sources", "facts", "evidence"):
            row = self._con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out
