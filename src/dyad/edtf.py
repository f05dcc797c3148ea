"""Dates in EDTF (ISO 8601-2), in one place: read, bound, order, compare at mixed precision, write in English.

Every part of dyad that reads or compares a date goes through this module: the store (its time
columns), the query module (what held on a date), the renderers, the extractor's merging. A date is
kept as the EDTF string the source gives (``1946-03-20``, ``2012``, ``200X``, ``2000~``) and compared
through its **bounds**, the first and last day it can stand for, as ``yyyymmdd`` integers.

    >>> bounds("2011-03")
    (20110301, 20110331)
    >>> happened_by("2012", "2012-06")        # a change in 2012 has happened "by" June 2012
    True
    >>> sorted(["2000", "200X", "1999-12"], key=sort_key)
    ['1999-12', '200X', '2000']

The forms dyad writes (a year, month or day; unspecified trailing year digits ``199X``/``19XX``; the
qualifiers ``~ ? %``) and intervals of them are read here, fast: a date is bounded on every read of a
pair. Every other form of EDTF levels 0-2 (seasons, sets, unspecified months or days …) is read by the
``edtf`` package (MIT, the Library of Congress EDTF grammar), which is too slow for the common forms
(milliseconds a string against microseconds) but exact for the rare ones.

**Mixed precision.** Two dates are compared at the coarser of their precisions: an event dated ``2012``
has happened by ``2012-06`` and by ``2012``, but not by ``2011-12``. In bounds: ``x`` happened by ``at``
when ``first(x) <= last(at)``.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date

__all__ = [
    "MONTHS",
    "Bounds",
    "bounds",
    "component_key",
    "format_edtf",
    "happened_by",
    "is_edtf",
    "precision_days",
    "sort_key",
    "today",
    "year_of",
]

Bounds = tuple[int, int]

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# A year (trailing digits may be unspecified: 199X, 19XX), then a month, then a day; one qualifier.
_SIMPLE = re.compile(
    r"(?P<year>\d{4}|\d{3}X|\d{2}XX)(?:(?<=\d{4})-(?P<month>0[1-9]|1[0-2])(?:-(?P<day>[0-3]\d))?)?"
    r"(?P<qualifier>[~?%])?"
)
_CACHE = 1 << 14  # distinct date strings kept bounded; a knowledge base has far fewer


@functools.lru_cache(maxsize=_CACHE)
def bounds(edtf: str | None) -> Bounds | None:
    """The first and last day ``edtf`` can stand for, as ``yyyymmdd`` integers; None if it is not EDTF.

    ``2012`` is (20120101, 20121231), ``2011-03`` (20110301, 20110331), ``200X`` (20000101, 20091231);
    qualifiers (``~ ? %``) do not widen a date; an interval ``A/B`` spans from the start of A to the end
    of B (an open or unknown side makes it unreadable: it has no last day).
    """
    if not edtf:
        return None
    text = edtf.strip()
    m = _SIMPLE.fullmatch(text)
    if m is not None:
        return _simple_bounds(m)
    if "/" in text:
        lo, _, hi = text.partition("/")
        first, last = bounds(lo), bounds(hi)
        return (first[0], last[1]) if first and last and first[0] <= last[1] else None
    return _package_bounds(text)


def _simple_bounds(m: re.Match[str]) -> Bounds | None:
    year, month, day = m["year"], m["month"], m["day"]
    y_lo, y_hi = int(year.replace("X", "0")), int(year.replace("X", "9"))
    if month is None:
        return y_lo * 10000 + 101, y_hi * 10000 + 1231
    mo = int(month)
    last_day = calendar.monthrange(y_lo, mo)[1]
    if day is None:
        return y_lo * 10000 + mo * 100 + 1, y_lo * 10000 + mo * 100 + last_day
    d = int(day)
    if not 1 <= d <= last_day:
        return None
    return (y_lo * 10000 + mo * 100 + d,) * 2


def _package_bounds(text: str) -> Bounds | None:
    """Bounds of the EDTF forms dyad does not write, read by the ``edtf`` package (imported when needed)."""
    try:
        from edtf import parse_edtf
        from edtf.parser.edtf_exceptions import EDTFParseException
    except ImportError:  # pragma: no cover - a dependency of the project
        return None
    try:
        parsed = parse_edtf(text)
        lo, hi = parsed.lower_strict(), parsed.upper_strict()
        first = lo.tm_year * 10000 + lo.tm_mon * 100 + lo.tm_mday
        last = hi.tm_year * 10000 + hi.tm_mon * 100 + hi.tm_mday
    except (EDTFParseException, TypeError, ValueError, AttributeError, OverflowError):
        return None  # not EDTF, or open-ended ("1946/..")
    return (first, last) if first <= last else None


def is_edtf(text: str | None) -> bool:
    """Whether ``text`` is an EDTF date dyad can bound."""
    return bounds(text) is not None


def happened_by(edtf: str | None, at: str) -> bool:
    """Whether something dated ``edtf`` has happened by ``at``, compared at the coarser precision.

    False for an unreadable or missing date (it says nothing about when).
    """
    b, a = bounds(edtf), bounds(at)
    return b is not None and a is not None and b[0] <= a[1]


def precision_days(edtf: str | None) -> int | None:
    """How many days a date can stand for (1 for a day, 28-31 for a month …); None if unreadable."""
    b = bounds(edtf)
    if b is None:
        return None
    lo, hi = b
    return (_ordinal(hi) - _ordinal(lo)) + 1


def _ordinal(day: int) -> int:
    return date(day // 10000, day // 100 % 100, day % 100).toordinal() if day > 10000 else day


def sort_key(edtf: str) -> tuple[int, int, int]:
    """A key that orders EDTF dates in time; of two that start together, the wider first, the exact
    before the approximate: '19XX' < '199X' < '1990' < '1990~' < '1990-03' < '1990-03-20'.

    Raises ValueError for a string that is not EDTF.
    """
    b = bounds(edtf)
    if b is None:
        raise ValueError(f"not an EDTF date: {edtf!r}")
    return b[0], -b[1], 1 if edtf.rstrip()[-1:] in "~?%" else 0


def component_key(edtf: str) -> tuple[int, int, int, int, int]:
    """The components of a date dyad writes, in order: (year, month, day, -unspecified year digits,
    approximate), 0 for a missing month or day: '199X' -> (1990, 0, 0, -1, 0). For callers that compare
    a prefix of it (the year alone: ``component_key(a)[:1]``). Raises ValueError for other EDTF forms.
    """
    m = _SIMPLE.fullmatch(edtf)
    if m is None:
        raise ValueError(f"not an EDTF date dyad writes: {edtf!r}")
    year = m["year"]
    return (int(year.replace("X", "0")), int(m["month"] or 0), int(m["day"] or 0), -year.count("X"),
            1 if m["qualifier"] else 0)  # fmt: skip


def year_of(edtf: str | None) -> int | None:
    """The first year an EDTF date can mean ('200X' -> 2000, '1946-03-20' -> 1946), or None."""
    b = bounds(edtf)
    return None if b is None else b[0] // 10000


def today() -> str:
    """Today's date as EDTF (``2026-12-08``): what a question without a date asks about."""
    return date.today().isoformat()


def format_edtf(edtf: str) -> str:
    """An EDTF date in plain English.

    '1946-03-20' -> '20 March 1946', '1873-06' -> 'June 1873', '2012' -> '2012', '199X' -> 'the 1990s',
    '18XX' -> 'the 19th century', '2000~' -> 'about 2000'; other EDTF forms are written as they are.
    Raises ValueError for a string that is not EDTF.
    """
    m = _SIMPLE.fullmatch(edtf)
    if m is None:
        if bounds(edtf) is None:
            raise ValueError(f"not an EDTF date: {edtf!r}")
        return edtf
    year, month, day = m["year"], m["month"], m["day"]
    if year.endswith("XX"):
        words = f"the {_ordinal_word(int(year[:2]) + 1)} century"
    elif year.endswith("X"):
        words = f"the {int(year[:3]) * 10}s"
    else:
        words = " ".join(
            ([str(int(day))] if day else []) + ([MONTHS[int(month) - 1]] if month else []) + [str(int(year))]
        )
    return {"~": f"about {words}", "?": f"possibly {words}", "%": f"about {words}, possibly"}.get(
        m["qualifier"] or "", words
    )


def _ordinal_word(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
