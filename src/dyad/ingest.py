"""Ingest: files, directories and dumps into the knowledge base, each file read once, written in batches.

Each input is opened once (:func:`dyad.read.formats.load`): the bytes hashed to identify the source are
the bytes its facts are extracted from and the text stored, so a file replaced while it is read can
never leave evidence that points into other text. Only regular files are read, never more than the
size limit plus one byte: a pipe or a device is an error line, never a wait.

Sources are written in batches (:data:`~dyad.settings.INGEST_BATCH_FILES` files, or
:data:`~dyad.settings.INGEST_BATCH_BYTES` of text, or :data:`~dyad.settings.INGEST_BATCH_SECONDS`),
one transaction each (:meth:`dyad.store.Store.write_sources`): a crash or an interrupt leaves every
source fully old or fully new, and loses at most the batch being written. Before extraction, one query
finds the files whose content is stored already, so an unchanged file costs a read and a hash.

A dump is scanned once, keeping its bilateral-relations pages, each a source of its own; how far the
scan got is recorded in the transaction that stores the pages read before that point, so a resumed
scan starts where the stored pages end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import iso3166

from dyad.errors import DyadError, InputError, StoreError
from dyad.model import Document, Named, actor_key
from dyad.pipeline import Extracted, Extractor, extracted, iter_sources
from dyad.read.formats import Loaded, load
from dyad.settings import INGEST_BATCH_BYTES, INGEST_BATCH_FILES, INGEST_BATCH_SECONDS

if TYPE_CHECKING:
    from dyad.kb import KnowledgeBase

__all__ = ["IngestInterrupted", "IngestReport", "IngestResult", "Scan", "actor_rows", "ingest"]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What ingest did with one file: ``added``, ``replaced``, ``unchanged`` or ``error``."""

    path: str
    status: str
    facts: int = 0
    error: DyadError | None = None


@dataclass(frozen=True, slots=True)
class Scan:
    """What ingest did with a dump: pages seen and kept, and whether it read to the end."""

    path: str
    pages: int
    kept: int
    facts: int
    done: bool
    resumed: bool = False
    already: bool = False  # read to the end by an earlier ingest: nothing was done


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The results of one ingest, one per file, dump page (and argument that named no file), in order.

    ``stopped`` is the error that ended the run before every input was stored (the knowledge base could
    not be written: a full disk); ``left`` counts the inputs it did not reach or store.
    """

    results: tuple[IngestResult, ...]
    scans: tuple[Scan, ...] = ()
    stopped: DyadError | None = None
    left: int = 0

    @property
    def errors(self) -> tuple[IngestResult, ...]:
        return tuple(r for r in self.results if r.error is not None)

    @property
    def ok(self) -> bool:
        return not self.errors and self.stopped is None

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def facts(self) -> int:
        """Facts written (added or replaced sources)."""
        return sum(r.facts for r in self.results if r.status in ("added", "replaced"))


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during an ingest: a KeyboardInterrupt that carries the report of what was stored before it
    (every source before the batch being written; that batch was rolled back whole)."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__("ingest interrupted")
        self.report = report


@dataclass
class _Entry:
    """A source waiting to be written: where its result goes, its keys, and its text read once."""

    slot: int
    key: str  # the path it is stored under (absolute; path#Title for a page of a dump)
    given: str  # the path as given, for the report
    digest: str
    loaded: Loaded | None = None  # a file not yet extracted
    got: Extracted | None = None  # a page of a dump, extracted


@dataclass
class _Batch:
    entries: list[_Entry] = field(default_factory=list)
    size: int = 0
    since: float = field(default_factory=time.monotonic)
    scan: tuple[str, str, dict[str, Any]] | None = None

    def full(self, times: int = 1) -> bool:
        """Whether the batch has reached its size (``times`` over: a hard cap) or its time."""
        return (
            len(self.entries) >= INGEST_BATCH_FILES * times
            or self.size >= INGEST_BATCH_BYTES * times
            or (times == 1 and time.monotonic() - self.since >= INGEST_BATCH_SECONDS)
        )


def ingest(
    kb: KnowledgeBase,
    paths: Iterable[str],
    *,
    extract: Extractor,
    format: str | None = None,
    progress: Callable[..., Any] | None = None,
    on_scan: Callable[[str, Any, int], None] | None = None,
) -> IngestReport:
    """Store every article under ``paths`` in ``kb`` (see :meth:`dyad.kb.KnowledgeBase.ingest`).

    Raises :class:`IngestInterrupted` on Ctrl-C, with the report of what was stored before it.
    """
    return _Run(kb, extract, format, on_scan).run(paths, progress)


class _Run:
    def __init__(
        self,
        kb: KnowledgeBase,
        extract: Extractor,
        format: str | None,
        on_scan: Callable[[str, Any, int], None] | None,
    ) -> None:
        self.kb = kb
        self.store = kb.store
        self.extract = extract
        self.format = format
        self.on_scan = on_scan
        self.results: list[IngestResult | None] = []
        self.scans: list[Scan] = []
        self.batch = _Batch()

    def run(self, paths: Iterable[str], progress: Callable[..., Any] | None) -> IngestReport:
        files: dict[str, str] = {}  # absolute path -> the path as given
        for item in iter_sources([str(p) for p in paths]):
            if isinstance(item, InputError):
                self.results.append(IngestResult(item.path, "error", error=item))
            else:
                files.setdefault(str(Path(item).resolve()), str(item))
        bar = progress(total=len(files)) if progress else None
        entered = 0  # files taken up: read, queued, or reported
        try:
            for key, given in files.items():
                entered += 1
                self._file(key, given)
                if bar is not None:
                    bar.update(1)
            self._flush()
        except StoreError as e:
            return self._report(stopped=e, unread=len(files) - entered)
        except KeyboardInterrupt:
            raise IngestInterrupted(self._report(unread=len(files) - entered)) from None
        finally:
            if bar is not None:
                bar.close()
        return self._report()

    def _report(self, *, stopped: DyadError | None = None, unread: int = 0) -> IngestReport:
        """The report so far: sources whose batch was not written, and files not reached, are left."""
        done = tuple(r for r in self.results if r is not None)
        return IngestReport(done, tuple(self.scans), stopped, unread + len(self.results) - len(done))

    def _slot(self) -> int:
        self.results.append(None)
        return len(self.results) - 1

    def _file(self, key: str, given: str) -> None:
        try:
            loaded = load(given, format=self.format)
        except InputError as e:
            self.results.append(IngestResult(given, "error", error=e))
            return
        if loaded.reader.stream is not None:
            self._flush()
            self._stream(key, given, loaded)
            return
        assert loaded.data is not None
        self._add(_Entry(self._slot(), key, given, loaded.digest, loaded=loaded), len(loaded.data))

    def _add(self, entry: _Entry, size: int, *, times: int = 1) -> None:
        self.batch.entries.append(entry)
        self.batch.size += size
        if self.batch.full(times):
            self._flush()

    def _flush(self) -> None:
        """Extract what the batch needs and write it in one transaction."""
        batch, self.batch = self.batch, _Batch()
        entries = batch.entries
        if not entries and batch.scan is None:
            return
        same = self.store.linked((e.digest, e.key) for e in entries)
        stored = self.store.contents(e.digest for e in entries if e.loaded is not None)
        links: list[tuple[str, str]] = []
        docs: list[tuple[_Entry, Document, str]] = []
        for e in entries:
            if (e.digest, e.key) in same:
                self.results[e.slot] = IngestResult(e.given, "unchanged")
            elif e.loaded is not None and e.digest in stored:
                links.append((e.digest, e.key))  # this text is stored: one source, one more path
                self.results[e.slot] = IngestResult(e.given, "unchanged")
            else:
                got = e.got if e.got is not None else self._extract(e)
                if got is not None:
                    assert got.document is not None
                    doc = got.document
                    doc = replace(doc, source=replace(doc.source, path=e.key, sha256=e.digest))
                    docs.append((e, doc, got.text))
        actors = [row for _, doc, _ in docs for row in actor_rows(self.kb, doc)]
        statuses = self.store.write_sources(
            [(doc, text) for _, doc, text in docs], links=links, actors=actors, scan=batch.scan
        )
        for (e, doc, _), status in zip(docs, statuses, strict=True):
            self.results[e.slot] = IngestResult(
                e.given, status, len(doc.facts) if status != "unchanged" else 0
            )

    def _extract(self, e: _Entry) -> Extracted | None:
        assert e.loaded is not None
        try:
            got = next(extracted(e.loaded, extract=self.extract), None)
        except InputError as failed:
            got = Extracted(e.given, error=failed)
        if got is None or got.error is not None:
            problem = got.error if got is not None else InputError(e.given, "holds no article")
            self.results[e.slot] = IngestResult(e.given, "error", error=problem)
            return None
        return got

    def _stream(self, key: str, given: str, loaded: Loaded) -> None:
        """Scan a dump (or a feed), batching its pages; the position goes with the pages before it."""
        info = Path(given).stat()
        identity = f"{info.st_size}:{info.st_mtime_ns}"
        saved = self.store.scan_position(key, identity)
        if saved and saved.get("done"):
            pages, kept = int(saved.get("pages", 0)), int(saved.get("kept", 0))
            self.scans.append(Scan(given, pages, kept, 0, True, already=True))
            return
        facts = [0]
        seen = [int((saved or {}).get("pages", 0)), int((saved or {}).get("kept", 0))]

        def report(state: Any) -> None:
            # Called between pages: every page before the position is in a batch. A full batch is
            # written here, with the position, so a resumed scan starts right after its pages.
            seen[:] = [state.pages, state.kept]
            if state.position:
                self.batch.scan = (key, identity, dict(state.position))
                if self.batch.full():
                    self._flush()
            if self.on_scan is not None:
                self.on_scan(given, state, facts[0])

        options: dict[str, Any] = {"progress": report}
        if saved:
            options["resume"] = saved
        try:
            for got in extracted(loaded, extract=self.extract, **options):
                if got.error is not None:
                    self.results.append(IngestResult(got.key, "error", error=got.error))
                    continue
                page_key = key + got.key[len(given) :] if got.key.startswith(given) else got.key
                entry = _Entry(self._slot(), page_key, got.key, got.digest, got=got)
                assert got.document is not None
                facts[0] += len(got.document.facts)
                self._add(entry, len(got.text), times=4)  # written at the next position, or when far over
        except InputError as e:  # the dump itself failed: what was read before it is kept
            self.results.append(IngestResult(e.path, "error", error=e))
            self._flush()
            self.scans.append(Scan(given, seen[0], seen[1], facts[0], False, bool(saved)))
            return
        self._flush()
        self.scans.append(Scan(given, seen[0], seen[1], facts[0], True, bool(saved)))


# Codes of states that no longer exist (ISO 3166-3 or project codes, facts.md); the rest are organisations.
_FORMER_STATES = frozenset({"SUN", "YUG", "CSK", "DDR", "XKX", "SCG", "ANT", "BUR", "ZAR", "TMP", "YMD"})


def actor_rows(kb: KnowledgeBase, doc: Document) -> list[tuple[str, str, str]]:
    """(code, name, kind) of every actor of a document, for the knowledge base's table of actors."""
    actors = {actor_key(a): a for f in doc.facts for a in (f.actor, f.target)}
    actors.update({actor_key(p): p for p in doc.parties})
    rows = []
    for key, actor in actors.items():
        if isinstance(actor, Named):
            rows.append((key, actor.name, "unresolved"))
        else:
            state = actor in iso3166.countries_by_alpha3 or actor in _FORMER_STATES
            rows.append((key, kb.name(actor), "state" if state else "organisation"))
    return rows
