"""The data model: what a source says about a pair of countries, in the shape of facts.md.

Every object is a frozen dataclass. A :class:`Fact` cannot be built without evidence, and an
:class:`Evidence` knows the exact span of source text it quotes. ``to_json`` gives the facts.md shape;
``from_json`` reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The fact types of facts.md, each with the attribute names it may carry.
FACT_TYPES: Mapping[str, tuple[str, ...]] = {
    "relations": ("status",),
    "mission": ("kind", "city", "accredited_from"),
    "envoy": ("person", "rank", "residence"),
    "trade": ("goods", "hs_sections", "trend", "value", "currency"),
    "sanctions": ("scope", "via"),
    "aid": ("kind", "channels"),
    "migration": ("kind", "count"),
    "statement": ("stance", "subject"),
    "agreement": ("name", "kind"),
    "visit": ("person", "office"),
    "membership": (),
    "security": ("kind",),
}

#: Types whose time is a point (``date``) rather than a period (``start``/``end``).
POINT_TYPES = frozenset({"statement", "visit"})


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
    """A span of the source text that supports a fact; ``quote == text[start:end]``."""

    section: str
    start: int
    end: int
    quote: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end or self.end - self.start != len(self.quote):
            raise ValueError(f"evidence span {self.start}:{self.end} does not fit its quote {self.quote!r}")

    def to_json(self) -> dict[str, Any]:
        return {"section": self.section, "start": self.start, "end": self.end, "quote": self.quote}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Evidence:
        return cls(d.get("section") or "", int(d["start"]), int(d["end"]), d["quote"])


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement of a source about two actors, with the evidence for it.

    ``rule`` names the extraction rule that made the fact (``"mission.infobox@1"``); it is kept for
    tracing and is not part of the facts.md JSON unless asked for.
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

    def __post_init__(self) -> None:
        if self.type not in FACT_TYPES:
            raise ValueError(f"unknown fact type {self.type!r}; facts.md lists {', '.join(FACT_TYPES)}")
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
        }
        if self.type in POINT_TYPES or self.date is not None:
            d["date"] = self.date
        if self.type not in POINT_TYPES:
            d["start"] = self.start
            d["end"] = self.end
        d["evidence"] = [e.to_json() for e in self.evidence]
        d["confidence"] = round(self.confidence, 3)
        if trace:
            d["rule"] = self.rule
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Fact:
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
        )


@dataclass(frozen=True, slots=True)
class Source:
    """Where a document came from."""

    path: str
    title: str
    format: str
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "title": self.title, "format": self.format, "sha256": self.sha256}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Source:
        return cls(d.get("path", ""), d.get("title", ""), d.get("format", "article"), d.get("sha256", ""))


@dataclass(frozen=True, slots=True)
class Document:
    """What one source says: the two parties it is about, its facts, and the titles it links to."""

    source: Source
    parties: tuple[Actor, Actor]
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
        a, b = (actor_from_json(p) for p in d["parties"])
        return cls(
            source=Source.from_json(d["source"]),
            parties=(a, b),
            facts=tuple(Fact.from_json(f) for f in d.get("facts") or ()),
            links=tuple(d.get("links") or ()),
        )
