"""The knowledge base as a Python API: ingest articles, then ask about any pair of countries.

    >>> kb = dyad.open()                      # DYAD_DB, else dyad.duckdb in the user's data directory
    >>> kb.ingest(["articles/"])              # IngestReport: per file added / replaced / unchanged / error
    >>> kb.show("Belgium", "SYR", at="2013")  # PairState: what held between the two on that date
    >>> kb.timeline("BEL", "Syrian")          # Timeline: every dated fact of the pair, in time order

Actor arguments take names, codes and adjectives ("Belgium", "BEL", "Belgian"); a name that resolves to
nothing raises :class:`~dyad.errors.UnknownActorError` with the closest known names. Dates take EDTF
("2013", "2013-05", "1946-03-20") or plain English ("20 March 1946").

**When is a fact in force.** A fact is compared with the date ``at`` at the coarser of the two
precisions: an event that falls in the same period as ``at`` counts as having happened by then. So a
mission with end ``2012`` is open ``at`` 2010 and ``2011-12``, closed ``at`` 2012 and 2013; one with start
``2011`` is open ``at`` 2011. A fact with no start is open since unknown times ("since ?"). In bounds:
started when ``first_day(start) <= last_day(at)``, ended when ``first_day(end) <= last_day(at)``.

**Disagreement.** Facts of one type, direction and key attributes (:data:`KEY_ATTRS`: a mission's kind and
city, a relation's status …) are one *claim* when their times are compatible: starts and dates that
overlap, ends that overlap or are both absent (an absent end says "still open"). Compatible facts from
several sources make one :class:`Entry` naming every source. When two claims of one thing share no
source, the sources disagree: both entries are kept, each listing the other in ``disputes``.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import iso3166
import platformdirs

from dyad.errors import DyadError, InputError, UnknownActorError
from dyad.model import FACT_TYPES, POINT_TYPES, Actor, Document, Named, actor_key
from dyad.registry import TYPES
from dyad.settings import DB_ENV, DB_FILENAME
from dyad.store import PairCount, SourceRecord, Store, StoredFact, edtf_bounds

__all__ = [
    "Scan",
    "KEY_ATTRS",
    "LATEST_EVENTS",
    "SECTIONS",
    "SYMMETRIC_TYPES",
    "Dispute",
    "Entry",
    "Event",
    "IngestReport",
    "IngestResult",
    "KnowledgeBase",
    "PairState",
    "Timeline",
    "default_path",
    "open",
    "parse_date",
]

#: The attributes that make two facts of a type statements of the same thing (with the type, actor and
#: target). Statements and visits are events: two of them on different dates are two events, never a
#: disagreement.
KEY_ATTRS: Mapping[str, tuple[str, ...]] = {name: t.keys for name, t in TYPES.items()}

#: Types whose direction carries no meaning: relations of A with B are relations of B with A.
SYMMETRIC_TYPES = frozenset(name for name, t in TYPES.items() if t.symmetric is True)

#: The sections of :meth:`KnowledgeBase.show`, in order, each with the fact type it lists.
SECTIONS: tuple[tuple[str, str], ...] = tuple((t.section, name) for name, t in TYPES.items())

#: How many of the latest statements and visits :meth:`KnowledgeBase.show` lists.
LATEST_EVENTS = 5

# Codes of states that no longer exist (ISO 3166-3 or project codes, facts.md); the rest are organisations.
_FORMER_STATES = frozenset({"SUN", "YUG", "CSK", "DDR", "XKX", "SCG", "ANT", "BUR", "ZAR", "TMP", "YMD"})
_END_OF_TIME = (99_999_999, 99_999_999)


def default_path() -> Path:
    """The knowledge base used when none is given: ``$DYAD_DB``, else dyad.duckdb in the user data dir."""
    env = os.environ.get(DB_ENV)
    return Path(env) if env else platformdirs.user_data_path("dyad") / DB_FILENAME


def open(path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> KnowledgeBase:  # noqa: A001
    """Open (creating it unless ``read_only``) the knowledge base at ``path`` or :func:`default_path`."""
    return KnowledgeBase(Store(Path(path) if path else default_path(), read_only=read_only))


def parse_date(text: str) -> str:
    """The EDTF of a date given as EDTF ("2013-05") or in plain English ("20 March 1946")."""
    s = text.strip()
    if edtf_bounds(s):
        return s
    edtf = importlib.import_module("dyad.resolve.dates").to_edtf(s)
    if edtf and edtf_bounds(edtf):
        return edtf
    raise DyadError(
        f"cannot read the date '{text}'; give a year (2013), a month (2013-05) or a day (20 March 1946)"
    )


def extract_items(path: str, *, format: str | None = None, **options: Any) -> Iterable[Any]:
    """:func:`dyad.pipeline.extract_items`, imported when first needed."""
    return importlib.import_module("dyad.pipeline").extract_items(path, format=format, **options)


def iter_sources(paths: Sequence[str]) -> Iterable[str | InputError]:
    """:func:`dyad.pipeline.iter_sources`, imported when first needed."""
    return importlib.import_module("dyad.pipeline").iter_sources(paths)


def _is_stream(path: str, format: str | None) -> bool:
    """Whether the file is read as a stream of many articles (a dump); errors are left to the reader."""
    formats = importlib.import_module("dyad.read.formats")
    try:
        reader = formats.READERS.get(format) if format else formats.detect(formats.read_head(path))
    except InputError:
        return False
    return reader is not None and reader.stream is not None


def _default_gazetteer() -> Any:
    return importlib.import_module("dyad.resolve.actors").Gazetteer.default()


# -- results --


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
    """The results of one ingest, one per file, dump page (and argument that named no file), in order."""

    results: tuple[IngestResult, ...]
    scans: tuple[Scan, ...] = ()

    @property
    def errors(self) -> tuple[IngestResult, ...]:
        return tuple(r for r in self.results if r.error is not None)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def facts(self) -> int:
        """Facts written (added or replaced sources)."""
        return sum(r.facts for r in self.results if r.status in ("added", "replaced"))


@dataclass(frozen=True, slots=True)
class Dispute:
    """What other sources say about the same thing, when they share no source with an entry."""

    start: str | None
    end: str | None
    date: str | None
    sources: tuple[SourceRecord, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing stated about a pair, by one or more sources that agree: a line of show or timeline.

    ``start``/``end``/``date`` are the most precise the facts give; ``facts`` are all of them, each with
    its source and evidence. ``status`` is set by :meth:`KnowledgeBase.show`: ``open``, ``closed`` or
    ``event`` (a fact with only a date). ``disputes`` lists what disagreeing sources say instead.
    """

    type: str
    actor: Actor
    target: Actor
    attrs: Mapping[str, Any]
    start: str | None
    end: str | None
    date: str | None
    facts: tuple[StoredFact, ...]
    disputes: tuple[Dispute, ...] = ()
    status: str | None = None

    @property
    def sources(self) -> tuple[SourceRecord, ...]:
        return tuple({sf.source.id: sf.source for sf in self.facts}.values())


@dataclass(frozen=True, slots=True)
class PairState:
    """The state of relations between ``a`` and ``b`` on ``at``: entries by section (see SECTIONS)."""

    a: str
    b: str
    at: str
    names: Mapping[str, str]
    sections: Mapping[str, tuple[Entry, ...]]

    @property
    def empty(self) -> bool:
        return not any(self.sections.values())


@dataclass(frozen=True, slots=True)
class Event:
    """A dated moment of a timeline: an entry's ``start``, ``end`` or ``date``."""

    when: str
    kind: str
    entry: Entry


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every dated fact of a pair as events in time order, and the undated entries apart."""

    a: str
    b: str
    names: Mapping[str, str]
    events: tuple[Event, ...]
    undated: tuple[Entry, ...] = field(default=())


# -- the knowledge base --


class KnowledgeBase:
    """A knowledge base of facts about pairs of countries, on top of a :class:`~dyad.store.Store`.

    ``gazetteer`` resolves actor names (default: ``dyad.resolve.actors.Gazetteer.default()``).
    """

    def __init__(self, store: Store, *, gazetteer: Any = None) -> None:
        self.store = store
        self._gazetteer = gazetteer
        self._names: dict[str, str] | None = None

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def gazetteer(self) -> Any:
        if self._gazetteer is None:
            self._gazetteer = _default_gazetteer()
        return self._gazetteer

    # -- names --

    def resolve(self, name: str) -> str:
        """The code of a name, code or adjective; UnknownActorError listing the closest names if none."""
        text = name.strip()
        code = self.gazetteer.resolve(text) if text else None
        if code:
            return code
        if text.upper() in self.names():  # an organisation the knowledge base knows, such as GCDI
            return text.upper()
        raise UnknownActorError(name, list(self.gazetteer.suggest(text)) if text else [])

    def names(self) -> dict[str, str]:
        """Display names of every actor the knowledge base has seen, by actor key."""
        if self._names is None:
            self._names = {code: name for code, (name, _) in self.store.actors().items()}
        return self._names

    def name(self, actor: Actor | str) -> str:
        """The display name of an actor (its code when no name is known)."""
        if isinstance(actor, Named):
            return actor.name
        if actor.startswith("*"):
            return actor[1:]
        known = self.names().get(actor)
        if known:
            return known
        try:
            return str(self.gazetteer.name(actor))
        except (KeyError, LookupError, ValueError):
            return actor

    def _names_for(self, actors: Iterable[Actor]) -> dict[str, str]:
        return {actor_key(a): self.name(a) for a in actors}

    # -- ingest --

    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        progress: Callable[..., Any] | None = None,
        format: str | None = None,
        on_scan: Callable[[str, Any], None] | None = None,
    ) -> IngestReport:
        """Extract and store every article under ``paths``; one transaction per source.

        A source is identified by its absolute path (``path#Title`` for a page of a dump); an unchanged
        source (same sha256) is left as it is, a changed one has its facts replaced. A file that cannot
        be read is reported in the result and the others go on. ``format`` forces a reader (see
        :mod:`dyad.read.formats`); by default each file's format is detected. ``progress``, when given,
        is called once as ``progress(total=n)`` and must return an object with ``update(1)`` and
        ``close()`` (``tqdm.tqdm`` fits).

        A dump is scanned once, keeping its bilateral-relations pages; ``on_scan(path, progress)`` is
        called as it goes (:class:`dyad.read.dump.Progress`). The scan's position is saved as it goes,
        so ingesting the same dump again resumes where an interrupted scan stopped, and does nothing
        once a scan has read the whole file.
        """
        results: list[IngestResult] = []
        scans: list[Scan] = []
        files: dict[str, str] = {}  # absolute path -> the path as given
        for arg in paths:
            try:
                for item in iter_sources([str(arg)]):
                    if isinstance(item, InputError):
                        results.append(IngestResult(item.path, "error", error=item))
                    else:
                        files.setdefault(str(Path(item).resolve()), str(item))
            except InputError as e:
                results.append(IngestResult(e.path, "error", error=e))
        bar = progress(total=len(files)) if progress else None
        try:
            for key, given in files.items():
                if _is_stream(given, format):
                    scans.append(self._ingest_stream(key, given, format, results, on_scan))
                else:
                    results.append(self._ingest_one(key, given, format))
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
            self._names = None
        return IngestReport(tuple(results), tuple(scans))

    def _ingest_one(self, key: str, given: str, format: str | None = None) -> IngestResult:
        try:
            sha = hashlib.sha256(Path(given).read_bytes()).hexdigest()
        except OSError:
            sha = ""  # the reader names the problem
        if sha and self.store.source_sha256(key) == sha:
            return IngestResult(given, "unchanged")
        got = next(iter(extract_items(given, format=format)), None)
        if got is None or got.error is not None:
            error = got.error if got is not None else InputError(given, "holds no article")
            return IngestResult(given, "error", error=error)
        return self._store(got, key, given, sha)

    def _store(self, got: Any, key: str, given: str, sha: str) -> IngestResult:
        doc = replace(got.document, source=replace(got.document.source, path=key, sha256=sha))
        status = self.store.replace_document(doc, got.text, actors=self._actor_rows(doc))
        return IngestResult(given, status, len(doc.facts))

    def _ingest_stream(
        self,
        key: str,
        given: str,
        format: str | None,
        results: list[IngestResult],
        on_scan: Callable[[str, Any], None] | None,
    ) -> Scan:
        """Scan a dump, storing each kept page as its own source; save the position as it goes."""
        info = Path(given).stat()
        identity = f"{info.st_size}:{info.st_mtime_ns}"
        saved = self.store.scan_position(key, identity)
        if saved and saved.get("done"):
            return Scan(given, int(saved.get("pages", 0)), int(saved.get("kept", 0)), 0, True, already=True)
        facts = 0
        last: dict[str, Any] = {}
        seen = [int((saved or {}).get("pages", 0)), int((saved or {}).get("kept", 0))]

        def report(state: Any) -> None:
            nonlocal last
            seen[:] = [state.pages, state.kept]
            if state.position and state.position != last:
                self.store.save_scan(key, identity, state.position)
                last = dict(state.position)
            if on_scan is not None:
                on_scan(given, state, facts)

        options: dict[str, Any] = {"progress": report}
        if saved:
            options["resume"] = saved
        for got in extract_items(given, format=format, **options):
            page_key = key + got.key[len(given) :] if got.key.startswith(given) else got.key
            if got.error is not None:
                results.append(IngestResult(got.key, "error", error=got.error))
                if got.key == given:  # the dump itself failed: what was read before is kept
                    return Scan(given, seen[0], seen[1], facts, False, bool(saved))
                continue
            if self.store.source_sha256(page_key) == got.digest:
                results.append(IngestResult(got.key, "unchanged"))
                continue
            result = self._store(got, page_key, got.key, got.digest)
            facts += result.facts
            results.append(result)
        return Scan(given, seen[0], seen[1], facts, True, bool(saved))

    def _actor_rows(self, doc: Document) -> list[tuple[str, str, str]]:
        actors = {actor_key(a): a for f in doc.facts for a in (f.actor, f.target)}
        actors.update({actor_key(p): p for p in doc.parties})
        rows = []
        for key, actor in actors.items():
            if isinstance(actor, Named):
                rows.append((key, actor.name, "unresolved"))
            else:
                kind = (
                    "state"
                    if actor in iso3166.countries_by_alpha3 or actor in _FORMER_STATES
                    else "organisation"
                )
                rows.append((key, self.name(actor), kind))
        return rows

    # -- questions --

    def _pair(self, a: str, b: str) -> tuple[str, str]:
        ca, cb = self.resolve(a), self.resolve(b)
        if ca == cb:
            raise DyadError(f"'{a}' and '{b}' are both {ca}; name two different countries")
        return ca, cb

    def show(self, a: str, b: str, *, at: str | None = None) -> PairState:
        """What held between ``a`` and ``b`` on ``at`` (default today); see the module doc for the rule."""
        ca, cb = self._pair(a, b)
        when = parse_date(at) if at else date.today().isoformat()
        at_last = edtf_bounds(when)[1]  # type: ignore[index]
        entries = group_entries(self.store.pair_facts(ca, cb))
        sections: dict[str, tuple[Entry, ...]] = {}
        for section, type_ in SECTIONS:
            listed = []
            for entry in entries:
                if entry.type != type_:
                    continue
                status = _status(entry, at_last)
                if status is not None:
                    listed.append(_evolve(entry, entry.disputes, status))
            if type_ in POINT_TYPES:
                listed.sort(key=lambda e: _when_key(e.date), reverse=True)
                listed.sort(key=lambda e: e.date is None)  # undated after the latest dated
                listed = listed[:LATEST_EVENTS]
            else:
                listed.sort(
                    key=lambda e: (_direction(e, ca), e.status != "open", _when_key(e.start or e.date))
                )
            sections[section] = tuple(listed)
        names = self._names_for([ca, cb, *(a for e in entries for a in (e.actor, e.target))])
        return PairState(ca, cb, when, names, sections)

    def timeline(self, a: str, b: str) -> Timeline:
        """Every dated fact of the pair as start, end and date events in time order; undated apart."""
        ca, cb = self._pair(a, b)
        entries = group_entries(self.store.pair_facts(ca, cb))
        events: list[Event] = []
        undated: list[Entry] = []
        for entry in entries:
            moments = [
                (v, k) for v, k in ((entry.start, "start"), (entry.end, "end"), (entry.date, "date")) if v
            ]
            events.extend(Event(v, k, entry) for v, k in moments)
            if not moments:
                undated.append(entry)
        kind_order = {"end": 0, "start": 1, "date": 2}
        type_order = {t: i for i, t in enumerate(FACT_TYPES)}
        events.sort(
            key=lambda ev: (
                _when_key(ev.when),
                kind_order[ev.kind],
                type_order[ev.entry.type],
                _direction(ev.entry, ca),
            )
        )
        names = self._names_for([ca, cb, *(a for e in entries for a in (e.actor, e.target))])
        return Timeline(ca, cb, names, tuple(events), tuple(undated))

    def facts(
        self,
        a: str | None = None,
        b: str | None = None,
        *,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[StoredFact]:
        """Stored facts involving ``a`` (and ``b``), of a type, meeting [since, until], by source."""
        if b is not None and a is None:
            raise DyadError("give the first country before the second")
        if type is not None and type not in FACT_TYPES:
            raise DyadError(f"unknown fact type '{type}'; the types are {', '.join(FACT_TYPES)}")
        ca = self.resolve(a) if a is not None else None
        cb = self.resolve(b) if b is not None else None
        return self.store.facts(
            actor=ca,
            other=cb,
            type=type,
            since=parse_date(since) if since else None,
            until=parse_date(until) if until else None,
        )

    def pairs(self) -> list[PairCount]:
        """Every pair the knowledge base holds facts about, with counts."""
        return self.store.pairs()

    def sources(self) -> list[SourceRecord]:
        """Every source the knowledge base holds, with its fact count."""
        return self.store.sources()

    def source_text(self, source_id: int) -> str:
        """The text of the source with this id, as its reader produced it (evidence offsets point into it)."""
        found = self.store.source(int(source_id))
        if found is None:
            raise DyadError(f"no source with id {source_id}; 'dyad sources' lists the ids")
        return found.text or ""

    def source(self, path: str) -> SourceRecord:
        """One source with its text, by the path it was ingested from."""
        found = self.store.source(str(Path(path).resolve())) or self.store.source(path)
        if found is None:
            raise DyadError(f"{path}: not in the knowledge base; 'dyad sources' lists what it holds")
        return found


# -- grouping and time --


def _when_key(edtf: str | None) -> tuple[int, int]:
    """Chronological order; of two periods starting together the wider first ('200X' before '2000')."""
    bounds = edtf_bounds(edtf)
    return (bounds[0], -bounds[1]) if bounds else _END_OF_TIME


def _direction(entry: Entry, a: str) -> int:
    return 0 if actor_key(entry.actor) == a else 1


def _status(entry: Entry, at_last: int) -> str | None:
    """open, closed or event on the day ``at_last`` (yyyymmdd); None when the entry has not begun."""
    start, end, when = edtf_bounds(entry.start), edtf_bounds(entry.end), edtf_bounds(entry.date)
    if entry.start is None and entry.end is None and entry.date is not None:
        return "event" if when is None or when[0] <= at_last else None
    if entry.type in POINT_TYPES:
        return "event"
    begun = start or (when if entry.start is None else None)
    if begun and begun[0] > at_last:
        return None
    return "closed" if end and end[0] <= at_last else "open"


def _norm(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(sorted(str(v).casefold() for v in value))
    return str(value).casefold() if value is not None else None


def _identity(sf: StoredFact) -> tuple[Any, ...]:
    f = sf.fact
    actors = (actor_key(f.actor), actor_key(f.target))
    if f.type in SYMMETRIC_TYPES:
        actors = tuple(sorted(actors))
    return (f.type, *actors, *(_norm(f.attrs.get(k)) for k in KEY_ATTRS[f.type]))


def _overlap(x: str, y: str) -> bool:
    bx, by = edtf_bounds(x), edtf_bounds(y)
    if bx is None or by is None:
        return x == y
    return bx[0] <= by[1] and by[0] <= bx[1]


def _compatible(f: StoredFact, g: StoredFact) -> bool:
    a, b = f.fact, g.fact
    if a.start and b.start and not _overlap(a.start, b.start):
        return False
    if (a.end is None) != (b.end is None) or (a.end and b.end and not _overlap(a.end, b.end)):
        return False
    return not (a.date and b.date and not _overlap(a.date, b.date))


def _precise(values: Iterable[str | None]) -> str | None:
    """The narrowest of the given dates (the first among equals)."""
    best: tuple[int, str] | None = None
    for v in values:
        if v is None:
            continue
        bounds = edtf_bounds(v)
        width = bounds[1] - bounds[0] if bounds else 10**9
        if best is None or width < best[0]:
            best = (width, v)
    return best[1] if best else None


def group_entries(facts: Sequence[StoredFact]) -> list[Entry]:
    """Group facts into entries (claims that agree) and mark the claims that disagree."""
    groups: dict[tuple[Any, ...], list[StoredFact]] = {}
    for sf in facts:
        groups.setdefault(_identity(sf), []).append(sf)
    out: list[Entry] = []
    for group in groups.values():
        clusters = _clusters(group)
        entries = [_merge(c) for c in clusters]
        if group[0].fact.type not in POINT_TYPES and len(entries) > 1:
            source_sets = [{sf.source.id for sf in c} for c in clusters]
            entries = [
                _evolve(
                    e,
                    tuple(
                        Dispute(o.start, o.end, o.date, o.sources)
                        for j, o in enumerate(entries)
                        if j != i and not source_sets[i] & source_sets[j]
                    ),
                    e.status,
                )
                for i, e in enumerate(entries)
            ]
        out.extend(entries)
    return out


def _evolve(e: Entry, disputes: tuple[Dispute, ...], status: str | None) -> Entry:
    """``e`` with other disputes and status: dataclasses.replace, at a seventh of its cost (show makes
    one per entry it lists, on every request of the web API)."""
    return Entry(e.type, e.actor, e.target, e.attrs, e.start, e.end, e.date, e.facts, disputes, status)


def _clusters(group: list[StoredFact]) -> list[list[StoredFact]]:
    parent = list(range(len(group)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(group)):
        for j in range(i + 1, len(group)):
            if _compatible(group[i], group[j]):
                parent[root(j)] = root(i)
    clusters: dict[int, list[StoredFact]] = {}
    for i, sf in enumerate(group):
        clusters.setdefault(root(i), []).append(sf)
    return list(clusters.values())


def _merge(cluster: list[StoredFact]) -> Entry:
    first = max(cluster, key=lambda sf: sf.fact.confidence)
    attrs = dict(first.fact.attrs)
    for sf in cluster:
        for k, v in sf.fact.attrs.items():
            attrs.setdefault(k, v)
    return Entry(
        type=first.fact.type,
        actor=first.fact.actor,
        target=first.fact.target,
        attrs=attrs,
        start=_precise(sf.fact.start for sf in cluster),
        end=_precise(sf.fact.end for sf in cluster),
        date=_precise(sf.fact.date for sf in cluster),
        facts=tuple(cluster),
    )
