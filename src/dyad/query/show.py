"""A pair on a date and a pair over time, from a list of facts: what ``show`` and ``timeline`` answer.

    >>> state = pair_state(facts, "BEL", "SYR", "2013")   # facts: StoredFacts of the pair (any source)
    >>> state.answers.relations.value                      # the answers of state.md
    'yes'
    >>> timeline(facts, "BEL", "SYR").events[0].verb
    'established'

Pure functions: the knowledge base fetches the facts and calls them; so do the web app, the profile,
the chart and the benchmarks. The answers about relations, missions, heads of mission and sanctions
follow :mod:`dyad.query.answers`; the other types are **in force** on a date when their start has
happened by then and their end has not (``in-force``, ``ended``), an event when its date has
(``event``), and ``undated`` when the sources give no time. Facts the sources state as planned,
negated or claimed change nothing and are listed apart, as what they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dyad.edtf import bounds, sort_key
from dyad.model import SourceRecord, StoredFact, actor_json, actor_key
from dyad.query.answers import Answers, PairHistory
from dyad.query.group import Entry, group_entries
from dyad.query.states import StateTable
from dyad.registry import TYPES

__all__ = [
    "CORE_TYPES",
    "LATEST_EVENTS",
    "SECTIONS",
    "Event",
    "PairState",
    "Timeline",
    "core_status",
    "in_force",
    "pair_state",
    "timeline",
]

#: The sections of a pair's state, in order, each with the fact type it lists (from the registry).
SECTIONS: tuple[tuple[str, str], ...] = tuple((t.section, name) for name, t in TYPES.items())
#: The types whose state on a date is a yes/no/unknown answer of state.md.
CORE_TYPES = ("relations", "mission", "envoy", "sanctions")
#: How many of the latest events of each point type (statements, visits …) a state lists.
LATEST_EVENTS = 5
_END_OF_TIME = (99_999_999, 0, 0)


@dataclass(frozen=True, slots=True)
class PairState:
    """What held between ``a`` and ``b`` on ``at``.

    ``answers`` are those of state.md. ``sections`` list the entries by section (:data:`SECTIONS`),
    each with a ``status``: the answer of the thing it is about for the core types (yes, no, unknown),
    else ``in-force``, ``ended``, ``event`` or ``undated``. ``apart`` are the planned, negated and claimed
    entries. ``read`` are the sources that were read about the pair (its own articles), so that a pair
    with no facts can say where dyad looked.
    """

    a: str
    b: str
    at: str
    names: Mapping[str, str]
    answers: Answers
    sections: Mapping[str, tuple[Entry, ...]]
    apart: tuple[Entry, ...] = ()
    read: tuple[SourceRecord, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(self.sections.values()) and not self.apart


@dataclass(frozen=True, slots=True)
class Event:
    """A dated moment of a timeline: an entry's ``start``, ``end`` or ``date``, and what changed then
    (``verb``: "severed", "closed", "appointed" …)."""

    when: str
    kind: str
    entry: Entry
    verb: str = ""


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every dated fact of a pair as events in time order, the undated entries apart, and the sources
    read about the pair."""

    a: str
    b: str
    names: Mapping[str, str]
    events: tuple[Event, ...]
    undated: tuple[Entry, ...] = field(default=())
    read: tuple[SourceRecord, ...] = ()


def in_force(entry: Entry, d0: int, d1: int) -> str | None:
    """``in-force``, ``ended``, ``event``, ``undated`` or ``unknown`` (an end later, no start) on the
    date spanning days ``d0``..``d1``; None when it has not begun by then."""
    point = TYPES[entry.type].default_slot == "date" or (entry.date and not (entry.start or entry.end))
    if point:
        when = bounds(entry.date)
        if when is None:
            return "undated"
        return "event" if when[0] <= d1 else None
    start, end = bounds(entry.start), bounds(entry.end)
    if start is not None and start[0] > d1:
        return None
    if end is not None and end[0] <= d1:
        return "ended"
    if start is not None:
        return "in-force"
    return "unknown" if end is not None else "undated"


def _between(entry: Entry, pair: set[str]) -> bool:
    return {actor_key(entry.actor), actor_key(entry.target)} == pair


def pair_state(
    facts: Sequence[StoredFact],
    a: str,
    b: str,
    at: str,
    *,
    names: Mapping[str, str] | None = None,
    table: StateTable | None = None,
    read: Sequence[SourceRecord] = (),
) -> PairState:
    """The state of the pair (codes) ``a``, ``b`` on ``at`` (EDTF) from ``facts``.

    ``facts`` are the pair's facts, and may hold organisations' sanctions on either party and the
    parties' memberships (they make sanctions ``via`` an organisation count); other facts are ignored.
    """
    span = bounds(at)
    if span is None:
        raise ValueError(f"not an EDTF date: {at!r}")
    d0, d1 = span
    entries = group_entries(facts)
    history = PairHistory.build(entries, a, b, table=table)
    answers = history.answers(span)
    pair = {a, b}
    states = table or StateTable.default()
    # a party that was no state on the date holds nothing whose start is unknown
    absent = not (states.exists(a, d1) and states.exists(b, d1))
    sections: dict[str, tuple[Entry, ...]] = {}
    apart: list[Entry] = []
    sanctioned = {id(e) for item in answers.sanctions for e in item.answer.entries}
    for section, type_ in SECTIONS:
        listed = []
        for e in entries:
            if e.type != type_ or not (_between(e, pair) or id(e) in sanctioned):
                continue
            if e.polarity != "asserted":
                apart.append(e)
                continue
            began = in_force(e, d0, d1)
            if began is None:
                continue  # begins later: the answers say "no" of it, the sections leave it out
            if absent and began in ("undated", "unknown") and type_ not in CORE_TYPES:
                continue
            value = core_status(answers, e) if type_ in CORE_TYPES else None
            listed.append(e.with_status(value or began))
        if TYPES[type_].default_slot == "date":
            listed.sort(key=lambda e: _key(e.date), reverse=True)
            listed.sort(key=lambda e: e.date is None)
            listed = listed[:LATEST_EVENTS]
        else:
            listed.sort(key=lambda e: (actor_key(e.actor) != a, _key(e.start or e.end or e.date)))
        sections[section] = tuple(listed)
    return PairState(a, b, at, dict(names or {}), answers, sections, tuple(apart), tuple(read))


def core_status(answers: Answers, e: Entry) -> str | None:
    """The answer value of the thing a core entry is about: its mission, its envoy's term …"""
    if e.type == "relations":
        return answers.relations.value
    actor, target = actor_json(e.actor), actor_json(e.target)
    if e.type == "mission":
        city = e.attrs.get("city") or e.attrs.get("accredited_from")
        for m in answers.missions:
            f = m.fields
            if (f["sender"], f["receiver"], f["kind"]) == (actor, target, e.attrs.get("kind")) and _fold(
                f["city"]
            ) == _fold(city):
                return m.answer.value
    elif e.type == "envoy":
        for h in answers.heads:
            if (
                actor_key(h.sender) == actor_key(e.actor)
                and actor_key(h.receiver) == actor_key(e.target)
                and (
                    _fold(h.person) == _fold(e.attrs.get("person"))
                    and (h.person or h.rank == e.attrs.get("rank"))
                )
            ):
                return h.answer.value
    elif e.type == "sanctions":
        for item in answers.sanctions:
            f = item.fields
            if (f["actor"], f["target"], f.get("via")) == (actor, target, e.attrs.get("via")):
                return item.answer.value
    return None


def _fold(value: object) -> str | None:
    return str(value).casefold() if value else None


def _key(edtf: str | None) -> tuple[int, int, int]:
    if not edtf or bounds(edtf) is None:
        return _END_OF_TIME
    return sort_key(edtf)


def verb(entry: Entry, kind: str) -> str:
    """What changed at an entry's start, end or date, in one word or two ("severed", "closed")."""
    t = TYPES[entry.type]
    action = entry.attrs.get(t.action) if t.action else None
    if action is not None and t.slots.get(str(action), t.default_slot) == kind:
        return str(action)
    if kind == "end":
        return t.ended
    if kind == "date" and t.default_slot != "date":
        return ""  # a period type dated at a point ("by 2020, 5,000 refugees"): nothing began
    return t.began


def timeline(
    facts: Sequence[StoredFact],
    a: str,
    b: str,
    *,
    names: Mapping[str, str] | None = None,
    read: Sequence[SourceRecord] = (),
) -> Timeline:
    """Every dated fact of the pair as start, end and date events in time order; undated apart.

    Planned, negated and claimed facts are events too, marked by their entry's ``polarity``.
    """
    entries = group_entries(facts)
    events: list[Event] = []
    undated: list[Entry] = []
    for entry in entries:
        moments = [(v, k) for v, k in ((entry.start, "start"), (entry.end, "end"), (entry.date, "date")) if v]
        events.extend(Event(v, k, entry, verb(entry, k)) for v, k in moments)
        if not moments:
            undated.append(entry)
    kind_order = {"end": 0, "start": 1, "date": 2}
    type_order = {t: i for i, t in enumerate(TYPES)}
    events.sort(
        key=lambda ev: (
            _key(ev.when),
            kind_order[ev.kind],
            type_order[ev.entry.type],
            actor_key(ev.entry.actor) != a,
        )
    )
    return Timeline(a, b, dict(names or {}), tuple(events), tuple(undated), tuple(read))
