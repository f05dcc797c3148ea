"""Dates that news writes relative to its own day: "on Tuesday", "last month", "earlier this year".

:func:`find_news_dates` finds them as :class:`~dyad.resolve.dates.DateMention` objects of role
``relative`` whose ``unit`` says what they count; :func:`resolve_news` turns one into EDTF against the
story's ``published`` date. The forms and what they mean, for a story published on Wednesday
2024-03-06:

=====================================  ==========================  ======================================
phrase                                 unit                        resolves to
=====================================  ==========================  ======================================
today, tonight / yesterday / tomorrow  ``day`` (offset 0/-1/+1)    2024-03-06 / 2024-03-05 / 2024-03-07
(on / last / next) Tuesday             ``weekday``                 2024-03-05; "next Tuesday" 2024-03-12
this / last / next week                ``week``                    the month (or year) the week lies in
this / last / next month               ``month``                   2024-03 / 2024-02 / 2024-04
this / last / next year                ``year``                    2024 / 2023 / 2025
in March, last March, in early June    ``monthname``               the nearest such month: 2024-03, 2023-06
(on) March 3, 3 March                  ``monthday``                the nearest such day: 2024-03-03
=====================================  ==========================  ======================================

"earlier"/"later" before "this week/month/year" keep the period. A weekday alone is the last such day
on or before the story's day (news reports what happened), unless the words before it in its sentence
say it is to come ("will", "is due", "scheduled", "next"); a month or day without a year is the nearest
one to the story's day, before or after. Precision is never invented: a week that spans two months
gives the year (or nothing when it spans two years), and a phrase needs an anchor at the precision it
counts in (a weekday needs the story's day).
"""

from __future__ import annotations

import datetime
import re

from dyad.resolve.dates import MONTHS, DateMention

__all__ = ["find_news_dates", "resolve_news", "with_news_dates"]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: How far back in its sentence a weekday looks for words that put it in the future (characters).
FUTURE_LOOKBACK = 60

_MONTH_ABBR = r"Jan\.?|Feb\.?|Mar\.|Apr\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
_MONTH_NAME = "|".join(MONTHS)
_ANY_MONTH = rf"(?:{_MONTH_NAME}|{_MONTH_ABBR})"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NO_YEAR = r"(?![\w-])(?!,?\s*\d{4})(?!\s*[-–]\s*\d)"
_NEWS_RE = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<day>[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow|[Tt]his (?:morning|afternoon|evening))"
    r"|(?P<period>(?:(?:[Ee]arlier|[Ll]ater) )?(?:[Tt]his|[Ll]ast|[Nn]ext) (?P<unit>week|month|year))"
    rf"|(?:(?P<wdir>[Ll]ast|[Nn]ext|[Tt]his(?: coming)?|[Oo]n) )?(?P<wd>{'|'.join(WEEKDAYS)})(?![\w-])"
    rf"|(?:(?P<mdir>[Ll]ast|[Nn]ext|[Oo]n) )?(?P<md_m>{_ANY_MONTH}) (?P<md_d>{_DAY}){_NO_YEAR}"
    rf"|(?:[Oo]n )?(?:the )?(?P<dm_d>{_DAY}) (?:of )?(?P<dm_m>{_MONTH_NAME}){_NO_YEAR}"
    rf"|(?P<mprep>(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Ll]ast|[Nn]ext|[Tt]his|[Bb]efore|[Aa]fter|"
    rf"[Ee]arly|[Ll]ate|[Mm]id-?|(?:in|by|since) (?:early|late|mid-?)))\s?(?P<mon>{_MONTH_NAME}){_NO_YEAR}"
    r")"
)
_FUTURE = re.compile(
    r"\b(?:will|shall|is to|are to|is due|are due|due to|scheduled|expected to|plans? to|set to|next|"
    r"upcoming|later this)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]\s")


def find_news_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """The dates of ``text[start:end]`` that count from the story's day (module doc), left to right."""
    stop = len(text) if end is None else min(end, len(text))
    out = []
    for m in _NEWS_RE.finditer(text, start, stop):
        mention = _mention(text, m, start)
        if mention is not None:
            out.append(mention)
    return out


def with_news_dates(found: list[DateMention], news: list[DateMention]) -> list[DateMention]:
    """``found`` (from :func:`~dyad.resolve.dates.find_dates`) with the news dates that overlap none of
    them, in text order."""
    if not news:
        return found
    taken = [(d.start, d.end) for d in found]
    extra = [n for n in news if not any(n.start < e and s < n.end for s, e in taken)]
    return sorted([*found, *extra], key=lambda d: d.start)


def _direction(word: str | None) -> int:
    word = (word or "").lower()
    return -1 if word == "last" else 1 if word == "next" else 0


def _mention(text: str, m: re.Match[str], floor: int) -> DateMention | None:
    s, e = m.span()
    if m["day"]:
        word = m["day"].lower()
        offset = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        return DateMention(s, e, m[0], "", "relative", offset=offset, unit="day")
    if m["period"]:
        return DateMention(
            s, e, m[0], "", "relative", offset=_direction(m["period"].split()[-2]), unit=m["unit"]
        )
    if m["wd"]:
        direction = _direction(m["wdir"])
        if direction == 0 and m["wdir"] and m["wdir"].lower().startswith("this coming"):
            direction = 1
        if direction == 0 and _future(text, s, floor):
            direction = 1
        weekday = WEEKDAYS.index(m["wd"])
        return DateMention(s, e, m[0], "", "relative", offset=direction or -1, unit="weekday", day=weekday)
    if m["md_m"] or m["dm_m"]:
        month = _month(m["md_m"] or m["dm_m"])
        day = int((m["md_d"] or m["dm_d"]).rstrip("stndrh"))
        direction = _direction(m["mdir"])
        return DateMention(
            s, e, m[0], "", "relative", offset=direction, month=month, unit="monthday", day=day
        )
    if m["mon"] == "May" and m["mprep"].lower() in ("by", "this"):
        return None  # "by May" may be the verb
    return DateMention(
        s, e, m[0], "", "relative", offset=_direction(m["mprep"]), month=_month(m["mon"]), unit="monthname"
    )


def _month(name: str) -> int:
    key = name.rstrip(".")[:3].lower()
    return next(i for i, full in enumerate(MONTHS, 1) if full[:3].lower() == key)


def _future(text: str, at: int, floor: int) -> bool:
    """Whether the words before ``at`` in its sentence put a weekday in the future."""
    before = text[max(floor, at - FUTURE_LOOKBACK) : at]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    return bool(_FUTURE.search(before))


def resolve_news(mention: DateMention, published: str) -> str:
    """The EDTF ``mention`` stands for in a story published on ``published``; '' when the story's date
    is not precise enough for it (a weekday needs a day) or the result is no date."""
    m = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", published)
    if m is None:
        return ""
    year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    unit, offset = mention.unit, mention.offset or 0
    if unit == "year":
        return f"{year + offset:04d}"
    if unit == "month" and month:
        y, mo = divmod(year * 12 + month - 1 + offset, 12)
        return f"{y:04d}-{mo + 1:02d}"
    if unit == "monthname" and month and mention.month:
        return _nearest_month(year, month, mention.month, offset)
    if not day:
        return ""
    today = datetime.date(year, month, day)
    if unit == "day":
        return (today + datetime.timedelta(days=offset)).isoformat()
    if unit == "weekday" and mention.day is not None:
        if offset < 0:
            back = (today.weekday() - mention.day) % 7
            return (today - datetime.timedelta(days=back)).isoformat()
        ahead = (mention.day - today.weekday()) % 7 or 7
        return (today + datetime.timedelta(days=ahead)).isoformat()
    if unit == "week":
        monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=offset)
        sunday = monday + datetime.timedelta(days=6)
        if (monday.year, monday.month) == (sunday.year, sunday.month):
            return f"{monday.year:04d}-{monday.month:02d}"
        return f"{monday.year:04d}" if monday.year == sunday.year else ""
    if unit == "monthday" and mention.month and mention.day:
        return _nearest_day(today, mention.month, mention.day, offset)
    return ""


def _nearest_month(year: int, month: int, wanted: int, direction: int) -> str:
    """The ``wanted`` month nearest to year-month (or the last/next one when ``direction`` says so)."""
    here = year * 12 + month - 1
    options = [(y * 12 + wanted - 1) for y in (year - 1, year, year + 1)]
    if direction < 0:
        options = [o for o in options if o < here]
    elif direction > 0:
        options = [o for o in options if o > here]
    best = min(options, key=lambda o: (abs(o - here), o > here))
    y, mo = divmod(best, 12)
    return f"{y:04d}-{mo + 1:02d}"


def _nearest_day(today: datetime.date, month: int, day: int, direction: int) -> str:
    options = []
    for y in (today.year - 1, today.year, today.year + 1):
        try:
            options.append(datetime.date(y, month, day))
        except ValueError:
            continue
    if direction < 0:
        options = [o for o in options if o < today]
    elif direction > 0:
        options = [o for o in options if o > today]
    if not options:
        return ""
    return min(options, key=lambda o: (abs((o - today).days), o > today)).isoformat()
