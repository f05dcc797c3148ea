"""Read a rendered page: the text of a Wikipedia page as copied from a browser, or the page's HTML.

HTML goes to :mod:`dyad.read.html`. Copied text, any skin (the older one, Vector 2022, the mobile
site, Simple English Wikipedia):

- the site chrome is dropped ("Jump to content", "From Wikipedia, the free encyclopedia", menus,
  "Retrieved from", categories and the footer);
- the title is the page's heading (the line before "From Wikipedia…", else the first line);
- the lines of the rendered infobox before the lead are read as infobox fields: "Map indicating
  locations of A and B" names the two parties, a "Diplomatic mission" or "Envoy" label followed by a
  line of two tab-separated cells gives ``Mission1``/``Mission2`` or ``Envoytitle1``/``Envoytitle2``;
- "History[edit]" lines are headings, bulleted lines list items, tab-separated lines table rows;
- footnote markers ("[1]") are citations of the numbered references listed at the end
  ("1. ^ "Title". Publisher. Retrieved …"), and are removed from the text.
"""

from __future__ import annotations

import re

from dyad.errors import InputError
from dyad.read.formats import Head
from dyad.read.layout import APPARATUS, Layout, clean_input
from dyad.read.templates import reference_from_text
from dyad.read.types import Article

__all__ = ["read_page", "sniff_page"]

_FROM = re.compile(r"^From (.*Wikipedia)(?:, the free encyclopedia)?\s*$")
# Lines of site chrome, compared in lower case.
_CHROME = frozenset(
    x.strip()
    for x in re.sub(
        r"\s*\n\s*",
        " ",
        """jump to content|jump to navigation|jump to search|jump to navigation jump to search|
    jump to: navigation, search|main menu|move to sidebar|hide|show|navigation|main page|contents|
    current events|random article|about wikipedia|contact us|donate|contribute|help|learn to edit|
    community portal|recent changes|upload file|search|search wikipedia|appearance|create account|
    log in|personal tools|pages for logged out editors|learn more|contributions|talk|toggle the table of
    contents|article|read|edit|view source|view history|tools|actions|general|what links here|
    related changes|special pages|permanent link|page information|cite this page|get shortened url|
    download qr code|print/export|download as pdf|printable version|in other projects|wikidata item|
    add languages|language|watch|open main menu|wikipedia|(top)|add links|english|
    simple english wikipedia|the free encyclopedia|text|small|standard|large|width|wide|color (beta)|
    automatic|light|dark|[edit]|edit source|sister projects|wikimedia commons""",
    ).split("|")
)
_CHROME_PATTERNS = re.compile(
    r"^(?:\d+ languages?|\(Redirected from .*\)|Coordinates: .*|Toggle .* subsection|"
    r"This article is about .*|For other uses, see .*|Not to be confused with .*|"
    r"(?:Further information|Main articles?|See also): .*)$",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^(?:Retrieved from|Categories:|Hidden categories:|This page was last (?:edited|changed)|"
    r"Navigation menu|Text is available under|Privacy policy)",
    re.IGNORECASE,
)
_EDIT_HEADING = re.compile(r"^(.+?)\s*\[\s*edit(?: source)?\s*\]$", re.IGNORECASE)
_REFERENCE_LINE = re.compile(r"^(?:(\d+)\.\s*)?\^\s*(.*)$")
_MARKER = re.compile(r"\s?\[(\d+|citation needed|note \d+|[a-z]|clarification needed|when\?|who\?)\]")
_BULLET = re.compile(r"^(?:[•·▪◦*-]|\d+\.)\s+")
_MAP = re.compile(r"^Map indicating locations? of (.+?) and (.+?)\.?$", re.IGNORECASE)
_LABELS = {
    "diplomatic mission": "Mission",
    "diplomatic missions": "Mission",
    "mission": "Mission",
    "envoy": "Envoytitle",
    "envoys": "Envoytitle",
    "ambassador": "Envoytitle",
}
_PROSE_WORDS = 8  # a line of at least this many words that ends a sentence is prose, not infobox


def sniff_page(head: Head) -> int:
    """HTML, or text with a rendered page's chrome or edit links."""
    text = head.text[:20_000]
    lowered = text[:2000].lower()
    if "<html" in lowered or "<!doctype html" in lowered or "<body" in lowered:
        return 80
    lines = [line.strip() for line in text.splitlines()[:60]]
    if any(_FROM.match(line) for line in lines) or any(line.lower() in _CHROME for line in lines[:5]):
        return 45
    if any(_EDIT_HEADING.match(line) for line in text.splitlines()):
        return 40
    return 0


def read_page(text: str, path: str) -> Article:
    """Read a page's HTML or copied text; InputError when it has no main text."""
    lowered = text[:2000].lower()
    if "<html" in lowered or "<!doctype html" in lowered or "<body" in lowered:
        from dyad.read.html import read_html

        return read_html(text, path)
    return read_page_text(text, path)


def read_page_text(text: str, path: str) -> Article:
    lines = [line.strip() for line in clean_input(text).replace("\r", "").split("\n")]
    layout = Layout()
    start, publisher = _title(lines, layout)
    end = next((i for i in range(start, len(lines)) if _FOOTER.match(lines[i])), len(lines))
    refs = _references(lines[start:end], layout)
    at = _infobox(lines, start, end, layout)
    if not _body(lines[at:end], layout, refs):
        raise InputError(path, "no main text found in the page; copy the article's text or its wikitext")
    return layout.build(path, format="page", publisher=publisher)


def _is_chrome(line: str) -> bool:
    return line.lower() in _CHROME or bool(_CHROME_PATTERNS.match(line))


def _title(lines: list[str], layout: Layout) -> tuple[int, str | None]:
    """Set the title; return where the page's content starts and the site that published it."""
    origin = next((i for i, line in enumerate(lines[:200]) if _FROM.match(line)), None)
    if origin is not None:
        before = [line for line in lines[:origin] if line and not _is_chrome(line)]
        named = [line for line in before if "relation" in line.lower() and not line[0].isdigit()]
        layout.title = (named or before or [""])[-1]
        return origin + 1, _FROM.match(lines[origin]).group(1)  # type: ignore[union-attr]
    for i, line in enumerate(lines):
        if line and not _is_chrome(line):
            layout.title = line
            return i + 1, None
    return len(lines), None


def _references(lines: list[str], layout: Layout) -> dict[int, str]:
    """The numbered references listed in the page, as citation markers by number."""
    refs: dict[int, str] = {}
    number = 0
    for line in lines:
        m = _REFERENCE_LINE.match(line)
        if m is None or not m.group(2):
            continue
        number = int(m.group(1)) if m.group(1) else number + 1
        refs[number] = layout.cite(reference_from_text(m.group(2)))
    return refs


def _infobox(lines: list[str], start: int, end: int, layout: Layout) -> int:
    """Read the rendered infobox's lines before the lead; return where the body starts."""
    at = start
    label: str | None = None
    while at < end:
        line = lines[at]
        if _is_prose(line) or _EDIT_HEADING.match(line):
            break
        at += 1
        if not line or _is_chrome(line):
            continue
        m = _MAP.match(line)
        if m:
            layout.field("Party1", m.group(1))
            layout.field("Party2", m.group(2))
        elif "\t" in line and label:
            cells = [c.strip() for c in line.split("\t") if c.strip()]
            for n, cell in enumerate(cells[:2], 1):
                layout.field(f"{label}{n}", cell)
            label = None
        else:
            label = _LABELS.get(line.lower().rstrip(":"))
    # Only what follows the infobox is the body; an infobox line that looked like neither is a caption.
    return at if layout.has_fields else start


def _is_prose(line: str) -> bool:
    words = line.split()
    ends = line.rstrip("]0123456789[").endswith((".", "!", "?"))
    return len(line) >= 100 or len(words) >= _PROSE_WORDS and ends


def _body(lines: list[str], layout: Layout, refs: dict[int, str]) -> bool:
    """Write headings, paragraphs, items and rows; False when no prose was found."""
    skip = False
    prose = False
    plain_headings = not any(_EDIT_HEADING.match(line) for line in lines)
    for i, line in enumerate(lines):
        if not line or _is_chrome(line) or _REFERENCE_LINE.match(line):
            continue
        heading = _EDIT_HEADING.match(line)
        title = heading.group(1) if heading else None
        if title is None and plain_headings and _looks_like_heading(lines, i):
            title = line
        if title is not None:
            skip = title.lower() in APPARATUS
            if not skip:
                layout.heading(title, 2)
            continue
        if skip:
            continue
        text = _MARKER.sub(lambda m: refs.get(int(m.group(1)), "") if m.group(1).isdigit() else "", line)
        if "\t" in line:
            layout.row(text.split("\t"))
        elif _BULLET.match(line):
            layout.item(_BULLET.sub("", text, count=1))
        else:
            layout.paragraph(text)
            prose = True
    return prose


def _looks_like_heading(lines: list[str], i: int) -> bool:
    """A short line without final punctuation, alone between blank lines, before prose (mobile copies)."""
    line = lines[i]
    if len(line.split()) > 6 or line.endswith((".", ",", ";", ":", "!", "?")) or not line[0].isupper():
        return False
    before = lines[i - 1] if i > 0 else ""
    nxt = next((x for x in lines[i + 1 : i + 4] if x), "")
    return not before and _is_prose(nxt)
