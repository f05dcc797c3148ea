"""The data model: what a source says about a pair of countries, in the shape of facts.md.

Every object is a frozen dataclass. A :class:`Fact` cannot be built without evidence, and an
:class:`Evidence` knows the exact span of source text it quotes. ``to_json`` gives the facts.md shape;
``from_json`` reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .registry import TYPES, check_fact

#: The fact types of facts.md, each with the attribute names it may carry (from the registry).
FACT_TYPES: Mapping[str, tuple[str, ...]] = {name: t.attr_names for name, t in TYPES.items()}

#: Types whose time is a point (``date``) rather than a period (``start``/``end``).
POINT_TYPES = frozenset(name for name, t in TYPES.items() if t.default_slot == "date")


@dataclass(frozen=True, slots=True)
class Named:
    """An actor that could not be resolved to a code: kept by name, never guessed."""

    name: str


Actor = str | Named


def actor_json(actor: Actor) -> str | dict[str, str]:
    return {"name": actor.name} if isinstance(actor, Named) else actor


def actor_from_json(value: Any) -> Actor:
    return Named(value["name"]) if isinstance(value, dict) else str(value)


def actor_key(actor: Actor) -> str:
    """A string for sorting and grouping: the code, or ``*name`` for an unresolved actor."""
    return "*" + actor.name if isinstance(actor, Named) else actor


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the source text that supports a fact; ``quote == text[start:end]``.

    ``ref`` is the source's own citation for the words, when it gives one (a Wikipedia ``<ref>``):
    ``{"url", "title", "publisher", "date"}``, each possibly None. Its date is the citation's, never
    the fact's.
    """

    section: str
    start: int
    end: int
    quote: str
    ref: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end or self.end - self.start != len(self.quote):
            raise ValueError(f"evidence span {self.start}:{self.end} does not fit its quote {self.quote!r}")

    def __hash__(self) -> int:
        return hash((self.section, self.start, self.end))

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
        }
        if self.ref:
            d["ref"] = dict(self.ref)
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Evidence:
        ref = d.get("ref")
        return cls(
            d.get("section") or "", int(d["start"]), int(d["end"]), d["quote"], dict(ref) if ref else None
        )


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement of a source about two actors, with the evidence for it.

    ``polarity`` says how the source states it (facts.md: asserted, negated, planned, claimed); only
    asserted facts change the state of relations. ``cameo`` and ``goldstein`` code an event (see
    :func:`dyad.registry.cameo_of`). ``rule`` names the extraction rule that made the fact
    (``"mission.infobox@1"``); it is kept for tracing and is not part of the facts.md JSON unless asked
    for. The type, attributes and polarity are checked against :mod:`dyad.registry` when built.
    """

    type: str
    actor: Actor
    target: Actor
    attrs: Mapping[str, Any]
    evidence: tuple[Evidence, ...]
    start: str | None = None
    end: str | None = None
    date: str | None = None
    confidence: float = 0.5
    rule: str = ""
    polarity: str = "asserted"
    cameo: str | None = None
    goldstein: float | None = None

    def __post_init__(self) -> None:
        problems = check_fact(self.type, self.attrs, self.polarity)
        if problems:
            raise ValueError("; ".join(problems))
        if not self.evidence:
            raise ValueError(f"a {self.type} fact needs at least one piece of evidence")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is outside 0..1")

    def to_json(self, *, trace: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "type": self.type,
            "actor": actor_json(self.actor),
            "target": actor_json(self.target),
            "attrs": dict(self.attrs),
            "start": self.start,
            "end": self.end,
            "date": self.date,
            "polarity": self.polarity,
        }
        if self.cameo is not None:
            d["cameo"] = self.cameo
            d["goldstein"] = self.goldstein
        d["evidence"] = [e.to_json() for e in self.evidence]
        d["confidence"] = round(self.confidence, 3)
        if trace:
            d["rule"] = self.rule
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Fact:
        goldstein = d.get("goldstein")
        return cls(
            type=d["type"],
            actor=actor_from_json(d["actor"]),
            target=actor_from_json(d["target"]),
            attrs=dict(d.get("attrs") or {}),
            evidence=tuple(Evidence.from_json(e) for e in d.get("evidence") or ()),
            start=d.get("start"),
            end=d.get("end"),
            date=d.get("date"),
            confidence=float(d.get("confidence", 0.5)),
            rule=d.get("rule", ""),
            polarity=d.get("polarity") or "asserted",
            cameo=d.get("cameo"),
            goldstein=float(goldstein) if goldstein is not None else None,
        )


#: What a reader can have read (facts.md ``source.format``).
FORMATS = ("article", "wikitext", "page", "news", "dataset")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a document came from.

    ``published`` is the date the source speaks from (EDTF: a story's date, a page's last edit), the
    "now" of its present tense; ``url`` and ``publisher`` say where it was published. ``references``
    are the citations the source itself lists (``{"url", "title", "publisher", "date"}``).
    """

    path: str
    title: str
    format: str
    sha256: str
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    references: tuple[Mapping[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "title": self.title,
            "format": self.format,
            "sha256": self.sha256,
            "url": self.url,
            "published": self.published,
            "publisher": self.publisher,
        }
        if self.references:
            d["references"] = [dict(r) for r in self.references]
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Source:
        return cls(
            d.get("path", ""),
            d.get("title", ""),
            d.get("format", "article"),
            d.get("sha256", ""),
            d.get("url"),
            d.get("published"),
            d.get("publisher"),
            tuple(dict(r) for r in d.get("references") or ()),
        )


@dataclass(frozen=True, slots=True)
class Document:
    """What one source says: the two parties it is about, its facts, and the titles it links to."""

    source: Source
    parties: tuple[Actor, ...]  # the two states, or () for a story about no one pair
    facts: tuple[Fact, ...] = ()
    links: tuple[str, ...] = field(default=())

    def to_json(self, *, trace: bool = False) -> dict[str, Any]:
        return {
            "source": self.source.to_json(),
            "parties": [actor_json(p) for p in self.parties],
            "facts": [f.to_json(trace=trace) for f in self.facts],
            "links": list(self.links),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Document:
        return cls(
            source=Source.from_json(d["source"]),
            parties=tuple(actor_from_json(p) for p in d.get("parties") or ()),
            facts=tuple(Fact.from_json(f) for f in d.get("facts") or ()),
            links=tuple(d.get("links") or ()),
        )


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A stored source: where a document came from, when it was ingested, and (when asked) its text."""

    id: int
    path: str
    title: str
    format: str
    sha256: str
    parties: tuple[Actor, ...]
    links: tuple[str, ...]
    ingested_at: datetime
    facts: int = 0
    text: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    references: tuple[dict[str, Any], ...] = ()
    paths: tuple[str, ...] = ()

    def to_source(self) -> Source:
        return Source(
            self.path, self.title, self.format, self.sha256, self.url, self.published, self.publisher,
            self.references,
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return {
            **self.to_source().to_json(),
            "parties": [actor_json(p) for p in self.parties],
            "links": list(self.links),
            "ingested_at": self.ingested_at.isoformat(timespec="seconds"),
            "facts": self.facts,
            "paths": list(self.paths or (self.path,)),
        }


@dataclass(frozen=True, slots=True)
class StoredFact:
    """A fact as a knowledge base holds it: the fact, its id, and the source that states it.

    ``id`` is the store's id of the fact, or None for a fact that is not stored (read from a document).
    """

    id: int | None
    fact: Fact
    source: SourceRecord

    def to_json(self) -> dict[str, Any]:
        """The facts.md shape of the fact, with ``source`` (path and title) added."""
        return {**self.fact.to_json(), "source": {"path": self.source.path, "title": self.source.title}}
