"""The knowledge base as a Python API: ingest articles, then ask about any pair of countries.

    >>> kb = dyad.open()                      # DYAD_DB, else dyad.duckdb in the user's data directory
    >>> kb.ingest(["articles/"])              # IngestReport: per file added / replaced / unchanged / error
    >>> kb.show("Belgium", "SYR", at="2013")  # PairState: what held between the two on that date
    >>> kb.timeline("BEL", "Syrian")          # Timeline: every dated fact of the pair, in time order

Actor arguments take names, codes and adjectives ("Belgium", "BEL", "Belgian"); a name that resolves to
nothing raises :class:`~dyad.errors.UnknownActorError` with the closest known names. Dates take EDTF
("2013", "2013-05", "1946-03-20") or plain English ("20 March 1946").

The answers follow ``../shared/docs/state.md`` and live in :mod:`dyad.query`, which works on a list
of facts: the knowledge base fetches the facts of a pair (and, for sanctions that a party applies as a
member of an organisation, the organisation's) and calls it. Dates go through :mod:`dyad.edtf`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import platformdirs

from dyad import edtf, query
from dyad.errors import DyadError, UnknownActorError
from dyad.extract import extract_article
from dyad.ingest import IngestReport, IngestResult, Scan, actor_rows, ingest
from dyad.model import FACT_TYPES, Actor, Named, SourceRecord, StoredFact, actor_key
from dyad.pipeline import Extracted, Extractor
from dyad.query import SECTIONS, Dispute, Entry, Event, PairState, Timeline, group_entries
from dyad.query.pulse import PERIODS, Pulse, pulse
from dyad.registry import TYPES
from dyad.resolve.actors import Gazetteer
from dyad.resolve.dates import to_edtf
from dyad.settings import DB_ENV, DB_FILENAME
from dyad.store import PairCount, Store
from dyad.store_rows import gc_paused

__all__ = [
    "Scan",
    "KEY_ATTRS",
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
    "group_entries",
    "open",
    "parse_date",
]

#: The attributes that make two facts of a type statements of the same thing (with the type, actor and
#: target), from the registry.
KEY_ATTRS: Mapping[str, tuple[str, ...]] = {name: t.keys for name, t in TYPES.items()}

#: Types whose direction carries no meaning: relations of A with B are relations of B with A.
SYMMETRIC_TYPES = frozenset(name for name, t in TYPES.items() if t.symmetric is True)


def default_path() -> Path:
    """The knowledge base used when none is given: ``$DYAD_DB``, else dyad.duckdb in the user data dir."""
    env = os.environ.get(DB_ENV)
    return Path(env) if env else platformdirs.user_data_path("dyad") / DB_FILENAME


def open(  # noqa: A001
    path: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    extract: Extractor | None = None,
    wait: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> KnowledgeBase:
    """Open (creating it unless ``read_only``) the knowledge base at ``path`` or :func:`default_path`.

    ``extract`` is what ingest extracts facts with (default :func:`dyad.extract.extract_article`);
    ``wait`` and ``on_wait`` say how long to wait for another process that holds the file
    (:class:`dyad.store.Store`).
    """
    store = Store(Path(path) if path else default_path(), read_only=read_only, wait=wait, on_wait=on_wait)
    return KnowledgeBase(store, extract=extract)


def parse_date(text: str) -> str:
    """The EDTF of a date given as EDTF ("2013-05") or in plain English ("20 March 1946")."""
    s = text.strip()
    if edtf.is_edtf(s):
        return s
    found = to_edtf(s)
    if found and edtf.is_edtf(found):
        return found
    raise DyadError(
        f"cannot read the date '{text}'; give a year (2013), a month (2013-05) or a day (20 March 1946)"
    )


# -- the knowledge base --


class KnowledgeBase:
    """A knowledge base of facts about pairs of countries, on top of a :class:`~dyad.store.Store`.

    ``gazetteer`` resolves actor names (default: :meth:`dyad.resolve.actors.Gazetteer.default`);
    ``extract`` turns a read article into its facts for :meth:`ingest` (default:
    :func:`dyad.extract.extract_article`).
    """

    def __init__(self, store: Store, *, gazetteer: Any = None, extract: Extractor | None = None) -> None:
        self.store = store
        self._gazetteer = gazetteer
        self.extract: Extractor = extract or extract_article
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
            self._gazetteer = Gazetteer.default()
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
        except (KeyError, LookupError, ValueError, UnknownActorError):
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
        on_scan: Callable[[str, Any, int], None] | None = None,
    ) -> IngestReport:
        """Extract and store every article under ``paths`` (see :mod:`dyad.ingest`).

        Each file is read once, and only a regular file; sources are written in batches, one transaction
        each, so every source is always fully old or fully new. A source is identified by its content
        (sha256): a text already stored, from this path or another (``path#Title`` for a page of a dump),
        is ``unchanged`` and the path is remembered as one of its paths; a changed file has its facts
        replaced (or, when another path still holds the old text, becomes a source of its own). A file
        that cannot be read is reported in the result and the others go on. ``format`` forces a reader
        (see :mod:`dyad.read.formats`); by default each file's format is detected. ``progress``, when
        given, is called once as ``progress(total=n)`` and must return an object with ``update(1)`` and
        ``close()`` (``tqdm.tqdm`` fits).

        A dump is scanned once, keeping its bilateral-relations pages; ``on_scan(path, progress, facts)``
        is called as it goes (:class:`dyad.read.dump.Progress`). The scan's position is saved with the
        pages read before it, so ingesting the same dump again resumes where an interrupted scan
        stopped, and does nothing once a scan has read the whole file.

        When the knowledge base cannot be written (a full disk), the run stops and the report says so
        (``stopped``); Ctrl-C raises :class:`dyad.ingest.IngestInterrupted` with the report so far.
        """
        try:
            return ingest(
                self, [str(p) for p in paths], extract=self.extract, format=format, progress=progress,
                on_scan=on_scan,
            )  # fmt: skip
        finally:
            self._names = None  # the names of actors the sources added are read again when next asked

    def add_extracted(self, got: Extracted, path: str) -> IngestResult:
        """Store one item that :func:`dyad.pipeline.extract_items` read elsewhere (the web app extracts
        uploads apart from its writes) as the source read from ``path``, in one transaction.

        ``unchanged`` when its text is stored already (the path is remembered), ``error`` when the item
        is one; otherwise as :meth:`ingest` stores a file.
        """
        if got.error is not None or got.document is None:
            return IngestResult(path, "error", error=got.error)
        try:
            if self.store.link_path(got.digest, path):
                return IngestResult(path, "unchanged")
            doc = replace(got.document, source=replace(got.document.source, path=path, sha256=got.digest))
            status = self.store.replace_document(doc, got.text, actors=actor_rows(self, doc))
            return IngestResult(path, status, len(doc.facts))
        finally:
            self._names = None

    # -- questions --

    def _pair(self, a: str, b: str) -> tuple[str, str]:
        ca, cb = self.resolve(a), self.resolve(b)
        if ca == cb:
            raise DyadError(f"'{a}' and '{b}' are both {ca}; name two different countries")
        return ca, cb

    def show(self, a: str, b: str, *, at: str | None = None) -> PairState:
        """What held between ``a`` and ``b`` on ``at`` (default today): :func:`dyad.query.pair_state`."""
        ca, cb = self._pair(a, b)
        when = parse_date(at) if at else edtf.today()
        # Thousands of short-lived acyclic objects (facts read, entries, answers): the cyclic collector
        # would scan the heap again and again for them, a fifth of the time of a pair on the web.
        with gc_paused():
            return self.state_of(self.store.pair_facts(ca, cb), ca, cb, when)

    def state_of(self, facts: Sequence[StoredFact], ca: str, cb: str, when: str) -> PairState:
        """The state of the pair (codes) on ``when`` (EDTF) from its facts, already fetched."""
        context = self._context(ca, cb, facts)
        read = () if facts else self._read(ca, cb)
        state = query.pair_state([*facts, *context], ca, cb, when, read=read)
        named = [*facts, *(sf for sf in context if sf.fact.type == "sanctions")]
        names = self._names_for([ca, cb, *(x for sf in named for x in (sf.fact.actor, sf.fact.target))])
        return replace(state, names=names)

    def _context(self, a: str, b: str, facts: Sequence[StoredFact]) -> list[StoredFact]:
        """The facts beyond the pair's own that its state depends on: for each organisation whose
        sanctions a party applies (``via``), the organisation's sanctions on either party and the
        parties' memberships of it. Two indexed lookups per organisation, none without one: a pair's
        state stays one read of the pair's own row in most cases."""
        pair = {a, b}
        orgs = {
            str(sf.fact.attrs["via"])
            for sf in facts
            if sf.fact.type == "sanctions" and sf.fact.attrs.get("via")
        }
        found: dict[tuple[Any, ...], StoredFact] = {}
        for org in orgs - pair:
            for party in (a, b):
                for sf in self.store.pair_facts(org, party):
                    if _context_fact(sf, pair):
                        found[(sf.id, sf.source.id)] = sf
        return list(found.values())

    def _read(self, a: str, b: str) -> tuple[SourceRecord, ...]:
        """The sources whose parties are the pair (codes): read about it, whatever they yielded."""
        return tuple(self.store.sources_about(a, b))

    def sources_about(self, a: str, b: str) -> tuple[SourceRecord, ...]:
        """The sources read about the pair (names, codes or adjectives), whatever facts they yielded."""
        return self._read(*self._pair(a, b))

    def timeline(self, a: str, b: str) -> Timeline:
        """Every dated fact of the pair as start, end and date events in time order; undated apart."""
        ca, cb = self._pair(a, b)
        with gc_paused():
            return self.timeline_of(self.store.pair_facts(ca, cb), ca, cb)

    def timeline_of(self, facts: Sequence[StoredFact], ca: str, cb: str) -> Timeline:
        """The timeline of the pair (codes) from its facts, already fetched."""
        read = () if facts else self._read(ca, cb)
        names = self._names_for([ca, cb, *(x for sf in facts for x in (sf.fact.actor, sf.fact.target))])
        return query.timeline(facts, ca, cb, names=names, read=read)

    def pulse(self, a: str, b: str, *, by: str = "month") -> Pulse:
        """The pair's events counted by ``by`` (month, quarter, year): :func:`dyad.query.pulse.pulse`."""
        if by not in PERIODS:
            raise DyadError(f"unknown period '{by}'; count by {', '.join(PERIODS)}")
        ca, cb = self._pair(a, b)
        entries = group_entries(self.store.pair_facts(ca, cb))
        return pulse(entries, ca, cb, by=by, names=self._names_for([ca, cb]))

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
        return self.store.facts(**self.facts_filters(a, b, type, since, until))

    def iter_facts(
        self,
        a: str | None = None,
        b: str | None = None,
        *,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Iterator[StoredFact]:
        """The facts :meth:`facts` selects, read a page at a time in the order they were stored (source
        by source): for exports of any size (:meth:`dyad.store.Store.iter_facts`). The names and dates
        are checked before the first fact is read."""
        return self.store.iter_facts(**self.facts_filters(a, b, type, since, until))

    def facts_filters(
        self, a: str | None, b: str | None, type: str | None, since: str | None, until: str | None
    ) -> dict[str, Any]:
        """The store's filters for :meth:`facts` (names resolved, dates parsed); DyadError when one is
        wrong."""
        if b is not None and a is None:
            raise DyadError("give the first country before the second")
        if type is not None and type not in FACT_TYPES:
            raise DyadError(f"unknown fact type '{type}'; the types are {', '.join(FACT_TYPES)}")
        return {
            "actor": self.resolve(a) if a is not None else None,
            "other": self.resolve(b) if b is not None else None,
            "type": type,
            "since": parse_date(since) if since else None,
            "until": parse_date(until) if until else None,
        }

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

    def source(self, ref: str | int) -> SourceRecord:
        """One source with its text, by its id or by any path it was ingested from."""
        found = None
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            found = self.store.source(int(ref))
        if found is None and isinstance(ref, str):
            found = self.store.source(str(Path(ref).resolve())) or self.store.source(ref)
        if found is None:
            raise DyadError(f"{ref}: not in the knowledge base; 'dyad sources' lists what it holds")
        return found

    def remove(self, ref: str | int) -> tuple[SourceRecord, int]:
        """Delete a source (by id or any of its paths) and all its facts, in one transaction.

        Returns the source and how many facts went with it; DyadError when there is no such source.
        """
        source = self.source(ref)
        removed = self.store.remove_source(source.id)
        if removed is None:  # removed by someone else in between
            raise DyadError(f"{ref}: not in the knowledge base; 'dyad sources' lists what it holds")
        self._names = None
        return removed


def _context_fact(sf: StoredFact, pair: set[str]) -> bool:
    """A membership of a party, or sanctions on a party by someone outside the pair."""
    f = sf.fact
    if f.type == "membership":
        return actor_key(f.actor) in pair
    return f.type == "sanctions" and actor_key(f.target) in pair and actor_key(f.actor) not in pair
