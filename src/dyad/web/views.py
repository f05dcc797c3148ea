"""What the pages and the JSON API show, computed from a knowledge base: lists, summaries, highlights.

Pure functions of a :class:`~dyad.kb.KnowledgeBase` (read-only) and their arguments; the routers cache
the costly ones through :meth:`dyad.web.pool.ReadPool.cached`. Nothing here knows about HTTP.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dyad.errors import DyadError
from dyad.kb import Entry, KnowledgeBase, PairState, Timeline
from dyad.model import Named, actor_key
from dyad.store import SourceRecord, StoredFact, edtf_bounds, pair_key

__all__ = [
    "MAP_STATES",
    "Country",
    "Pair",
    "PairView",
    "Partner",
    "Segment",
    "countries",
    "country_partners",
    "highlight",
    "pair_list",
    "pair_view",
    "relation_state",
    "over",
    "search_countries",
    "source_facts",
]

#: The states of relations a country page colours the world by, in legend order, with their labels.
MAP_STATES: Mapping[str, str] = {
    "missions": "diplomatic relations and a resident mission",
    "relations": "diplomatic relations",
    "severed": "relations severed, suspended or ended",
    "facts": "other facts only",
}

_RESIDENT = frozenset(
    {"embassy", "consulate-general", "consulate", "legation", "representative-office", "interests-section"}
)
_BROKEN = frozenset({"severed", "suspended", "none"})


# -- countries --


@dataclass(frozen=True, slots=True)
class Country:
    """A state or organisation one can ask about: its code, names, kind and how many pairs it is in."""

    code: str
    name: str
    adjective: str | None
    kind: str
    pairs: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "adjective": self.adjective,
            "kind": self.kind,
            "pairs": self.pairs,
        }


def countries(kb: KnowledgeBase) -> list[Country]:
    """Every state the gazetteer knows and every resolved actor of the knowledge base, by name."""
    gaz = kb.gazetteer
    per_actor: dict[str, int] = {}
    for p in kb.pairs():
        for actor in (p.a, p.b):
            per_actor[actor_key(actor)] = per_actor.get(actor_key(actor), 0) + 1
    kinds = {code: kind for code, (_, kind) in kb.store.actors().items()}
    codes = dict.fromkeys(gaz.codes())
    codes.update(dict.fromkeys(c for c, k in kinds.items() if k != "unresolved"))
    out = []
    for code in codes:
        try:
            kind, adjective = gaz.kind(code), gaz.adjective(code)
        except DyadError:  # an organisation only the knowledge base knows
            kind, adjective = kinds.get(code, "organisation"), None
        out.append(Country(code, kb.name(code), adjective, kind, per_actor.get(code, 0)))
    out.sort(key=lambda c: _fold(c.name))
    return out


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_countries(found: Sequence[Country], q: str, limit: int) -> list[Country]:
    """The countries a type-ahead shows for ``q``: by code, then name, adjective and word prefixes.

    Within a rank, countries in more pairs come first; an empty ``q`` lists the ones in most pairs.
    """
    key = _fold(q.strip())
    if not key:
        return sorted(found, key=lambda c: -c.pairs)[:limit]
    ranked: list[tuple[int, int, str, Country]] = []
    for c in found:
        name, adjective = _fold(c.name), _fold(c.adjective or "")
        if c.code.casefold() == key:
            rank = 0
        elif name.startswith(key):
            rank = 1
        elif adjective.startswith(key):
            rank = 2
        elif any(w.startswith(key) for w in name.replace("-", " ").split()[1:]):
            rank = 3
        elif c.code.casefold().startswith(key):
            rank = 4
        elif len(key) > 2 and key in name:
            rank = 5
        else:
            continue
        ranked.append((rank, -c.pairs, name, c))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked[:limit]]


# -- pairs --


@dataclass(frozen=True, slots=True)
class Pair:
    """A pair the knowledge base holds facts about, with its names and when a source of it came in."""

    a: str
    b: str
    names: tuple[str, str]
    facts: int
    sources: int
    ingested_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "a": _actor_json(self.a),
            "b": _actor_json(self.b),
            "names": list(self.names),
            "facts": self.facts,
            "sources": self.sources,
            "ingested_at": self.ingested_at.isoformat(timespec="seconds") if self.ingested_at else None,
        }

    @property
    def resolved(self) -> bool:
        return not (self.a.startswith("*") or self.b.startswith("*"))


def _actor_json(key: str) -> str | dict[str, str]:
    return {"name": key[1:]} if key.startswith("*") else key


def pair_list(kb: KnowledgeBase) -> list[Pair]:
    """Every pair, by pair key, each with the latest ingest time of a source whose parties it is."""
    latest: dict[str, datetime] = {}
    for s in kb.sources():
        if len(s.parties) == 2:
            key = pair_key(*s.parties)
            if key not in latest or latest[key] < s.ingested_at:
                latest[key] = s.ingested_at
    out = []
    for p in kb.pairs():
        a, b = actor_key(p.a), actor_key(p.b)
        out.append(Pair(a, b, (kb.name(p.a), kb.name(p.b)), p.facts, p.sources, latest.get(f"{a}|{b}")))
    return out


PAIR_SORTS: Mapping[str, Any] = {
    "pair": lambda p: (p.a, p.b),
    "facts": lambda p: (-p.facts, p.a, p.b),
    "sources": lambda p: (-p.sources, -p.facts, p.a, p.b),
    "recent": lambda p: (-(p.ingested_at.timestamp() if p.ingested_at else 0), -p.facts, p.a, p.b),
}


# -- the state of relations, for maps --


def relation_state(state: PairState) -> str | None:
    """One word for a pair on a date (a key of :data:`MAP_STATES`), None when nothing is known.

    The relations entries in force decide: the one that began last, when it says severed, suspended
    or none, gives ``severed``; relations that have all ended give ``severed`` too. With relations (or
    no word on them) a resident mission open either way gives ``missions``.
    """
    if state.empty:
        return None
    relations = state.sections.get("relations", ())
    open_ = [e for e in relations if e.status == "open"]
    latest = max(open_, key=lambda e: _day(e.start), default=None)
    if latest is not None and latest.attrs.get("status") in _BROKEN:
        return "severed"
    if relations and latest is None:
        return "severed"
    missions = any(
        e.status == "open" and e.attrs.get("kind") in _RESIDENT for e in state.sections.get("missions", ())
    )
    if missions:
        return "missions"
    return "relations" if latest is not None else "facts"


def _day(edtf: str | None) -> int:
    bounds = edtf_bounds(edtf)
    return bounds[0] if bounds else 0


@dataclass(frozen=True, slots=True)
class Partner:
    """A partner of a country and the state of relations between them on a date."""

    code: str
    name: str
    state: str
    facts: int

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "state": self.state, "facts": self.facts}


class _Prefetched:
    """The part of a Store that :meth:`KnowledgeBase.show` reads, answered from facts already fetched.

    A country page asks for the state of every pair of one country; one query for all of its facts and
    a show per pair on top of them costs a fraction of a query per pair.
    """

    def __init__(self, facts: Iterable[StoredFact], names: Mapping[str, str]) -> None:
        self._by_pair: dict[str, list[StoredFact]] = {}
        for sf in facts:
            self._by_pair.setdefault(pair_key(sf.fact.actor, sf.fact.target), []).append(sf)
        self._actors = {code: (name, "") for code, name in names.items()}

    def pair_facts(self, a: Any, b: Any) -> list[StoredFact]:
        return self._by_pair.get(pair_key(a, b), [])

    def facts(
        self,
        *,
        actor: Any = None,
        other: Any = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[StoredFact]:
        if since is not None or until is not None:
            raise NotImplementedError("prefetched facts are not filtered by date")
        if actor is not None and other is not None:
            found = self.pair_facts(actor, other)
        else:
            every = [sf for group in self._by_pair.values() for sf in group]
            key = actor_key(actor) if actor is not None else None
            found = [
                sf
                for sf in every
                if key is None or key in (actor_key(sf.fact.actor), actor_key(sf.fact.target))
            ]
        found = [sf for sf in found if type is None or sf.fact.type == type]
        return sorted(found, key=lambda sf: (sf.source.path, sf.id))

    def actors(self) -> dict[str, tuple[str, str]]:
        return self._actors

    def close(self) -> None:
        pass


def over(facts: list[StoredFact], kb: KnowledgeBase) -> KnowledgeBase:
    """A knowledge base that answers show, timeline and facts from ``facts``, with the names of ``kb``."""
    return KnowledgeBase(_Prefetched(facts, kb.names()), gazetteer=kb.gazetteer)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class PairView:
    """What a pair page shows: the state on a date, the timeline, and every fact of the pair."""

    state: PairState
    timeline: Timeline
    facts: list[StoredFact]


def pair_view(kb: KnowledgeBase, a: str, b: str, at: str) -> PairView:
    """The state, timeline and facts of the pair (codes) ``a``, ``b``, from one read of its facts."""
    facts = kb.store.pair_facts(a, b)
    local = over(facts, kb)
    return PairView(local.show(a, b, at=at), local.timeline(a, b), facts)


def country_partners(kb: KnowledgeBase, code: str, at: str | None) -> list[Partner]:
    """Every resolved partner of ``code`` with the state of relations on ``at``, by name."""
    facts = kb.facts(code)
    counts: dict[str, int] = {}
    for sf in facts:
        for actor in (sf.fact.actor, sf.fact.target):
            if not isinstance(actor, Named) and actor != code:
                counts[actor] = counts.get(actor, 0) + 1
    local = over(facts, kb)
    out = []
    for partner, n in counts.items():
        try:
            state = relation_state(local.show(code, partner, at=at))
        except DyadError:  # a partner code the gazetteer cannot resolve back
            continue
        out.append(Partner(partner, kb.name(partner), state or "facts", n))
    out.sort(key=lambda p: _fold(p.name))
    return out


# -- sources --


def source_facts(kb: KnowledgeBase, source: SourceRecord, *, scan: bool = True) -> list[StoredFact]:
    """The facts a source states, in document order.

    Asked of the store by source when it can (``Store.source_facts``); otherwise found through the
    source's parties, which reads every fact of both (skipped, returning [], when ``scan`` is false),
    and a fact that names neither party (rare: "the EU and the UN agreed …" in an article about two
    states) is not listed.
    """
    by_id = getattr(kb.store, "source_facts", None)
    if by_id is not None:
        return list(by_id(source.id))
    if not scan:
        return []
    found: dict[int, StoredFact] = {}
    for party in dict.fromkeys(source.parties):
        if isinstance(party, Named):
            continue
        for sf in kb.store.facts(actor=party):
            if sf.source.id == source.id:
                found[sf.id] = sf
    return sorted(found.values(), key=lambda sf: sf.id)


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of source text: the evidence covering all of it (fact id, evidence index), and the pieces
    of evidence that start here."""

    text: str
    covered: tuple[tuple[int, int], ...]
    starts: tuple[tuple[int, int], ...]


def highlight(text: str, facts: Sequence[StoredFact]) -> list[Segment]:
    """Cut ``text`` where evidence begins and ends, so each run is covered by one set of evidence.

    Evidence whose quote no longer matches the text is left out.
    """
    spans: list[tuple[int, int, tuple[int, int]]] = []
    for sf in facts:
        for i, ev in enumerate(sf.fact.evidence):
            if 0 <= ev.start < ev.end <= len(text) and text[ev.start : ev.end] == ev.quote:
                spans.append((ev.start, ev.end, (sf.id, i)))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    starts: dict[int, list[tuple[int, int]]] = {}
    for s, _, ref in spans:
        starts.setdefault(s, []).append(ref)
    out = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        covered = tuple(ref for s, e, ref in spans if s <= lo and hi <= e)
        out.append(Segment(text[lo:hi], covered, tuple(starts.get(lo, ()))))
    return out


def entry_sources(entry: Entry) -> list[tuple[SourceRecord, int]]:
    """The sources of an entry, each with the id of the first of its facts there (for citations)."""
    seen: dict[int, tuple[SourceRecord, int]] = {}
    for sf in entry.facts:
        seen.setdefault(sf.source.id, (sf.source, sf.id))
    return list(seen.values())
