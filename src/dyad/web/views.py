"""What the pages and the JSON API show, computed from a knowledge base: lists, summaries, highlights.

Pure functions of a :class:`~dyad.kb.KnowledgeBase` (read-only) and their arguments; the routers cache
the costly ones through :meth:`dyad.web.pool.ReadPool.cached`. Nothing here knows about HTTP.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dyad import query
from dyad.errors import DyadError
from dyad.kb import KnowledgeBase
from dyad.model import Named, SourceRecord, StoredFact, actor_key
from dyad.query import NO, YES, Answers, Entry, PairState, Timeline
from dyad.store import pair_key

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
    "search_countries",
    "source_facts",
]

_RESIDENT = frozenset(
    {"embassy", "consulate-general", "consulate", "legation", "representative-office", "interests-section"}
)


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

#: The states of relations a country page colours the world by, in legend order, with their labels.
MAP_STATES: Mapping[str, str] = {
    "missions": "relations in force and a resident mission open",
    "relations": "relations in force",
    "none": "no relations (not yet, broken off, or not a state then)",
    "unknown": "relations not known on this date",
}


def relation_state(answers: Answers) -> str:
    """One word for a pair on a date (a key of :data:`MAP_STATES`), from the answers of state.md.

    A resident mission open (an embassy, a consulate …, not a non-resident one) with relations in
    force, or not known, gives ``missions``; otherwise the relations answer decides.
    """
    value = answers.relations.value
    resident = any(m.answer.value == YES and m.fields.get("kind") in _RESIDENT for m in answers.missions)
    if value != NO and resident:
        return "missions"
    return {YES: "relations", NO: "none"}.get(value, "unknown")


@dataclass(frozen=True, slots=True)
class Partner:
    """A partner of a country and the state of relations between them on a date."""

    code: str
    name: str
    state: str
    facts: int

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "state": self.state, "facts": self.facts}


@dataclass(frozen=True, slots=True)
class PairView:
    """What a pair page shows: the state on a date, the timeline, and every fact of the pair."""

    state: PairState
    timeline: Timeline
    facts: list[StoredFact]


def pair_view(kb: KnowledgeBase, a: str, b: str, at: str) -> PairView:
    """The state, timeline and facts of the pair (codes) ``a``, ``b``, from one read of its facts."""
    facts = kb.store.pair_facts(a, b)
    return PairView(kb.state_of(facts, a, b, at), kb.timeline_of(facts, a, b), facts)


def country_partners(kb: KnowledgeBase, code: str, at: str) -> list[Partner]:
    """Every resolved partner of ``code`` with the state of relations on ``at``, by name.

    One read of the country's facts; each pair's state is :func:`dyad.query.pair_state` of its share.
    """
    by_partner: dict[str, list[StoredFact]] = {}
    for sf in kb.facts(code):
        for actor in (sf.fact.actor, sf.fact.target):
            if not isinstance(actor, Named) and actor != code:
                by_partner.setdefault(actor, []).append(sf)
    out = []
    for partner, facts in by_partner.items():
        between = [
            sf for sf in facts if {actor_key(sf.fact.actor), actor_key(sf.fact.target)} == {code, partner}
        ]
        state = query.pair_state(between, code, partner, at)
        out.append(Partner(partner, kb.name(partner), relation_state(state.answers), len(facts)))
    out.sort(key=lambda p: _fold(p.name))
    return out


# -- sources --


def source_facts(kb: KnowledgeBase, source: SourceRecord) -> list[StoredFact]:
    """The facts a source states, in document order (one query by source)."""
    return kb.store.source_facts(source.id)


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
        assert sf.id is not None  # a stored fact has its id
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


def entry_sources(entry: Entry) -> list[tuple[SourceRecord, int | None]]:
    """The sources of an entry, each with the id of the first of its facts there (for citations)."""
    seen: dict[int, tuple[SourceRecord, int | None]] = {}
    for sf in entry.facts:
        seen.setdefault(sf.source.id, (sf.source, sf.id))
    return list(seen.values())
