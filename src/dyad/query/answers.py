"""The state of relations between two countries on a date, by the rules of ``../shared/docs/state.md``.

    >>> pair = PairHistory.build(entries, "BEL", "SYR")   # entries: dyad.query.group.group_entries(facts)
    >>> answers = pair.answers(bounds("2013"))            # Answers: relations, missions, heads, sanctions
    >>> answers.to_json()["relations"]
    {'value': 'yes', 'since': '1946-03-20', 'facts': [...]}

Only ``asserted`` facts change the state; planned, negated and claimed facts are shown apart by the
callers. In short (state.md has the rules in full):

- **Relations** are a sequence of changes: ``established``, ``restored``, ``upgraded`` and
  ``downgraded`` put them in force, ``severed`` and ``suspended`` end them; ``recognised`` changes
  nothing. Before the first establishment they are ``no``; where the sources say the two have none
  (status ``none``, a negated establishment) and date no relations, ``no`` throughout.
- A **state that did not exist** on the date (:class:`~dyad.query.states.StateTable`) makes everything
  ``no``, unless a source dates relations, a mission or an envoy of the pair in that gap.
- A **mission** is ``yes`` from its opening (or the first date a source states it open) to its
  closing; an embassy, legation or non-resident embassy only while relations are in force, and a break
  of relations closes it: after a restoration it is ``unknown`` until a source places it open again.
- **Heads of mission**: one at a time; a later appointment by the same sender ends the earlier one; an
  appointment with no successor holds during its own period and is ``unknown`` after it; a recall or an
  expulsion ends it; a chargé d'affaires heads only when no other envoy is in post.
- **Sanctions** hold from their imposition to their lifting; an organisation's sanctions count for a
  party that applies them (``via``) or is a member.
- A fact with no date, in a source with a ``published`` date, holds from that date (the source's now).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dyad.edtf import Bounds, bounds
from dyad.model import Actor, actor_json, actor_key
from dyad.query.group import Entry
from dyad.query.heads import TERM_YEARS, Term, describe_term, term_answer, terms_of
from dyad.query.history import NO, UNKNOWN, YES, Answer, Change, History, observed_day
from dyad.query.states import StateTable
from dyad.registry import TYPES

__all__ = [
    "RELATION_KINDS",
    "TERM_YEARS",
    "Answers",
    "Head",
    "Item",
    "PairHistory",
]

#: Mission kinds that exist only while diplomatic relations are in force.
RELATION_KINDS = frozenset({"embassy", "legation", "non-resident"})
_IN_FORCE = frozenset({"established", "restored", "upgraded", "downgraded"})
_ENDED = frozenset({"severed", "suspended"})


def _when(entry: Entry) -> str | None:
    """The date of the change an entry states: its registry slot, else any date it has."""
    slot = TYPES[entry.type].slot_of(entry.attrs)
    given = {"start": entry.start, "end": entry.end, "date": entry.date}
    return (given.get(slot) if slot else None) or entry.start or entry.end or entry.date


def _day(edtf: str | None) -> Bounds | None:
    return bounds(edtf)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing asked about (a mission, a sanctions regime) and its answer on the date."""

    fields: Mapping[str, Any]
    answer: Answer
    known: str = ""  # what the sources date about it, in words ("opening not stated; closed 2012")

    def to_json(self) -> dict[str, Any]:
        return {**self.fields, **self.answer.to_json()}


@dataclass(frozen=True, slots=True)
class Head:
    """One envoy's term as head of mission, and whether it held on the date."""

    sender: Actor
    receiver: Actor
    rank: str | None
    person: str | None
    answer: Answer
    known: str = ""

    def to_json(self) -> dict[str, Any]:
        d = {"sender": actor_json(self.sender), "receiver": actor_json(self.receiver), "rank": self.rank,
             "person": self.person}  # fmt: skip
        return {**d, **self.answer.to_json()}


@dataclass(frozen=True, slots=True)
class Answers:
    """The ``answers`` object of state.md: relations, missions, heads and sanctions on one date."""

    relations: Answer
    missions: tuple[Item, ...]
    heads: tuple[Head, ...]
    sanctions: tuple[Item, ...]
    relations_known: str = ""  # what the sources date about the relations, in words

    def to_json(self) -> dict[str, Any]:
        return {
            "relations": self.relations.to_json(),
            "missions": [m.to_json() for m in self.missions],
            "heads": [h.to_json() for h in self.heads],
            "sanctions": [s.to_json() for s in self.sanctions],
        }


# -- building the histories --


def relations_history(entries: Sequence[Entry]) -> History:
    """The relations of a pair as changes; ``no`` throughout when the sources say there are none."""
    changes: list[Change] = []
    asserted_in_force = False
    says_none = False
    for e in entries:
        status = str(e.attrs.get("status") or "")
        if e.polarity == "negated" and status == "established":
            says_none = True
        if e.polarity != "asserted":
            continue
        if status in _IN_FORCE:
            asserted_in_force = True
        value = YES if status in _IN_FORCE else NO if status in _ENDED | {"none"} else None
        if value is None:  # recognised: not a change of relations
            continue
        when = _when(e)
        b = _day(when)
        if when and b and status != "none":
            changes.append(Change(b[0], when, value, status, (e,), opening=status == "established"))
            continue
        if status == "none":
            says_none = True
        seen = observed_day(e)
        if seen is not None and status not in _ENDED:
            changes.append(Change(seen[0], seen[1], value, status, (e,), dated=False))
    return History.of(changes, never=says_none and not asserted_in_force)


def mission_history(entries: Sequence[Entry]) -> History:
    """One mission's openings and closings; a mission called former with no date fades after it opened."""
    changes: list[Change] = []
    former_undated = False
    undated: list[Entry] = []
    for e in entries:
        if e.polarity != "asserted":
            continue
        action = e.attrs.get("action")
        start, end = _day(e.start), _day(e.end)
        if e.start and start:
            changes.append(Change(start[0], e.start, YES, str(action or "opened"), (e,), opening=True))
        if e.end and end:
            changes.append(Change(end[0], e.end, NO, "closed", (e,)))
        if start or end:
            continue
        seen = observed_day(e)
        if action == "closed":
            if seen is not None:
                changes.append(Change(seen[0], seen[1], NO, "closed", (e,), dated=False))
            else:
                former_undated = True
                undated.append(e)
        elif seen is not None:
            changes.append(Change(seen[0], seen[1], YES, "open", (e,), dated=False))
        else:
            undated.append(e)
    history = History.of(changes, undated)
    if former_undated and not any(c.value == NO for c in history.changes):
        history = _fade_last_yes(history)
    return history


def _fade_last_yes(history: History) -> History:
    changes = list(history.changes)
    for i in range(len(changes) - 1, -1, -1):
        c = changes[i]
        if c.value == YES:
            b = bounds(c.when)
            changes[i] = Change(
                c.day, c.when, c.value, c.what, c.entries, c.opening, b[1] if b else c.day, c.dated
            )
            break
    return History(tuple(changes), history.initial, history.undated)


def sanctions_history(entries: Sequence[Entry]) -> History:
    """Sanctions from imposed (or extended) to lifted."""
    changes: list[Change] = []
    undated: list[Entry] = []
    for e in entries:
        if e.polarity != "asserted":
            continue
        action = e.attrs.get("action")
        start, end = _day(e.start), _day(e.end)
        if e.start and start and action != "lifted":
            changes.append(
                Change(start[0], e.start, YES, str(action or "imposed"), (e,), opening=action != "extended")
            )
        if action == "lifted" and not end and start:
            changes.append(Change(start[0], e.start or "", NO, "lifted", (e,)))
        if e.end and end:
            changes.append(Change(end[0], e.end, NO, "lifted", (e,)))
        if not (start or end):
            seen = observed_day(e)
            if seen is not None:
                value = NO if action == "lifted" else YES
                changes.append(Change(seen[0], seen[1], value, str(action or "imposed"), (e,), dated=False))
            else:
                undated.append(e)
    return History.of(changes, undated)


# -- the pair --


@dataclass(frozen=True, slots=True)
class PairHistory:
    """Everything a pair's entries say over time; :meth:`answers` asks it about a date.

    ``entries`` are those between the two (:func:`~dyad.query.group.group_entries`), plus, when the
    caller has them, sanctions of organisations on either party and the parties' memberships.
    """

    a: str
    b: str
    relations: History
    missions: tuple[tuple[tuple[Actor, Actor, str | None, str | None], History], ...]
    envoys: tuple[tuple[tuple[Actor, Actor], tuple[Term, ...]], ...]
    sanctions: tuple[tuple[tuple[Actor, Actor, str | None], History], ...]
    members: Mapping[str, tuple[tuple[str, Entry], ...]]  # organisation -> (member, membership entry)
    dated_days: tuple[int, ...]
    table: StateTable

    @classmethod
    def build(
        cls, entries: Iterable[Entry], a: str, b: str, *, table: StateTable | None = None
    ) -> PairHistory:
        pair = {a, b}
        by_type: dict[str, list[Entry]] = {}
        for e in entries:
            by_type.setdefault(e.type, []).append(e)

        def between(e: Entry) -> bool:
            return {actor_key(e.actor), actor_key(e.target)} == pair

        relations = relations_history([e for e in by_type.get("relations", []) if between(e)])
        missions: dict[tuple[Any, ...], tuple[tuple[Any, ...], list[Entry]]] = {}
        for e in by_type.get("mission", []):
            if between(e):
                city = e.attrs.get("city") or e.attrs.get("accredited_from")
                key = (e.actor, e.target, e.attrs.get("kind"), str(city) if city else None)
                missions.setdefault(_fold_key(key), (key, []))[1].append(e)
        envoys: dict[tuple[Any, ...], list[Entry]] = {}
        for e in by_type.get("envoy", []):
            if between(e):
                envoys.setdefault((actor_key(e.actor), actor_key(e.target)), []).append(e)
        sanctions: dict[tuple[Any, ...], list[Entry]] = {}
        for e in by_type.get("sanctions", []):
            if actor_key(e.target) in pair:
                via = e.attrs.get("via")
                sanctions.setdefault(
                    (actor_key(e.actor), actor_key(e.target), str(via) if via else None), []
                ).append(e)
        members: dict[str, list[tuple[str, Entry]]] = {}
        for e in by_type.get("membership", []):
            if actor_key(e.actor) in pair and e.polarity == "asserted":
                members.setdefault(actor_key(e.target), []).append((actor_key(e.actor), e))
        mission_histories = tuple(
            (key, mission_history(group))
            for key, group in missions.values()
            if any(e.polarity == "asserted" for e in group)  # a mission only denied or planned is not known
        )
        envoy_terms = tuple(
            ((group[0].actor, group[0].target), tuple(terms_of(group)))
            for group in envoys.values()
            if any(e.polarity == "asserted" for e in group)
        )
        sanction_histories = tuple(
            ((group[0].actor, group[0].target, key[2]), sanctions_history(group))
            for key, group in sanctions.items()
            if any(e.polarity == "asserted" for e in group)
        )
        days = [*relations.dated_days, *(d for _, h in mission_histories for d in h.dated_days)]
        days += [t.start for _, terms in envoy_terms for t in terms if t.start is not None]
        return cls(
            a, b, relations, mission_histories, envoy_terms, sanction_histories,
            {k: tuple(v) for k, v in members.items()}, tuple(sorted(days)), table or StateTable.default(),
        )  # fmt: skip

    # -- asking about a date --

    def absent(self, d1: int) -> str | None:
        """Why neither relations nor missions could exist on day ``d1``: a party that was no state then
        (and no source dates anything of the pair in that gap); None when both existed."""
        for code in (self.a, self.b):
            gap = self.table.gap(code, d1)
            if gap is None:
                continue
            lo = gap[0] if gap[0] is not None else -(10**9)
            if any(lo <= d <= d1 for d in self.dated_days):
                continue  # the sources override the table
            return f"{code} was not a state then (dyad's table of states)"
        return None

    def relations_at(self, d0: int, d1: int) -> Answer:
        absent = self.absent(d1)
        if absent:
            return Answer(NO, reason=absent)
        return self.relations.at(d0, d1)

    def answers(self, at: Bounds) -> Answers:
        """The answers of state.md on the date spanning days ``at``."""
        d0, d1 = at
        absent = self.absent(d1)
        relations = Answer(NO, reason=absent) if absent else self.relations.at(d0, d1)
        breaks = [c for c in self.relations.changes if c.value == NO and c.day <= d1]
        missions = []
        for (sender, receiver, kind, city), history in self.missions:
            fields = {
                "sender": actor_json(sender),
                "receiver": actor_json(receiver),
                "kind": kind,
                "city": city,
            }
            answer = self._mission(kind, history, relations, breaks, absent, d0, d1)
            missions.append(Item(fields, answer, history.describe()))
        heads = []
        for (sender, receiver), terms in self.envoys:
            heads += self._heads(sender, receiver, terms, relations, breaks, absent, d0, d1)
        known = self.relations.describe("establishment not stated")
        return Answers(relations, tuple(missions), tuple(heads), self._sanctions(d0, d1), known)

    def _mission(
        self, kind: str | None, history: History, relations: Answer, breaks: list[Change],
        absent: str | None, d0: int, d1: int,
    ) -> Answer:  # fmt: skip
        if absent:
            return Answer(NO, reason=absent)
        needs_relations = kind in RELATION_KINDS
        if needs_relations and relations.value == NO:
            return Answer(NO, reason="diplomatic relations not in force", entries=relations.entries)
        own = history.at(d0, d1)
        if needs_relations and own.value == YES:
            i = history.last(d1)
            opened = history.changes[i].day if i is not None else 0
            broken = [c for c in breaks if c.day > opened]
            if broken:
                return Answer(UNKNOWN, reason=f"{broken[-1].what} {broken[-1].when}; reopening not stated",
                              entries=own.entries + broken[-1].entries)  # fmt: skip
        return own

    def _heads(
        self, sender: Actor, receiver: Actor, terms: Sequence[Term], relations: Answer, breaks: list[Change],
        absent: str | None, d0: int, d1: int,
    ) -> list[Head]:  # fmt: skip
        heads = [t for t in terms if not t.charge]
        answers: list[Answer] = []
        for t in terms:
            if absent:
                answers.append(Answer(NO, reason=absent))
            elif relations.value == NO:
                answers.append(Answer(NO, reason="diplomatic relations not in force", entries=t.entries))
            else:
                ans = term_answer(t, terms if t.charge else heads, d0, d1)
                if ans.value == YES and t.start is not None and any(c.day > t.start for c in breaks):
                    ans = Answer(
                        NO, since=t.start_when, reason="relations were broken off", entries=t.entries
                    )
                answers.append(ans)
        someone = any(a.value == YES for t, a in zip(terms, answers, strict=True) if not t.charge)
        out = []
        for t, ans in zip(terms, answers, strict=True):
            if t.charge and someone and ans.value == YES:
                ans = Answer(NO, reason="an envoy of higher rank was in post", entries=ans.entries)
            out.append(
                Head(
                    sender,
                    receiver,
                    t.rank,
                    t.person,
                    ans,
                    describe_term(t, heads if not t.charge else terms),
                )
            )
        return out

    def _sanctions(self, d0: int, d1: int) -> tuple[Item, ...]:
        items: list[Item] = []
        own: dict[tuple[str, str, str | None], Answer] = {}
        pair = {self.a, self.b}
        by_org: dict[tuple[str, str], Answer] = {}
        for (actor, target, via), history in self.sanctions:
            ans = history.at(d0, d1)
            own[(actor_key(actor), actor_key(target), via)] = ans
            if actor_key(actor) not in pair:
                by_org[(actor_key(actor), actor_key(target))] = ans
        for (actor, target, via), _ in self.sanctions:
            ans = own[(actor_key(actor), actor_key(target), via)]
            org = by_org.get((via, actor_key(target))) if via else None
            if ans.value == UNKNOWN and org is not None and org.value != UNKNOWN:
                ans = Answer(org.value, org.since, org.until, org.next, f"as {via} applies them", org.entries)
            fields = {"actor": actor_json(actor), "target": actor_json(target)}
            if via:
                fields["via"] = via
            relevant = (
                actor_key(actor) in pair
                or any(k[2] == actor_key(actor) for k in own)
                or actor_key(actor) in self.members
            )
            if relevant:
                items.append(Item(fields, ans, _history_of(self.sanctions, actor, target, via)))
        for (org_code, target), ans in by_org.items():
            for member, entry in self.members.get(org_code, ()):
                if member == target or (member, target, org_code) in own:
                    continue
                status = _membership(entry, d0, d1)
                value = ans.value if status == YES or ans.value == NO else UNKNOWN
                reason = f"as a member of {org_code}" + ("" if status == YES else " (membership not dated)")
                fields = {"actor": member, "target": target, "via": org_code}
                items.append(
                    Item(
                        fields, Answer(value, ans.since, ans.until, ans.next, reason, ans.entries + (entry,))
                    )
                )
        return tuple(items)


def _history_of(sanctions: Iterable[tuple[tuple[Actor, Actor, str | None], History]], actor: Any, target: Any,
                via: str | None) -> str:  # fmt: skip
    for (x, y, v), history in sanctions:
        if actor_key(x) == actor_key(actor) and actor_key(y) == actor_key(target) and v == via:
            return history.describe()
    return ""


def _membership(entry: Entry, d0: int, d1: int) -> str:
    start, end = bounds(entry.start), bounds(entry.end)
    if end is not None and end[0] <= d1:
        return NO
    if start is not None:
        return YES if start[0] <= d1 else NO
    return UNKNOWN


def _fold_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    actor, target, kind, city = key
    return (actor_key(actor), actor_key(target), kind, city.casefold() if city else None)
