"""When each state existed: the project's table of states (``data/states.toml``) as a lookup by day.

    >>> table = StateTable.default()
    >>> table.exists("SYR", 19300101), table.exists("SYR", 19500101)  # Syria: 1946 on
    (False, True)

A code the table does not list (an organisation, an unrecognised state, an unresolved name) exists on
every day. The table's own documentation is at the top of the TOML file.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from dyad.edtf import bounds
from dyad.errors import RulesError

__all__ = ["STATES_FILE", "StateTable"]

#: The table, in the package's ``data`` folder.
STATES_FILE = "states.toml"

Period = tuple[int | None, int | None]  # first and last day, None for an open side


@dataclass(frozen=True, slots=True)
class StateTable:
    """Periods of existence by state code, each (first day, last day) with None for an open side."""

    periods: Mapping[str, tuple[Period, ...]]
    notes: Mapping[str, str]

    @classmethod
    def default(cls) -> StateTable:
        """The package's table, read and checked once per process."""
        return _default()

    @classmethod
    def from_toml(cls, text: str, where: str = STATES_FILE) -> StateTable:
        """A table from the text of a states file; RulesError listing every problem."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise RulesError(f"{where}: not valid TOML ({e})") from None
        problems: list[str] = []
        if data.get("version") != 1:
            problems.append(f"version must be 1, not {data.get('version')!r}")
        periods: dict[str, tuple[Period, ...]] = {}
        for code, given in (data.get("periods") or {}).items():
            if not isinstance(given, list) or not given:
                problems.append(f"{code}: give a list of EDTF intervals")
                continue
            parsed = [_period(p) for p in given]
            if any(p is None for p in parsed):
                problems.append(
                    f"{code}: {given!r} has a period that is not an EDTF interval like 1946-01-01/.."
                )
                continue
            periods[code] = tuple(p for p in parsed if p is not None)
        notes = data.get("notes") or {}
        for code in notes:
            if code not in periods:
                problems.append(f"[notes] {code} is not in [periods]")
        if problems:
            raise RulesError(f"{where}: {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
        return cls(periods, dict(notes))

    def exists(self, code: str, day: int) -> bool:
        """Whether the state ``code`` existed on ``day`` (yyyymmdd); True for a code not in the table."""
        return self.gap(code, day) is None

    def gap(self, code: str, day: int) -> Period | None:
        """The span of days around ``day`` in which ``code`` did not exist, or None when it existed.

        The span runs from the day after the previous period ended (None: from the beginning) to the
        day before the next one began (None: still not).
        """
        periods = self.periods.get(code)
        if not periods:
            return None
        before: int | None = None
        for lo, hi in periods:
            if (lo is None or lo <= day) and (hi is None or day <= hi):
                return None
            if hi is not None and hi < day:
                before = hi
            elif lo is not None and day < lo:
                return (_next_day(before), _previous_day(lo))
        return (_next_day(before), None)

    def began(self, code: str) -> int | None:
        """The first day of the state's first period (None: before any date asked about, or unknown)."""
        periods = self.periods.get(code)
        return periods[0][0] if periods else None


def _period(text: object) -> Period | None:
    if not isinstance(text, str) or "/" not in text:
        return None
    lo_text, _, hi_text = text.partition("/")
    lo = hi = None
    if lo_text != "..":
        b = bounds(lo_text)
        if b is None:
            return None
        lo = b[0]
    if hi_text != "..":
        b = bounds(hi_text)
        if b is None:
            return None
        hi = b[1]
    if lo is not None and hi is not None and hi < lo:
        return None
    return lo, hi


def _next_day(day: int | None) -> int | None:
    return None if day is None else day + 1  # a day past a month's end still sorts between the two


def _previous_day(day: int) -> int:
    return day - 1


@functools.cache
def _default() -> StateTable:
    text = resources.files("dyad.data").joinpath(STATES_FILE).read_text(encoding="utf-8")
    return StateTable.from_toml(text)
