"""What MediaWiki templates say as text, and the citations they carry.

Templates are rendered by name (lower case, ``_`` as space): those that carry text (``{{lang}}``,
``{{nowrap}}``, ``{{flag|Syria}}``, ``{{start date|1946|3|20}}``, ``{{convert}}`` …) give their text;
citation templates (``{{cite web}}``, ``{{cite news}}``, ``{{citation}}``, ``{{sfn}}`` …) give a
citation; every other template (maintenance tags, navigation boxes, hatnotes, ``{{Use mdy dates}}``,
``{{Citation needed}}``) gives nothing. A citation's dates stay in the citation: they never reach the
text, so they never become a fact's date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "INFOBOXES",
    "citation_of",
    "is_citation",
    "normal_name",
    "reference_from_text",
    "render_template",
    "site_of",
]

#: Infobox templates read as the article's infobox.
INFOBOXES = frozenset({"infobox bilateral relations", "infobox bilateral"})

# Templates whose first positional parameter is their text.
_FIRST = frozenset(
    (
        "nowrap", "nobr", "no wrap", "avoid wrap", "small", "smaller", "big", "larger", "noitalic",
        "nobold", "flag", "flagcountry", "flag country", "flagu", "flagg", "abbr", "abbrlink", "tooltip",
        "sic", "ill", "interlanguage link", "interlanguage link multi", "illm", "mvar", "em", "strong", "sm",
        "small caps", "smallcaps", "serif", "sans-serif", "vanchor", "visible anchor", "keypress", "nihongo",
        "lang-rtl", "wikt", "linktext", "not a typo", "proper name", "text", "resize", "font", "ship", "hms",
        "uss", "script", "nastaliq", "korean", "chinese", "zh", "lit", "literal translation", "as written",
        "1x", "trim", "ucfirst", "lcfirst", "uc", "lc",
    )
)  # fmt: skip
# Templates that list their positional parameters.
_LIST = frozenset({"hlist", "flatlist", "plainlist", "ubl", "unbulleted list", "bulleted list", "enum"})
# Citation templates: a reference, not text.
_CITE_PREFIXES = ("cite ", "cite-", "vcite ", "cita ")
_CITE_NAMES = frozenset({"cite", "citation", "cite web", "harvnb", "harv", "harvp", "sfn", "sfnp", "sfnm"})
# Templates that hold a reference's content, as <ref> does.
REF_LIKE = frozenset({"refn", "r"})
_DATES = frozenset(
    (
        "start date", "start date and age", "end date", "end date and age", "birth date", "death date",
        "date", "dts", "start-date", "end-date", "film date", "birth date and age", "death date and age",
    )
)  # fmt: skip
_MONTHS = dict(enumerate(calendar.month_name))
_PUBLISHER_KEYS = (
    "publisher",
    "work",
    "website",
    "newspaper",
    "magazine",
    "journal",
    "agency",
    "periodical",
    "encyclopedia",
    "via",
)
_DATE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4}|[A-Z][a-z]+ \d{4})\b"
)
_QUOTED = re.compile(r"[\"“](.*?)[\"”]")


def normal_name(name: str) -> str:
    """A template's name as the table knows it: lower case, spaces for underscores, no namespace."""
    name = " ".join(name.replace("_", " ").split()).lower()
    return name.removeprefix("template:")


def is_citation(name: str) -> bool:
    return name in _CITE_NAMES or name.startswith(_CITE_PREFIXES)


def render_template(name: str, params: Mapping[str, str], positional: list[str]) -> str:
    """The text a template shows, from its already rendered parameters; "" when it shows none.

    ``params`` holds the named parameters, ``positional`` the others in order.
    """
    first = positional[0] if positional else ""
    if name in _FIRST:
        return first
    if name.startswith("lang-") or name in ("lang", "transl", "transliteration"):
        # {{lang|fr|texte}} and {{transl|ar|text}} carry a language code first; {{lang-fr|texte}} does not
        return positional[-1] if name in ("lang", "transl", "transliteration") and positional else first
    if name in _LIST:
        return ", ".join(p for p in positional if p.strip())
    if name in _DATES:
        return _date(positional, params)
    render = _SPECIAL.get(name)
    return render(positional, params) if render else ""


def _date(positional: list[str], params: Mapping[str, str]) -> str:
    """``{{start date|1946|3|20}}`` as 'March 20, 1946' ('20 March 1946' with df=y)."""
    parts = [p.strip() for p in positional[:3] if p.strip()]
    if not parts or not parts[0].isdigit():
        return " ".join(parts)
    year = parts[0]
    month = _MONTHS.get(int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else None
    day = str(int(parts[2])) if len(parts) > 2 and parts[2].isdigit() else None
    if month is None:
        return year
    if day is None:
        return f"{month} {year}"
    if params.get("df", "").strip().lower() in ("y", "yes", "1"):
        return f"{day} {month} {year}"
    return f"{month} {day}, {year}"


def _convert(positional: list[str], params: Mapping[str, str]) -> str:
    """``{{convert|1920|m|ft}}`` shows '1920 m'; ``{{convert|2|to|3|km}}`` '2 to 3 km'."""
    if len(positional) >= 4 and positional[1] in ("to", "-", "–", "and", "or", "by", "x"):
        sep = "–" if positional[1] == "-" else positional[1]
        return f"{positional[0]} {sep} {positional[2]} {positional[3]}"
    return " ".join(positional[:2])


_SPECIAL: dict[str, Callable[[list[str], Mapping[str, str]], str]] = {
    "convert": _convert,
    "cvt": _convert,
    "as of": lambda p, _: "As of " + " ".join(_date(p, {}).split()) if p else "",
    "circa": lambda p, _: f"c. {p[0]}" if p else "c.",
    "c.": lambda p, _: f"c. {p[0]}" if p else "c.",
    "us$": lambda p, _: f"US${p[0]}" if p else "US$",
    "usd": lambda p, _: f"US${p[0]}" if p else "US$",
    "ndash": lambda p, _: "–",
    "mdash": lambda p, _: "—",
    "snd": lambda p, _: " – ",
    "spaced ndash": lambda p, _: " – ",
    "spaced en dash": lambda p, _: " – ",
    "nbsp": lambda p, _: " ",
    "'": lambda p, _: "'",
    "!": lambda p, _: "|",
    "frac": lambda p, _: "/".join(p[-2:]) if len(p) >= 2 else "".join(p),
    "quote": lambda p, n: n.get("text") or n.get("quote") or (p[0] if p else ""),
    "blockquote": lambda p, n: n.get("text") or n.get("quote") or (p[0] if p else ""),
    "cquote": lambda p, n: n.get("quote") or (p[0] if p else ""),
    "quote box": lambda p, n: n.get("quote") or "",
    "nowrap end": lambda p, _: "",
}


def citation_of(name: str, params: Mapping[str, str], positional: list[str]) -> dict[str, Any]:
    """A citation template's reference: ``{"url", "title", "publisher", "date"}`` (each may be None).

    Access dates and archive dates are left out on purpose: they say when someone read the page.
    """
    if name in ("sfn", "sfnp", "sfnm", "harvnb", "harv", "harvp"):
        page = params.get("p") or params.get("pp") or params.get("loc")
        who = " ".join(p for p in positional[:2] if p)
        return {
            "url": None,
            "title": f"{who}, p. {page}" if page else who or None,
            "publisher": None,
            "date": None,
        }
    url = params.get("url") or params.get("chapter-url") or params.get("archive-url") or None
    title = params.get("title") or params.get("chapter") or params.get("script-title") or None
    publisher = next((params[k] for k in _PUBLISHER_KEYS if params.get(k)), None)
    date = params.get("date") or params.get("year") or params.get("publication-date") or None
    if publisher is None and url:
        publisher = site_of(url)
    return {"url": url, "title": title, "publisher": publisher, "date": _iso(date)}


def site_of(url: str) -> str | None:
    """The host of a URL without ``www.``: a publisher's name when nothing better is known."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def reference_from_text(text: str, url: str | None = None) -> dict[str, Any]:
    """A reference from the text of a rendered footnote: '"Title". Publisher. 13 October 2013.'

    The title is the quoted part; the publisher the sentence after it (up to "Retrieved"); the date the
    first date outside the "Retrieved …" part.
    """
    text = " ".join(text.split()).lstrip("^ ").strip()
    text = re.sub(r"^(?:[a-z] )+", "", text)  # back-links of a reused footnote: "^ a b"
    body = re.split(r"\b(?:Retrieved|Accessed|Archived from)\b", text, maxsplit=1)[0]
    title = publisher = None
    quoted = _QUOTED.search(body)
    if quoted:
        title = quoted.group(1).strip(" .") or None
        publisher = _DATE.sub("", body[quoted.end() :]).strip(" .,()") or None
    elif body.strip(" ."):
        title = body.strip(" .")
    if publisher and _DATE.fullmatch(publisher):
        publisher = None
    if publisher is None and url:
        publisher = site_of(url)
    date = _DATE.search(body)
    return {"url": url, "title": title, "publisher": publisher, "date": _iso(date.group(1) if date else None)}


def _iso(date: str | None) -> str | None:
    """A citation's date as EDTF when it reads as one ('4 December 2006' -> '2006-12-04'), else as given."""
    if not date or not date.strip():
        return None
    from dyad.resolve.dates import to_edtf  # the project's one reader of English dates

    date = date.strip()
    return to_edtf(date) or date
