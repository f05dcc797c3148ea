"""Date expressions in English prose, as EDTF (ISO 8601-2) strings at exactly the stated precision.

:func:`find_dates` returns the date phrases of a text as :class:`DateMention` objects; :func:`to_edtf`
converts one bare date phrase. Precision is never invented: "in 2012" is ``2012``, "June 1873" is
``1873-06``, "the 1990s" is ``199X``, "the 19th century" is ``18XX``, "around 2000" is ``2000~``.
Words that narrow a period without naming a unit ("early 2015", "mid-June 1873", "the late 1990s")
stay in the mention's text but not in its precision.

Decisions a caller should know:

- A bare number is a year only from 1000 to 2099 (earlier ones only when marked "AD"/"CE"), and only
  when it reads as one: not inside a grouped or decimal number ("5,607,300", "7797.7"), not after a
  currency or a label ("US$", "p.", "No.", "Resolution", "Agenda"), not before a unit or a counted
  noun ("1946 people", "2000 km"; "1500 French troops" too unless a preposition such as "in" leads).
- "the 1800s" is a century (``18XX``) for the 1000s to the 1900s; "the 2000s" is the decade ``200X``.
- An impossible calendar date ("31 February 1946") or range ("2021–2016") gives no mention rather
  than a guessed one; dates marked BC/BCE give none either.
- "around the 1990s" keeps the decade without ``~``: EDTF level 1 cannot qualify unspecified digits.
- Relative phrases ("that year", "two years later", "in September of that year") have role
  ``relative``, an empty ``edtf``, and ``offset``/``month``; :func:`resolve_relative` anchors them.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from dyad.edtf import component_key as edtf_sort_key  # the extractor compares its year prefix
from dyad.edtf import format_edtf, year_of

__all__ = [
    "DateMention",
    "edtf_sort_key",
    "find_dates",
    "format_edtf",
    "resolve_relative",
    "to_edtf",
    "year_of",
]

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_NUMBER = {name.lower(): i for i, name in enumerate(MONTHS, 1)}
_MONTH_NUMBER.update({name[:3].lower(): i for i, name in enumerate(MONTHS, 1)})
_MONTH_NUMBER["sept"] = 9
_ORDINAL_WORDS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth", "twenty-first",
)  # fmt: skip
_CENTURY_NUMBER = {word: i for i, word in enumerate(_ORDINAL_WORDS, 1)}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip

# The role a preposition gives the date after it; keys are lower case with single spaces.
PREPOSITION_ROLES = {
    "in": "point", "on": "point", "at": "point", "during": "point", "throughout": "point",
    "of": "point", "as of": "point", "as at": "point", "in the year": "point", "between": "point",
    "since": "since", "ever since": "since", "from": "since", "as from": "since", "starting": "since",
    "starting in": "since", "starting from": "since", "starting on": "since", "beginning in": "since",
    "until": "until", "till": "until", "til": "until", "up to": "until", "up until": "until",
    "by": "by", "no later than": "by", "not later than": "by",
    "before": "before", "prior to": "before", "pre-": "before",
    "after": "after", "following": "after", "post-": "after",
}  # fmt: skip
_APPROX_WORDS = ("some time around", "sometime around", "approximately", "approx.", "around", "about",
                 "circa", "roughly", "ca.", "c.")  # fmt: skip
# After these a bare number that looks like a year is a label, a price or a quantity.
_LABELS = (
    "resolution", "resolutions", "no.", "nos.", "number", "agenda", "vision", "horizon", "flight", "route",
    "highway", "article", "art.", "chapter", "section", "ISO", "ISBN", "law", "decree", "directive",
    "regulation", "page", "pages", "p.", "pp.", "vol.", "volume", "model", "type", "class", "Boeing",
    "Airbus", "code", "level", "more than", "less than", "fewer than", "nearly", "almost", "over", "some",
    "total of", "number of", "population of", "sum of", "amount of", "average of", "maximum of",
    "minimum of", "height of", "altitude of", "length of", "area of", "estimated", "numbering", "US$",
    "USD", "EUR", "GBP",
)  # fmt: skip
_UNITS = (
    "km2", "km²", "km", "sq", "square", "mi", "mile", "miles", "m", "metres", "meters", "ft", "feet", "kg",
    "t", "tons", "tonnes", "ha", "hectares", "acres", "MW", "GW", "kW", "kWh", "bbl", "barrels", "%",
    "percent", "per cent", "million", "billion", "trillion", "thousand", "hundred", "dollars", "euros",
    "francs", "pounds", "USD", "EUR", "yen", "yuan", "rupees", "hours", "hrs", "GMT", "UTC", "years",
    "times",
)  # fmt: skip
_COUNTED = (
    "people", "persons", "individuals", "inhabitants", "residents", "citizens", "nationals", "troops",
    "soldiers", "personnel", "officers", "police", "policemen", "refugees", "migrants", "immigrants",
    "emigrants", "asylum seekers", "asylum-seekers", "workers", "students", "tourists", "visitors",
    "pilgrims", "prisoners", "detainees", "hostages", "deaths", "dead", "killed", "casualties", "victims",
    "wounded", "injured", "men", "women", "children", "families", "households", "members", "delegates",
    "employees", "staff", "jobs", "companies", "firms", "projects", "vessels", "ships", "boats", "aircraft",
    "planes", "jets", "tanks", "vehicles", "guns", "rifles", "weapons", "missiles", "units", "houses",
    "homes", "buildings", "schools", "books", "copies", "items", "votes", "seats", "cases", "of them",
    "of whom", "of which", "of these", "of those",
)  # fmt: skip
# Roles in which a number followed by "<word> <counted noun>" is more likely a count than a year.
_WEAK_ROLES = frozenset({"", "by", "until", "approx"})
MAX_PREFIX = 64  # characters: longer than any run of words that can precede a phrase's anchor

# --- patterns -----------------------------------------------------------------------------------
# Written for Python's regex engine: alternatives start with a literal or a character class (never
# an inline (?i:...)) so that a failing branch costs one comparison; word lists become tries.
_S = r"[ \t\u00a0\u2009\u202f]"  # a space, including the no-break and thin spaces
_SP = _S + "+"
_OSP = _S + "*"
_DASH = rf"{_OSP}(?:[\u2013\u2014\u2212]|--?){_OSP}"


def _words(words: tuple[str, ...] | list[str], *, reverse: bool = False) -> str:
    """An alternation matching any of ``words`` (capitalised or not), as a trie; spaces match any run."""
    tree: dict = {}
    for word in words:
        for variant in {word, word[0].upper() + word[1:]}:
            node = tree
            for char in reversed(variant) if reverse else variant:
                node = node.setdefault(char, {})
            node[""] = {}

    def emit(node: dict) -> str:
        branches = [(_SP if c == " " else re.escape(c)) + emit(child) for c, child in node.items() if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return "(?:" + emit(tree) + ")"


_THE = rf"[Tt]he{_SP}"
_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
_MONTH = rf"{_words([*MONTHS, *_MONTH_ABBREVIATIONS])}\.?(?![A-Za-z])"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d\w])"
_BC = rf"(?!(?:{_DASH}\d{{1,4}})?{_OSP}(?:BCE?\b|B\.C\.))"
_ERA = rf"{_SP}(?:AD|CE|A\.D\.)(?![\w])"
# 1000-2099, or an earlier year marked as AD or CE ("106 AD", "271–275 AD"); never part of a bigger
# number, a decimal or a code.
_YEAR_TAIL = (
    rf"(?:1\d{{3}}|20\d{{2}}|[1-9]\d{{0,2}}(?=(?:{_DASH}\d{{1,4}})?{_ERA}))(?![\d\w])(?![.,]\d)"
    rf"{_BC}(?:{_ERA})?"
)
_YEAR_AFTER_DASH = r"(?=\d)(?<![\w/$£€¥#§])(?<!\d[.,])" + _YEAR_TAIL
# A year that starts a phrase must not be the second half of a number range such as "pp. 1946-1950".
_YEAR = r"(?=\d)(?<![\w/$£€¥#§])(?<!\d[.,])(?<!\d[-\u2013\u2014])(?<!\d [-\u2013\u2014] )" + _YEAR_TAIL
_NARROW = rf"(?:[Ee]arly|[Mm]id(?:dle)?|[Ll]ate){_OSP}-?{_OSP}"
_PARTS = ("end", "beginning", "start", "middle", "turn", "first half", "second half")
_PART_OF = rf"(?:{_THE})?{_words(_PARTS)}{_SP}of{_SP}"
_SEASON = rf"(?:{_THE})?{_words(['spring', 'summer', 'autumn', 'fall', 'winter'])}(?:{_SP}of)?{_SP}"
_ORDINAL = rf"(?:1\d|2[01]|[1-9])(?:st|nd|rd|th)|{_words(_ORDINAL_WORDS)}"
_PRESENT = rf"(?:(?:{_THE})?[Pp]resent(?:{_SP}day)?|[Tt]oday|[Nn]ow|[Dd]ate)(?![\w])"


def _date_pattern(year: str) -> str:
    """One date: the alternatives that :func:`_date_edtf` reads, the most frequent first."""
    return (
        rf"(?:{_NARROW}|{_PART_OF}|{_SEASON})?(?P<yr>{year})(?!-\d\d-)"
        rf"|(?:{_THE})?(?P<dmy_d>{_DAY})(?:{_SP}of)?{_SP}(?P<dmy_m>{_MONTH}),?{_SP}(?P<dmy_y>{year})"
        rf"|(?P<mdy_m>{_MONTH}){_SP}(?P<mdy_d>{_DAY}),?{_SP}(?P<mdy_y>{year})"
        rf"|(?:{_NARROW}|{_PART_OF})?(?P<my_m>{_MONTH})(?:{_SP}of)?,?{_SP}(?P<my_y>{year})"
        rf"|(?:{_THE})?(?:{_NARROW})?(?P<dec>(?:1\d|20)\d0)['’]?s(?![\w])"
        rf"|(?:{_THE})?(?:{_NARROW}|{_PART_OF}{_THE})?(?P<cent>{_ORDINAL})[- ][Cc]entury(?![\w]){_BC}"
        rf"|(?P<iso_y>{year})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-3]\d)(?![\d\w])"
    )


def _unnamed(pattern: str) -> str:
    """``pattern`` without its named groups: captures are costly in a pattern tried this often."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_RELATIVE = (
    rf"(?:(?:[Ll]ater|[Ee]arlier){_SP})?(?:(?P<rel_m>{_MONTH})(?:{_SP}of)?{_SP})?"
    rf"(?:(?P<rel_same>(?:[Tt]hat(?:{_SP}same)?|{_THE}same){_SP}year)"
    rf"|(?P<rel_next>{_THE}(?:following|next|subsequent){_SP}year)"
    rf"|(?P<rel_prev>{_THE}(?:previous|preceding|prior){_SP}year)"
    rf"|(?P<rel_n>{_words(list(_NUMBER_WORDS))}|\d{{1,2}}){_SP}years?{_SP}(?P<rel_dir>later|afterwards?|earlier))"
    r"(?![\w])"
)
# Ranges whose first date borrows from the second: "1–3 June 1946", "March–June 1946", centuries.
_SHORT_RANGE = (
    rf"(?:(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY}){_SP}(?P<m>{_MONTH})"
    rf"|(?P<m_>{_MONTH}){_SP}(?P<d1_>{_DAY}){_DASH}(?P<d2_>{_DAY})"
    rf"|(?P<m1>{_MONTH}){_DASH}(?P<m2>{_MONTH})"
    rf"|(?P<dd1>{_DAY}){_SP}(?P<mm1>{_MONTH}){_DASH}(?P<dd2>{_DAY}){_SP}(?P<mm2>{_MONTH})"
    rf"|(?P<mm1_>{_MONTH}){_SP}(?P<dd1_>{_DAY}){_DASH}(?P<mm2_>{_MONTH}){_SP}(?P<dd2_>{_DAY}))"
    rf",?{_SP}(?P<sy>{_YEAR})"
    rf"|(?:{_THE})?(?:{_NARROW})?(?P<c1>{_ORDINAL})(?:{_SP}(?:and|to|or){_SP}|{_DASH})"
    rf"(?:{_THE})?(?:{_NARROW})?(?P<c2>{_ORDINAL})[- ]centuries(?![\w]){_BC}"
)
_RANGE_END = (
    rf"(?(btw){_SP}and{_SP}|(?:{_DASH}|{_SP}(?:to|until|till|through){_SP}))"
    rf"(?:(?P<b>{_unnamed(_date_pattern(_YEAR_AFTER_DASH))})|(?P<b_now>{_PRESENT}))"
    rf"|{_DASH}(?:(?P<b_yy>\d\d)(?![\d\w])|(?P<b_open>(?={_OSP}\))))"
)
_PREP = _words([p for p in PREPOSITION_ROLES if p != "between"])
_APPROX = rf"{_words(_APPROX_WORDS)}(?:{_SP}|(?<=\.))"
# The phrase pattern only finds the extent and the parts of a phrase; the patterns after it,
# matched where it found each part, read the part.
_PHRASE_RE = re.compile(
    rf"(?<![\w])(?:(?P<pre>{_PREP}|(?P<btw>[Bb]etween))(?:{_SP}|(?<=-)))?(?P<approx>{_APPROX})?"
    rf"(?:(?P<a>{_unnamed(_date_pattern(_YEAR))})(?:{_RANGE_END})?"
    rf"|(?P<short>{_unnamed(_SHORT_RANGE)})|(?P<rel>{_unnamed(_RELATIVE)}))"
)
_PHRASE_GROUPS = ("pre", "btw", "approx", "a", "b", "b_now", "b_yy", "b_open", "short", "rel")
assert tuple(_PHRASE_RE.groupindex) == _PHRASE_GROUPS, "_mention unpacks the groups in this order"
_START_DATE_RE = re.compile(_date_pattern(_YEAR))
_END_DATE_RE = re.compile(_date_pattern(_YEAR_AFTER_DASH))
_SHORT_RANGE_RE = re.compile(_SHORT_RANGE)
_RELATIVE_RE = re.compile(_RELATIVE)
_DATE_RE = re.compile(rf"(?P<approx>{_APPROX})?(?:{_date_pattern(_YEAR)})")

# find_dates does not try the phrase pattern at every position, which would be slow: it finds the
# anchors every phrase contains (a year, "century", "year"), reads back over the words that may begin
# a phrase (a match on the reversed text), and tries the phrase pattern at those word starts only.
_NUMBER_ANCHOR_RE = re.compile(
    r"[1-9](?<!\d\d)(?:(?<=[12])\d{3}(?!\d)"
    rf"|\d{{0,2}}(?=[ \u00a0\u2013\u2014-])(?=(?:{_DASH}\d{{1,4}})?{_ERA}))"
)
_WORD_ANCHOR_RE = re.compile(r"e(?:ar|ntur)")  # in "year", "century": a literal start is found fast
_PREFIX_WORDS = (
    *{w.rstrip("-") for p in PREPOSITION_ROLES for w in p.split()}, *_APPROX_WORDS, *_PARTS, "some",
    "time", "sometime", "the", "of", "and", "or", "to", "early", "mid", "late", "half", "spring", "summer",
    "autumn", "fall", "winter", "that", "same", "following", "next", "subsequent", "previous", "preceding",
    "prior", "later", "earlier", *_NUMBER_WORDS, *_ORDINAL_WORDS, *MONTHS, *_MONTH_ABBREVIATIONS, "year",
)  # fmt: skip
_PREFIX_REVERSED_RE = re.compile(
    rf"(?:{_words(_PREFIX_WORDS, reverse=True)}(?![\w])|[\s,.\u2013\u2014-]|(?:ht|ts|dn|dr)?\d{{1,2}}(?!\d))*"
)
_WORD_START_RE = re.compile(r"\b\w")
# A label, or a determiner that makes the number an adjective ("the 1948 refugees", "Guyana's 1990 bid").
_BEFORE_RE = re.compile(
    rf"(?:(?<![\w])(?:(?P<label>{_words(_LABELS)})|{_words(['the', 'its', 'his', 'her', 'their', 'this'])})"
    rf"|(?<=\w)['’]s){_OSP}\Z"
)
# A unit or a counted noun after the number, perhaps after one word ("1500 French troops").
_COUNT_AFTER_RE = re.compile(
    rf"{_OSP}(?P<gap>[A-Za-z][\w-]*{_SP})?(?:(?P<unit>{_words(_UNITS)})|{_words(_COUNTED)})(?![\w])"
)
_NUMBER_AROUND_RE = re.compile(rf"{_SP}\d|[-\u2013]\d")


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date phrase in a text.

    ``text == source[start:end]`` and includes the preposition ("since 1992"). ``edtf`` is empty for
    role ``relative``, whose ``offset`` (years after the previous date) and ``month`` say what it means.
    A date that counts from a story's day (:mod:`dyad.resolve.relative`) also has a ``unit`` (and a
    ``day``: the weekday, or the day of the month).
    """

    start: int
    end: int
    text: str
    edtf: str
    role: str  # point | since | until | by | before | after | range | relative
    end_edtf: str | None = None
    offset: int | None = None
    month: int | None = None
    unit: str | None = None
    day: int | None = None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every date phrase in ``text[start:end]``, left to right, non-overlapping, longest first.

    Offsets are into ``text`` itself. A phrase cut by ``end`` (or by the end of the text) is not
    returned in part; text before ``start`` is read only to judge the context of the first phrase.
    """
    stop = len(text) if end is None else min(end, len(text))
    anchors = _anchors(text, start, stop)
    if not anchors:
        return []
    reversed_text = text[start:stop][::-1]
    mentions: list[DateMention] = []
    done = start  # end of the last phrase: phrases do not overlap
    for at in anchors:
        if at < done:
            continue
        m = _phrase_over(text, reversed_text, at, done, stop)
        if m is not None:
            done = m.end()
            mention = _mention(m, text, stop)
            if mention is not None:
                mentions.append(mention)
    return mentions


def _phrase_over(text: str, reversed_text: str, at: int, done: int, stop: int) -> re.Match[str] | None:
    """The longest phrase that covers the anchor at ``at`` and starts at or after ``done``."""
    back = stop - at  # the same place in reversed_text, which is text[start:stop] reversed
    prefix = _PREFIX_REVERSED_RE.match(reversed_text, back, back + min(MAX_PREFIX, at - done))
    assert prefix is not None  # the prefix pattern matches the empty string at least
    first = at + back - prefix.end()
    starts = (at,) if first == at else (w.start() for w in _WORD_START_RE.finditer(text, first, at + 1))
    for word in starts:
        m = _PHRASE_RE.match(text, word, stop)
        if m is not None and m.end() > at:
            return m
    return None


def _anchors(text: str, start: int, stop: int) -> list[int]:
    """Where the years, "century" and "year" words of ``text[start:stop]`` start, in order."""
    found = [m.start() for m in _NUMBER_ANCHOR_RE.finditer(text, start, stop)]
    words = [
        m.start() - 1
        for m in _WORD_ANCHOR_RE.finditer(text, start + 1, stop)
        if text[m.start() - 1] in "CcYy"
    ]
    return sorted(found + words) if words else found


def to_edtf(phrase: str) -> str | None:
    """The EDTF of a bare date phrase ("20 March 1946" -> "1946-03-20"), or None if it is not one."""
    m = _DATE_RE.fullmatch(phrase.strip())
    if m is None:
        return None
    edtf = _date_edtf(m)
    if edtf is not None and m["approx"]:
        edtf = _approximate(edtf)
    return edtf


def resolve_relative(mention: DateMention, anchor_edtf: str) -> str:
    """The EDTF a relative mention stands for, given the last explicit date before it.

    "in September of that year" after ``1993-12-30`` is ``1993-09``; "the following year" after ``1993``
    is ``1994``. Returns ``''`` when the anchor has no exact year (``199X``) or the mention is not relative.
    A mention with a ``unit`` counts from a story's day instead: ``anchor_edtf`` is the story's
    ``published`` date (:func:`dyad.resolve.relative.resolve_news`).
    """
    if mention.unit is not None:
        from dyad.resolve.relative import resolve_news

        return resolve_news(mention, anchor_edtf) if mention.role == "relative" else ""
    m = re.fullmatch(r"(\d{4})(?:-\d\d){0,2}(~?)", anchor_edtf)
    if mention.role != "relative" or mention.offset is None or m is None:
        return ""
    year = int(m[1]) + mention.offset
    edtf = f"{year:04d}" if mention.month is None else f"{year:04d}-{mention.month:02d}"
    return edtf + m[2]


# --- from a phrase match to mentions --------------------------------------------------------------


def _mention(m: re.Match[str], text: str, stop: int) -> DateMention | None:
    """The mention a phrase match stands for, or None if it proves not to be a date."""
    pre, between, approx, a_text, b_text, b_now, b_yy, b_open, short, rel = m.groups()
    if rel is not None:
        relative = _RELATIVE_RE.match(text, m.start("rel"), stop)
        assert relative is not None  # the phrase matched this group's pattern
        return _relative(m, relative)
    if short is not None:
        short_range = _SHORT_RANGE_RE.match(text, m.start("short"), stop)
        assert short_range is not None  # the phrase matched this group's pattern
        return _short_range(m, short_range)
    a_edtf, a_bare = _date_at(_START_DATE_RE, a_text, text, m.start("a"), stop)
    if a_edtf is None:
        return None
    if approx:
        a_edtf = _approximate(a_edtf)
    role = _role(pre) if pre else "point"
    start, end = m.span()
    end_edtf = None
    b_bare = True
    if b_text is not None or b_yy is not None:
        if b_text is not None:
            end_edtf, b_bare = _date_at(_END_DATE_RE, b_text, text, m.start("b"), stop)
        end_edtf = _end_edtf(a_edtf, end_edtf, b_yy)
        if end_edtf is None:
            return None
        role = "range"
    elif b_now is not None or b_open is not None:
        role = "since"
    elif between:  # "between 1834 and the early decades of ...": only the year is a date
        start = m.start("approx") if approx else m.start("a")
    if a_bare and b_bare:
        if _reads_as_label_or_count(text, m, stop, "approx" if approx else role if pre else ""):
            return None
    return DateMention(start, end, text[start:end], a_edtf, role, end_edtf)


def _date_at(pattern: re.Pattern[str], found: str, text: str, at: int, stop: int) -> tuple[str | None, bool]:
    """The EDTF of a date the phrase pattern found at ``at``, and whether it is a bare number."""
    if found.isdigit():  # most dates are a bare year: skip the second match
        return _year(found), True
    m = pattern.match(text, at, stop)
    assert m is not None  # the phrase pattern found a date here
    return _date_edtf(m), m.lastgroup == "yr" and m.start("yr") == at


@functools.lru_cache(maxsize=256)
def _role(preposition: str) -> str:
    return PREPOSITION_ROLES.get(" ".join(preposition.lower().split()), "point")


def _relative(phrase: re.Match[str], m: re.Match[str]) -> DateMention:
    if m["rel_same"]:
        offset = 0
    elif m["rel_next"]:
        offset = 1
    elif m["rel_prev"]:
        offset = -1
    else:
        n = m["rel_n"].lower()
        offset = int(n) if n.isdigit() else _NUMBER_WORDS[n]
        if m["rel_dir"] == "earlier":
            offset = -offset
    month = _month_number(m["rel_m"]) if m["rel_m"] else None
    start, end = phrase.span()
    return DateMention(start, end, phrase[0], "", "relative", offset=offset, month=month)


def _short_range(phrase: re.Match[str], m: re.Match[str]) -> DateMention | None:
    """A range whose first date borrows from its second: "1–3 June 1946", "March–June 1946", centuries."""
    first: str | None
    last: str | None
    if m["c1"]:
        first, last = _century_edtf(m["c1"]), _century_edtf(m["c2"])
    else:
        year = _year(m["sy"])
        if m["m1"]:
            first, last = _ymd(year, m["m1"]), _ymd(year, m["m2"])
        else:
            m1 = m["m"] or m["m_"] or m["mm1"] or m["mm1_"]
            m2 = m["m"] or m["m_"] or m["mm2"] or m["mm2_"]
            first = _ymd(year, m1, m["d1"] or m["d1_"] or m["dd1"] or m["dd1_"])
            last = _ymd(year, m2, m["d2"] or m["d2_"] or m["dd2"] or m["dd2_"])
    if first is None or last is None or edtf_sort_key(last) <= edtf_sort_key(first):
        return None
    return DateMention(phrase.start(), phrase.end(), phrase[0], first, "range", last)


def _date_edtf(m: re.Match[str]) -> str | None:
    """The EDTF of a date match, or None for an impossible calendar date."""
    kind = m.lastgroup  # the last group of each alternative names it
    if kind == "yr":
        return _year(m["yr"])
    if kind == "dmy_y":
        return _ymd(_year(m["dmy_y"]), m["dmy_m"], m["dmy_d"])
    if kind == "mdy_y":
        return _ymd(_year(m["mdy_y"]), m["mdy_m"], m["mdy_d"])
    if kind == "my_y":
        return _ymd(_year(m["my_y"]), m["my_m"])
    if kind == "dec":
        decade = _year(m["dec"])
        if decade.endswith("00") and not decade.startswith("20"):
            return decade[:2] + "XX"  # "the 1800s" is the 19th century
        return decade[:3] + "X"
    if kind == "cent":
        return _century_edtf(m["cent"])
    return _ymd(_year(m["iso_y"]), m["iso_m"], m["iso_d"])


def _end_edtf(a_edtf: str, end_edtf: str | None, yy: str | None) -> str | None:
    """The end of a range, or None when it is no date or does not lie after the start."""
    if yy is not None:  # "2008–09", "1991–99"
        if not a_edtf[:4].isdigit():
            return None
        first = int(a_edtf[:4])
        year = first // 100 * 100 + int(yy)
        if year <= first:
            year += 100
        if year - first > 30:
            return None
        end_edtf = f"{year:04d}"
    elif end_edtf is None:
        return None
    if edtf_sort_key(end_edtf) <= edtf_sort_key(a_edtf.rstrip("~")):
        return None
    return end_edtf


def _reads_as_label_or_count(text: str, m: re.Match[str], stop: int, role: str) -> bool:
    """Whether a bare number that looks like a year is something else ("No. 1946", "2000 km")."""
    after, begin = m.end(), m.start("a")
    # "of" leads years ("the war of 1971") and quantities ("a total of 2000"): the label decides
    quiet = m["approx"] or (m["pre"] and m["pre"] not in ("of", "Of"))
    before = None if quiet else _BEFORE_RE.search(text, max(0, begin - 18), begin)
    if before is not None and before["label"]:
        return True
    count = _COUNT_AFTER_RE.match(text, after, stop)
    if count is not None and (count["gap"] is None or role in _WEAK_ROLES):
        # "the 1948 refugees" are the refugees of 1948; "its 1500 troops" are round, so counted
        if count["unit"] or before is None or m["a"].endswith("00"):
            return True
    if not role and m["b"] is None:  # "1946-3", "+32 2 1946 5678": part of a code or a phone number
        if _NUMBER_AROUND_RE.match(text, after, stop) or (begin >= 2 and text[begin - 2].isdigit()):
            return True
    return False


def _year(written: str) -> str:
    """A year as EDTF writes it: four digits, without an era ("106 AD" -> "0106")."""
    if len(written) == 4 and written.isascii():
        return written
    return f"{int(written.split()[0]):04d}"  # also turns other decimal digits into ASCII ones


def _ymd(year: str, month: str, day: str | None = None) -> str | None:
    number = _month_number(month)
    if day is None:
        return f"{year}-{number:02d}"
    try:
        date = datetime.date(int(year), number, int(day.rstrip("stndrh")))
    except ValueError:
        return None
    return date.isoformat()


def _month_number(name: str) -> int:
    if name.isdigit():
        return int(name)
    name = name.rstrip(".").lower()
    return _MONTH_NUMBER.get(name) or _MONTH_NUMBER[name[:3]]


def _century_edtf(ordinal: str) -> str:
    ordinal = ordinal.lower()
    n = _CENTURY_NUMBER.get(ordinal) or int(ordinal.rstrip("stndrh"))
    return f"{n - 1:02d}XX"


def _approximate(edtf: str) -> str:
    return edtf if "X" in edtf else edtf + "~"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
