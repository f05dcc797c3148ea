"""What is known of one thing over time, and the answer it gives on a date: yes, no or unknown.

A :class:`History` is the ordered list of the :class:`Change` moments the sources date for one thing
(the relations of a pair, one mission, one sanctions regime), and the answer that holds before the
first of them. Its answer on a date is that of the last change that has happened by then, compared at
mixed precision (:func:`dyad.edtf.happened_by`): a change dated ``2012`` has happened by ``2012`` and
by ``2012-06``. Before the first change the answer is ``no`` when that change is a first opening (an
establishment, an opening, an imposition: before it the thing did not exist) and ``unknown`` otherwise
(a severance says relations held before it, but not since when).

A change may *fade*: an appointment with no known successor holds during its own period and is
``unknown`` after it (state.md: "X's end is unknown, not still in post").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dyad.edtf import bounds
from dyad.query.group import Entry

__all__ = ["NO", "UNKNOWN", "YES", "Answer", "Change", "History", "observed_day", "rests_on", "unique"]

YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(frozen=True, slots=True)
class Change:
    """A moment when a thing became ``value`` (yes or no), with the entries that say so.

    ``day`` is the first day it can have happened; ``when`` the date as the sources give it (for a
    present-tense statement, the source's ``published`` date). ``opening`` marks a first opening (no
    before it); ``fade`` is the last day it is known to hold when nothing later is known.
    """

    day: int
    when: str
    value: str
    what: str
    entries: tuple[Entry, ...]
    opening: bool = False
    fade: int | None = None
    dated: bool = True  # False for a present-tense statement placed at its source's date


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer to a question about a date, and what it rests on.

    ``since`` is when the current period of ``yes`` began; ``until`` when the period in force ends (for
    ``yes``, a later end the sources know) or ended (for ``no`` after it); ``next`` when a thing that is
    ``no`` (or unknown) on the date opens later. ``reason`` says why in words when no fact does (a state
    that did not exist yet).
    """

    value: str
    since: str | None = None
    until: str | None = None
    next: str | None = None
    reason: str | None = None
    entries: tuple[Entry, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """``value`` and, when known, ``since``, ``until``, ``next``, ``reason`` and ``facts``."""
        d: dict[str, Any] = {"value": self.value}
        for key in ("since", "until", "next", "reason"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.entries:
            d["facts"] = rests_on(self.entries)
        return d


def rests_on(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    """The facts entries rest on, each as its id, source and first quote."""
    out = []
    seen: set[tuple[Any, ...]] = set()
    for e in entries:
        for sf in e.facts:
            key = (sf.id, sf.source.id, sf.fact.evidence[0].start)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                {
                    "id": sf.id,
                    "source": {"id": sf.source.id, "path": sf.source.path, "title": sf.source.title},
                    "quote": sf.fact.evidence[0].quote,
                }
            )
    return out


@dataclass(frozen=True, slots=True)
class History:
    """The changes of one thing in time order, and the answer before the first (``no`` or ``unknown``)."""

    changes: tuple[Change, ...] = ()
    initial: str = UNKNOWN
    undated: tuple[Entry, ...] = field(default=())  # entries that say it exists, with no date to place

    @classmethod
    def of(cls, changes: Iterable[Change], undated: Sequence[Entry] = (), *, never: bool = False) -> History:
        """A history from changes in any order; ``never`` makes it ``no`` throughout when it has none."""
        ordered = tuple(sorted(changes, key=lambda c: (c.day, c.value == YES)))
        if not ordered:
            return cls((), NO if never else UNKNOWN, tuple(undated))
        initial = NO if ordered[0].opening else UNKNOWN
        return cls(ordered, initial, tuple(undated))

    def describe(self, missing: str = "opening not stated") -> str:
        """What the sources date, in words: 'opening not stated; closed 2012', 'established 1946'."""
        if not self.changes:
            return "no date stated"
        words = [f"{c.what} {c.when}" if c.dated else f"{c.what} as of {c.when} (the source's date)"
                 for c in self.changes]  # fmt: skip
        if not self.changes[0].opening and self.changes[0].value == NO:
            words.insert(0, missing)
        return "; ".join(words)

    @property
    def dated_days(self) -> list[int]:
        return [c.day for c in self.changes if c.dated]

    def last(self, d1: int) -> int | None:
        """The index of the last change that has happened by day ``d1``, or None."""
        found = None
        for i, c in enumerate(self.changes):
            if c.day > d1:
                break
            found = i
        return found

    def at(self, d0: int, d1: int) -> Answer:
        """The answer on the date that spans days ``d0``..``d1``."""
        i = self.last(d1)
        changes = self.changes
        if i is None:
            nxt = changes[0] if changes else None
            return Answer(
                self.initial,
                next=nxt.when if nxt is not None and nxt.value == YES else None,
                entries=(nxt.entries if nxt is not None else ()) or self.undated,
            )
        c = changes[i]
        later = changes[i + 1] if i + 1 < len(changes) else None
        run = i
        while run > 0 and changes[run - 1].value == c.value:
            run -= 1
        first = changes[run]
        rests = unique([*first.entries, *c.entries, *(later.entries if later else ())])
        if c.value == YES:
            if later is None and c.fade is not None and c.fade < d0:
                return Answer(UNKNOWN, since=first.when, reason=f"{c.what} {c.when}; end not stated",
                              entries=rests)  # fmt: skip
            end = next((x.when for x in changes[i + 1 :] if x.value == NO), None)
            return Answer(YES, since=first.when, until=end, entries=rests)
        reopens = next((x.when for x in changes[i + 1 :] if x.value == YES), None)
        return Answer(NO, until=first.when, next=reopens, entries=rests)


def unique(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """The entries without repeats, in order (entries are told apart by identity)."""
    return tuple({id(e): e for e in entries}.values())


def observed_day(entry: Entry) -> tuple[int, str] | None:
    """The first day and date a present-tense entry holds: its earliest source's ``published`` date."""
    best: tuple[int, str] | None = None
    for sf in entry.facts:
        p = sf.source.published
        b = bounds(p)
        if p and b and (best is None or b[0] < best[0]):
            best = (b[0], p)
    return best
