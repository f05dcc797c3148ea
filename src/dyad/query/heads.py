"""Heads of mission: envoys' terms, one head at a time (state.md, "Who headed the mission?").

An envoy's facts (by person; an unnamed envoy apart, unless it is a named one's appointment told without
the name) make one :class:`Term`. A later appointment by the same sender ends the earlier term; a recall
or an expulsion ends it; a term with no known end and no known successor holds for :data:`TERM_YEARS`
after its start, then is ``unknown``. A chargé d'affaires heads the mission only when no envoy of
another rank is in post (:class:`dyad.query.answers.PairHistory` decides that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dyad.edtf import bounds
from dyad.query.group import Entry
from dyad.query.history import NO, UNKNOWN, YES, Answer, observed_day

__all__ = ["TERM_YEARS", "Term", "describe_term", "term_answer", "terms_of"]

#: How long a head of mission with no known end and no known successor is taken to stay in post, in
#: years from the appointment: a posting rarely lasts longer, and after it the answer is ``unknown``
#: ("the first ambassador was X (1994)" says nothing about 2020; "since 2023 the ambassador is X" holds
#: in 2024).
TERM_YEARS = 10

_APPOINTMENTS = frozenset({"appointed", "presented-credentials"})
_CHARGE = "charge-d-affaires"


@dataclass(frozen=True, slots=True)
class Term:
    rank: str | None
    person: str | None
    start: int | None  # first day (None: not dated)
    start_last: int | None
    start_when: str | None
    end: int | None
    end_when: str | None
    standing: bool  # stated as holding (no action, or a present-tense statement), not only an appointment
    entries: tuple[Entry, ...]

    @property
    def charge(self) -> bool:
        return self.rank == _CHARGE


def terms_of(entries: Sequence[Entry]) -> list[Term]:
    """Envoy entries of one sender to one receiver as terms: one per person, unnamed ones apart."""
    by_person: dict[str, list[Entry]] = {}
    unnamed: list[Entry] = []
    for e in entries:
        if e.polarity != "asserted" or e.attrs.get("action") == "summoned":
            continue
        person = e.attrs.get("person")
        if person:
            by_person.setdefault(str(person).casefold(), []).append(e)
        else:
            unnamed.append(e)
    terms = [_term(group) for group in by_person.values()]
    for e in unnamed:
        t = _term([e])
        if any(_same_appointment(o, t) for o in terms):
            continue  # the same appointment, told once with the name and once without
        terms.append(t)
    return terms


def _same_appointment(named: Term, unnamed: Term) -> bool:
    """Whether an unnamed envoy's term is a named one told without the name: same rank, same start."""
    if named.rank != unnamed.rank or None in (named.start, named.start_last, unnamed.start):
        return False
    return unnamed.start <= named.start_last and named.start <= (unnamed.start_last or unnamed.start)  # type: ignore[operator]


def _term(group: Sequence[Entry]) -> Term:
    starts = [(b, e.start) for e in group if e.start and (b := bounds(e.start))]
    ends = [(b, e.end) for e in group if e.end and (b := bounds(e.end))]
    start = min(starts, key=lambda x: x[0][0]) if starts else None
    end = max(ends, key=lambda x: x[0][0]) if ends else None
    standing = any(e.attrs.get("action") not in _APPOINTMENTS for e in group)
    seen = None
    if start is None:
        seen = min((s for e in group if (s := observed_day(e))), default=None, key=lambda s: s[0])
    rank = next((str(e.attrs["rank"]) for e in group if e.attrs.get("rank")), None)
    person = next((str(e.attrs["person"]) for e in group if e.attrs.get("person")), None)
    s0: int | None
    s1: int | None
    swhen: str | None
    if start is not None:
        s0, s1, swhen = start[0][0], start[0][1], start[1]
    elif seen is not None:
        s0, s1, swhen, standing = seen[0], seen[0], seen[1], True
    else:
        s0 = s1 = swhen = None
    return Term(rank, person, s0, s1, swhen, end[0][0] if end else None, end[1] if end else None, standing,
                 tuple(group))  # fmt: skip


def describe_term(t: Term, pool: Sequence[Term]) -> str:
    """What the sources date about a term: 'appointed 1994-09; succeeded 1997-04', 'no date stated'."""
    if t.start is None and t.end is None:
        return "no date stated"
    words = []
    if t.start is None:
        words.append("start not stated")
    else:
        verbs = [str(e.attrs.get("action")) for e in t.entries if e.attrs.get("action") in _APPOINTMENTS]
        words.append(f"{verbs[0] if verbs else 'in post from'} {t.start_when}")
    later = sorted((u for u in pool if u.start is not None and t.start is not None and u.start > t.start
                    and u.person != t.person), key=lambda u: u.start or 0)  # fmt: skip
    if t.end is not None:
        actions = [
            str(e.attrs.get("action")) for e in t.entries if e.attrs.get("action") in ("recalled", "expelled")
        ]
        words.append(f"{actions[0] if actions else 'left post'} {t.end_when}")
    elif later:
        words.append(f"succeeded {later[0].start_when}")
    else:
        words.append("end not stated")
    return "; ".join(words)


def term_answer(t: Term, pool: Sequence[Term], d0: int, d1: int) -> Answer:
    rests = t.entries
    if t.end is not None and t.end <= d1:
        return Answer(NO, since=t.start_when, until=t.end_when, entries=rests)
    if t.start is None:
        return Answer(UNKNOWN, until=t.end_when, entries=rests)
    if t.start > d1:
        return Answer(NO, next=t.start_when, entries=rests)
    later = sorted(
        (
            u
            for u in pool
            if u is not t and u.start is not None and u.start > t.start and u.person != t.person
        ),
        key=lambda u: u.start or 0,
    )
    if later and (later[0].start or 0) <= d1:
        return Answer(NO, since=t.start_when, until=later[0].start_when, entries=rests + later[0].entries)
    until = t.end_when or (later[0].start_when if later else None)
    if until is None and t.start_last is not None and t.start_last + TERM_YEARS * 10_000 < d0:
        return Answer(UNKNOWN, since=t.start_when, reason="end not stated", entries=rests)
    return Answer(YES, since=t.start_when, until=until, entries=rests + (later[0].entries if later else ()))
