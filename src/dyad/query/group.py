"""Facts into entries: what several sources say alike is one entry; what they say differently, a dispute.

Pure functions over stored facts (:class:`~dyad.model.StoredFact`); nothing here reads a database.

**Same thing.** Two facts are about the same thing when they have the same type, the same actor and
target (either order for a symmetric type, :mod:`dyad.registry`), the same key attributes (a mission's
kind and city, a relation's status …) and the same polarity: a planned opening is not the opening.

**Compatible.** Two facts about the same thing are one *claim* when their times are compatible: starts
that overlap (at mixed precision: ``1946`` and ``1946-03-20`` overlap), ends that overlap or are both
absent, dates that overlap. Compatible facts make one :class:`Entry`, whose times are the **most
precise** its facts give; when two claims about one thing share no source, the sources disagree: both
entries are kept, each listing the other in ``disputes``.

**The same event in several stories** (:func:`same_event`). Stories date one event a few days apart
(time zones; "on Tuesday" read against the day each was filed): claims of an event (a type whose date
slot is ``date``) of which one at least comes from news are one claim when every report is dated to a
day and all of them lie within :data:`SAME_EVENT_DAYS` of each other, so one entry lists every story.
The window is over all the reports, so a chain of close days does not join a month of events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dyad.edtf import bounds
from dyad.model import Actor, SourceRecord, StoredFact, actor_key
from dyad.registry import TYPES

__all__ = [
    "SAME_EVENT_DAYS",
    "Dispute",
    "Entry",
    "compatible",
    "group_entries",
    "identity",
    "most_precise",
    "overlap",
    "same_event",
]

#: Reports of one event at most this many days apart (over all of them) are one event.
SAME_EVENT_DAYS = 3


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
    its source and evidence. ``status`` is set by the question asked of it (:mod:`dyad.query.show`).
    ``disputes`` lists what disagreeing sources say instead.
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
    polarity: str = "asserted"

    @property
    def sources(self) -> tuple[SourceRecord, ...]:
        return tuple({sf.source.id: sf.source for sf in self.facts}.values())

    @property
    def dated(self) -> bool:
        return bool(self.start or self.end or self.date)

    def with_status(self, status: str | None) -> Entry:
        """The entry with another status (dataclasses.replace, at a seventh of its cost: show makes one
        per entry it lists, on every request of the web API)."""
        return Entry(
            self.type, self.actor, self.target, self.attrs, self.start, self.end, self.date, self.facts,
            self.disputes, status, self.polarity,
        )  # fmt: skip


def _norm(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(sorted(str(v).casefold() for v in value))
    return str(value).casefold() if value is not None else None


def identity(sf: StoredFact) -> tuple[Any, ...]:
    """What a fact is about: type, actors (sorted when symmetric), key attributes, polarity."""
    f = sf.fact
    t = TYPES[f.type]
    actors: tuple[str, ...] = (actor_key(f.actor), actor_key(f.target))
    if t.is_symmetric(f.attrs):
        actors = tuple(sorted(actors))
    return (f.type, *actors, *(_norm(f.attrs.get(k)) for k in t.keys), f.polarity)


def overlap(x: str, y: str) -> bool:
    """Whether two dates can be the same time (their bounds meet); unreadable dates only if equal."""
    bx, by = bounds(x), bounds(y)
    if bx is None or by is None:
        return x == y
    return bx[0] <= by[1] and by[0] <= bx[1]


def compatible(f: StoredFact, g: StoredFact) -> bool:
    """Whether two facts about the same thing can be one claim: their times do not contradict, and
    their actions do not fill different date slots (an opening is not a closing, even undated)."""
    a, b = f.fact, g.fact
    t = TYPES[a.type]
    if t.action is not None:
        x, y = a.attrs.get(t.action), b.attrs.get(t.action)
        if x != y and t.slots.get(str(x), t.default_slot) != t.slots.get(str(y), t.default_slot):
            return False
    if a.start and b.start and not overlap(a.start, b.start):
        return False
    if (a.end is None) != (b.end is None) or (a.end and b.end and not overlap(a.end, b.end)):
        return False
    return not (a.date and b.date and not overlap(a.date, b.date))


def most_precise(values: Iterable[str | None]) -> str | None:
    """The narrowest of the given dates (the first among equals); None when none is given."""
    best: tuple[int, str] | None = None
    for v in values:
        if v is None:
            continue
        b = bounds(v)
        width = b[1] - b[0] if b else 10**9
        if best is None or width < best[0]:
            best = (width, v)
    return best[1] if best else None


def group_entries(facts: Sequence[StoredFact]) -> list[Entry]:
    """Group facts into entries (claims that agree) and mark the claims that disagree."""
    groups: dict[tuple[Any, ...], list[StoredFact]] = {}
    for sf in facts:
        groups.setdefault(identity(sf), []).append(sf)
    out: list[Entry] = []
    for group in groups.values():
        clusters = _clusters(group)
        entries = [_merge(c) for c in clusters]
        if TYPES[group[0].fact.type].default_slot != "date" and len(entries) > 1:
            source_sets = [{sf.source.id for sf in c} for c in clusters]
            entries = [
                Entry(
                    e.type,
                    e.actor,
                    e.target,
                    e.attrs,
                    e.start,
                    e.end,
                    e.date,
                    e.facts,
                    tuple(
                        Dispute(o.start, o.end, o.date, o.sources)
                        for j, o in enumerate(entries)
                        if j != i and not source_sets[i] & source_sets[j]
                    ),
                    e.status,
                    e.polarity,
                )  # fmt: skip
                for i, e in enumerate(entries)
            ]
        out.extend(entries)
    return out


def _clusters(group: list[StoredFact]) -> list[list[StoredFact]]:
    parent = list(range(len(group)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(group)):
        for j in range(i + 1, len(group)):
            if compatible(group[i], group[j]):
                parent[root(j)] = root(i)
    clusters: dict[int, list[StoredFact]] = {}
    for i, sf in enumerate(group):
        clusters.setdefault(root(i), []).append(sf)
    return _join_same_events(list(clusters.values()))


def same_event(reports: Sequence[StoredFact], days: int = SAME_EVENT_DAYS) -> bool:
    """Whether reports of one kind of event (same type, actors, key attributes and polarity: the caller
    groups by those) are one event: events all, one at least from a news story, every one dated to a
    day, all of them within ``days`` days (talks on Monday and again on Wednesday are taken for one)."""
    if not reports or TYPES[reports[0].fact.type].default_slot != "date":
        return False
    if not any(sf.source.format == "news" for sf in reports):
        return False
    days_of = [_day_of(sf) for sf in reports]
    known = [d for d in days_of if d is not None]
    if len(known) != len(days_of):
        return False  # only days are compared: coarser dates overlap or not as they are
    return (max(known) - min(known)).days <= days


def _day_of(sf: StoredFact) -> date | None:
    b = bounds(sf.fact.date or sf.fact.start)
    if b is None or b[0] != b[1]:
        return None
    return date(b[0] // 10000, b[0] // 100 % 100, b[0] % 100)


def _join_same_events(clusters: list[list[StoredFact]]) -> list[list[StoredFact]]:
    """Join the clusters that tell one event in several stories (:func:`same_event`), earliest first."""
    if len(clusters) < 2 or TYPES[clusters[0][0].fact.type].default_slot != "date":
        return clusters
    days = [[_day_of(sf) for sf in c] for c in clusters]
    dated = sorted(
        (c for c, d in zip(clusters, days, strict=True) if None not in d),
        key=lambda c: min(d for sf in c if (d := _day_of(sf))),
    )
    joined: list[list[StoredFact]] = []
    for cluster in dated:
        if joined and same_event(joined[-1] + cluster):
            joined[-1] = joined[-1] + cluster
        else:
            joined.append(cluster)
    return [c for c, d in zip(clusters, days, strict=True) if None in d] + joined


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
        start=most_precise(sf.fact.start for sf in cluster),
        end=most_precise(sf.fact.end for sf in cluster),
        date=most_precise(sf.fact.date for sf in cluster),
        facts=tuple(cluster),
        polarity=first.fact.polarity,
    )
