"""Questions about pairs of countries, answered from a list of facts: no database inside.

The knowledge base (:mod:`dyad.kb`) fetches facts and calls these; so do the web app, the profile, the
chart, the country map and the benchmarks. One copy of each rule:

- :mod:`dyad.query.group` — facts into entries: the same thing, compatible times, the most precise
  date, disagreement between sources.
- :mod:`dyad.query.history`, :mod:`dyad.query.answers` and :mod:`dyad.query.heads` — the state of
  relations on a date (yes, no, unknown) by the rules of ``../shared/docs/state.md``.
- :mod:`dyad.query.states` — the project's table of states and the dates they existed.
- :mod:`dyad.query.show` — a pair on a date (answers and sections) and a pair over time (timeline).
- :mod:`dyad.query.pulse` — a pair's events counted by month, quarter or year (CAMEO quad classes,
  Goldstein values).

Dates go through :mod:`dyad.edtf`.
"""

from __future__ import annotations

from dyad.query.answers import RELATION_KINDS, Answers, Head, Item, PairHistory
from dyad.query.group import Dispute, Entry, compatible, group_entries, identity, most_precise, overlap
from dyad.query.history import NO, UNKNOWN, YES, Answer, Change, History
from dyad.query.show import (
    CORE_TYPES,
    LATEST_EVENTS,
    SECTIONS,
    Event,
    PairState,
    Timeline,
    in_force,
    pair_state,
    timeline,
    verb,
)
from dyad.query.states import StateTable

__all__ = [
    "CORE_TYPES",
    "LATEST_EVENTS",
    "NO",
    "RELATION_KINDS",
    "SECTIONS",
    "UNKNOWN",
    "YES",
    "Answer",
    "Answers",
    "Change",
    "Dispute",
    "Entry",
    "Event",
    "Head",
    "History",
    "Item",
    "PairHistory",
    "PairState",
    "StateTable",
    "Timeline",
    "compatible",
    "group_entries",
    "identity",
    "in_force",
    "most_precise",
    "overlap",
    "pair_state",
    "timeline",
    "verb",
]
