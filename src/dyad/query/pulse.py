"""The pulse of a pair: its events counted by month, quarter or year, as event data counts them.

    >>> p = pulse(entries, "KEN", "TZA", by="month")
    >>> [(x.label, x.events, x.cooperation, x.conflict, x.goldstein_sum) for x in p.periods]

An *event* is a grouped fact (an entry: one event reported by several stories counts once) that carries
a CAMEO code (facts.md; :func:`dyad.registry.cameo_of`): standing states, negated and claimed facts have
none and are not counted. Its moment is its date, else its start, else its end. Each period gives the
number of events, how many are cooperation (CAMEO quad classes verbal and material cooperation, roots
01–08) and conflict (roots 09–20), the count of each quad class, and the summed and mean Goldstein
values.

Periods run from the first to the last period holding an event. A period in between with no event is
*no data* (``events`` is None), not zero: the sources are silent there, which is not a quiet month. An
event dated less precisely than the period (a year, when counting months) cannot be placed and is
counted in ``coarse``; an undated one in ``undated``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dyad.edtf import bounds as edtf_bounds
from dyad.registry import QUAD_CLASSES, quad_class

__all__ = ["PERIODS", "Period", "Pulse", "pulse"]

#: How the pulse can be counted.
PERIODS = ("month", "quarter", "year")
_COOPERATION = frozenset(QUAD_CLASSES[:2])


@dataclass(frozen=True, slots=True)
class Period:
    """One period of the pulse; every count is None when the period has no data."""

    label: str  # "2024-03", "2024-Q1", "2024"
    events: int | None = None
    cooperation: int | None = None
    conflict: int | None = None
    quad: Mapping[str, int] | None = None  # count by quad class, QUAD_CLASSES order
    goldstein_sum: float | None = None
    goldstein_mean: float | None = None

    @property
    def empty(self) -> bool:
        return self.events is None


@dataclass(frozen=True, slots=True)
class Pulse:
    """A pair's periods in time order, and the events that could not be placed in one."""

    a: str
    b: str
    by: str
    periods: tuple[Period, ...]
    names: Mapping[str, str]
    coarse: int = 0
    undated: int = 0

    @property
    def events(self) -> int:
        return sum(p.events or 0 for p in self.periods)


def _event_code(entry: Any) -> tuple[str, float] | None:
    """The CAMEO code and Goldstein value of an entry: its first fact that has them."""
    for sf in entry.facts:
        if sf.fact.cameo and sf.fact.goldstein is not None:
            return sf.fact.cameo, float(sf.fact.goldstein)
    return None


def _key(day: int, by: str) -> tuple[int, int]:
    """The period of a ``yyyymmdd`` day as (year, index): month 1–12, quarter 1–4, year 0."""
    year, month = day // 10000, day // 100 % 100
    if by == "month":
        return year, month
    if by == "quarter":
        return year, (month - 1) // 3 + 1
    return year, 0


def _label(key: tuple[int, int], by: str) -> str:
    year, index = key
    if by == "month":
        return f"{year:04d}-{index:02d}"
    if by == "quarter":
        return f"{year:04d}-Q{index}"
    return f"{year:04d}"


def _next(key: tuple[int, int], by: str) -> tuple[int, int]:
    year, index = key
    last = {"month": 12, "quarter": 4}.get(by, 0)
    if index < last:
        return year, index + 1
    return year + 1, 1 if last else 0


def pulse(
    entries: Iterable[Any], a: str, b: str, *, by: str = "month", names: Mapping[str, str] | None = None
) -> Pulse:
    """Count the events among ``entries`` (grouped facts of the pair) by period (module doc)."""
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r}; the periods are {', '.join(PERIODS)}")
    found: dict[tuple[int, int], list[tuple[str, float]]] = {}
    coarse = undated = 0
    for entry in entries:
        code = _event_code(entry)
        if code is None:
            continue
        bounds = edtf_bounds(entry.date or entry.start or entry.end)
        if bounds is None:
            undated += 1
            continue
        first, last = _key(bounds[0], by), _key(bounds[1], by)
        if first != last:
            coarse += 1
            continue
        found.setdefault(first, []).append(code)
    periods: list[Period] = []
    if found:
        key, end = min(found), max(found)
        while key <= end:
            periods.append(_period(_label(key, by), found.get(key)))
            key = _next(key, by)
    return Pulse(a, b, by, tuple(periods), dict(names or {}), coarse, undated)


def _period(label: str, codes: list[tuple[str, float]] | None) -> Period:
    if not codes:
        return Period(label)
    quad = dict.fromkeys(QUAD_CLASSES, 0)
    for code, _ in codes:
        quad[quad_class(code)] += 1
    total = sum(g for _, g in codes)
    cooperation = sum(n for q, n in quad.items() if q in _COOPERATION)
    return Period(
        label,
        events=len(codes),
        cooperation=cooperation,
        conflict=len(codes) - cooperation,
        quad=quad,
        goldstein_sum=round(total, 2),
        goldstein_mean=round(total / len(codes), 2),
    )
