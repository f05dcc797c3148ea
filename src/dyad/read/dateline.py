"""When a story was published: from its metadata, its dateline, or a date line near the top.

The order of trust, first found wins:

1. metadata (a JSON Lines record's ``date``/``published``, the HTML's publication date), read by
   :func:`metadata_date`, which raises ``ValueError`` for a value it cannot read (the caller reports it);
2. a dateline opening the story's first paragraphs: "WASHINGTON, March 3, 2024 (Reuters) –",
   "Aug. 26, 2008 - President Bush …", "May 24, 2002: Bush and Putin sign …". A dateline without a
   year ("WASHINGTON, March 3 (Reuters) –") or without a date ("MOSCOW (AP) —") gives no date;
3. a date line among the first lines: a short line that is mostly a date at day precision
   ("Monday, February 6, 2012", "Brussels, 28 February 2012", "15 Dec 2014 12:27 PM",
   "23/08/2010", "Published 21 January 2016"), else among the last lines (some sites close with
   "November 14, 2000, Ulan Bator").

Without any of these the story has no ``published`` date, and its relative dates ("on Tuesday") stay
unresolved rather than guessed. A numeric date whose day and month could be swapped ("05/06/2013") is
not read.
"""

from __future__ import annotations

import datetime
import email.utils
import re
from dataclasses import dataclass

from dyad.resolve.dates import find_dates, to_edtf

__all__ = ["Dateline", "dateline_at", "is_date_line", "metadata_date", "story_date"]

#: How many of a story's first lines are looked at for a dateline or a date line.
HEAD_LINES = 15
#: How many of its last lines are looked at for a date line.
TAIL_LINES = 5
#: A date line has at most this many words besides its date.
DATE_LINE_WORDS = 6

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DASH = r"(?:[-\u2013\u2014]+|:)"
# "WASHINGTON, March 3, 2024 (Reuters) –", "MOSCOW (AP) —", "KYIV, Ukraine (AP) —"
_PLACE_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’\- ]{{2,40}}(?:,\s*[A-Z][A-Za-z.'’\- ]{{1,30}})?)"
    rf"(?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    rf"\s*(?:\((?P<agency>[A-Za-z .&/-]{{1,40}})\))?\s*{_DASH}\s+(?=\S)"
)
# "Aug. 26, 2008 - President Bush …", "May 24, 2002: Bush and Putin …", "3 March 2024 — …"
_DATE_DATELINE = re.compile(
    rf"^(?P<date>(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})|(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}))\s*{_DASH}\s+(?=\S)"
)
_NUMERIC = re.compile(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?![\d/.])")
_ISO_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d(?:\s*[AaPp]\.?[Mm]\.?)?\b|\b(?:GMT|UTC|EST|EDT|BST|CET|CEST)\b")
_WEEKDAY = re.compile(
    r"\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b\.?", re.IGNORECASE
)
_LABEL = re.compile(r"\b(?:published|posted|updated|last updated|date|released?|on)\b:?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline at the start of a line: where the story proper begins, and its date (or None)."""

    end: int  # offset in the line where the text after the dateline starts
    date: str | None
    place: bool  # "WASHINGTON, … (Reuters) –" rather than "Aug. 26, 2008 -"


def dateline_at(line: str) -> Dateline | None:
    """The dateline that opens ``line``, or None."""
    m = _DATE_DATELINE.match(line)
    if m is not None:
        return Dateline(m.end(), to_edtf(m["date"]), place=False)
    m = _PLACE_DATELINE.match(line)
    if m is None or not (m["date"] or m["agency"]):
        return None
    city = m["place"].split(",")[0].strip()
    if city.upper() != city:  # "Washington, D.C. – Today …" is a place, not a dateline
        return None
    date = m["date"]
    edtf = to_edtf(date) if date and re.search(r"\d{4}$", date) else None
    return Dateline(m.end(), edtf, place=True)


def is_date_line(line: str) -> str | None:
    """The day a short date line gives ("Monday, February 6, 2012" -> "2012-02-06"), or None."""
    line = line.strip().strip("[]()|").strip()
    if not line or len(line) > 80 or line.endswith((".", "?", "!")) and not line.endswith(("a.m.", "p.m.")):
        return None
    numeric = _NUMERIC.search(line)
    found = [d for d in find_dates(line) if len(d.edtf) == 10 and d.role == "point"]
    day: str | None
    if found:
        day, rest = found[0].edtf, line[: found[0].start] + " " + line[found[0].end :]
    elif numeric:
        day = _numeric_day(numeric)
        rest = line[: numeric.start()] + " " + line[numeric.end() :]
    elif _ISO_DAY.match(line):
        day, rest = _iso(line[:10]), line[10:]
    else:
        return None
    if day is None:
        return None
    rest = _LABEL.sub(" ", _WEEKDAY.sub(" ", _TIME.sub(" ", rest)))
    words = [w for w in re.split(r"[\s,;|/\-–—]+", rest) if w]
    return day if len(words) <= DATE_LINE_WORDS else None


def story_date(lines: list[str]) -> str | None:
    """The publication day a story's lines give by dateline or date line (module doc), or None.

    ``lines`` are the story's non-blank lines, stripped, in order (headline first).
    """
    head = lines[:HEAD_LINES]
    for line in head:
        found = dateline_at(line)
        if found is not None and found.date:
            return found.date
    for line in head:
        day = is_date_line(line) or _updated(line)
        if day:
            return day
    for line in lines[-TAIL_LINES:]:
        day = is_date_line(line)
        if day:
            return day
    return None


def _updated(line: str) -> str | None:
    """ "[Updated November 28, 2003]" inside a longer line (a report's title)."""
    m = re.search(r"\b(?:Updated|Published|Posted)(?: on)?:?\s+([^\]\)|]{6,40})", line)
    if m is None:
        return None
    found = [d for d in find_dates(m[1]) if len(d.edtf) == 10 and d.start == 0]
    return found[0].edtf if found else None


def metadata_date(value: object) -> str | None:
    """A date given as metadata, as EDTF at its own precision; None when empty.

    Reads ISO 8601 ("2024-03-01", "2024-03-01T10:00:00Z", "2024-03"), e-mail and RSS dates
    ("Fri, 01 Mar 2024 10:00:00 GMT") and English dates ("1 March 2024", "March 2024"). Raises
    ``ValueError`` when the value is there but is none of these.
    """
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"the date {value!r} is a number, not a date")
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}(?:-\d\d)?", text):
        if len(text) == 7 and not 1 <= int(text[5:]) <= 12:
            raise ValueError(f"cannot read the date {text!r}")
        return text
    iso = _iso(text)
    if iso is not None:
        return iso
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date().isoformat()
    edtf = to_edtf(text)
    if edtf is not None and "X" not in edtf:
        return edtf.rstrip("~")
    raise ValueError(f"cannot read the date {text!r}; give an ISO date such as 2024-03-01")


def _iso(text: str) -> str | None:
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _numeric_day(m: re.Match[str]) -> str | None:
    """dd/mm/yyyy or mm/dd/yyyy when only one reading is a calendar date (or both agree)."""
    a, b, year = int(m[1]), int(m[3]), int(m[4])
    readings = set()
    for day, month in ((a, b), (b, a)):
        try:
            readings.add(datetime.date(year, month, day).isoformat())
        except ValueError:
            pass
    return readings.pop() if len(readings) == 1 else None
