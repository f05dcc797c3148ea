"""Read a news story: plain text (as saved or copied from a browser, page chrome and all) or its HTML.

A story in plain text is read in place: ``Article.text`` is the file's text, unchanged, so every
offset points into the story as it was saved. What is read:

- the **headline**: the first line that is neither site chrome, a date line nor a byline (or the
  given title); it is the article's title and also its first paragraph, since headlines state facts;
- the **paragraphs**: the lines after it, hard-wrapped lines joined, up to a footer ("Related
  stories", "Notes to editors", "About the Author:" …). Chrome ("Accessibility links", "Share",
  "Font size:", breadcrumbs), bylines ("By …", "Posted by …"), date lines and lines of one or two
  words are skipped; a dateline ("MOSCOW (AP) —") is left out of the paragraph it opens;
- the **date** (:mod:`dyad.read.dateline`): metadata, else the dateline, else a date line.

HTML goes through trafilatura (its main text, title, site name, canonical URL and publication date),
and the text it finds is read as above. A story with no text is an :class:`~dyad.errors.InputError`.
"""

from __future__ import annotations

import re

from dyad.errors import InputError
from dyad.read.article import LEAD, paragraph_block
from dyad.read.dateline import dateline_at, is_date_line, story_date
from dyad.read.formats import Head
from dyad.read.types import Article

__all__ = ["read_news", "read_news_html", "read_story", "sniff_news"]

#: A line of at least this many words that has a sentence end in it is prose.
PROSE_WORDS = 10
#: A story needs a paragraph of at least this many words.
STORY_WORDS = 8
#: Lines shorter than this many words are chrome unless they end a sentence.
MIN_WORDS = 3
#: A headline has at most this many words.
HEADLINE_WORDS = 25
#: A hard-wrapped line is at least this long.
WRAP_CHARS = 60

# Whole lines of site chrome, compared in lower case without trailing colons.
_CHROME = frozenset(
    x.strip()
    for x in """accessibility links|skip to main content|skip to content|skip links|skip navigation|
    breaking news|share|share this|share this article|share on facebook|share on twitter|tweet|email|
    e-mail|print|print this page|advertisement|sponsored|subscribe|sign in|sign up|log in|menu|search|
    search form|search this blog|home|news|latest news|top stories|follow us|view settings|font size|
    site colours|site colors|images|settings|update|updated|listen|watch|video|photo|press release|
    press statement|for immediate release|popular posts|back to top|back to|rss feed|rss feedrss feed|
    click to print this document|help with citations|what's new ?|what's new|you are here|breadcrumb|
    archive|official website of the president of russia|the white house|office of the press secretary|
    u.s. department of state|no media source currently available|please wait|white house shareables|
    search this site|main navigation|toggle navigation|close|more|read more|comments|loading|live|
    opinion|world|politics|usa""".replace("\n", "").split("|")
)
_CHROME_PATTERNS = re.compile(
    r"^(?:.{0,40}\s/|©.*|copyright\b.*|all rights reserved.*|select font\b.*|character spacing\b.*|"
    r"this is historical material\b.*|this was published under the\b.*|content on this archived\b.*|"
    r"click here to\b.*|.*\s©\s.*|.*\bclick to print\b.*|\d+:\d\d(?:\s+\d+:\d\d)+.*|\[<<.*\]|"
    r"(?:.*\s)?>\s.*>\s.*|█+.*)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^[-–—•]?\s*(?:by|posted by|written by|reporting by|story by|as delivered by)\s+[A-Z]", re.IGNORECASE
)
_FOOTER = re.compile(
    r"^(?:=+\s*)?(?:related(?: news| stories| articles| coverage| content)?|sources|notes to editors|"
    r"further information|media enquiries|for journalists|updates to this page|about the author:.*|"
    r"return to this article at:?|# # #|###|more stories|recommended|read next|you may also like|"
    r"tags:.*|topics:.*|share this story|comments \(\d+\))(?:\s*=+)?$",
    re.IGNORECASE,
)
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
_HTML = re.compile(r"<html|<!doctype html|<body", re.IGNORECASE)
_MEDIAWIKI = re.compile(
    r"mw-(?:parser|content|jump|editsection)|wgPageName|firstHeading|mediawiki", re.IGNORECASE
)
_NEWS_HTML = re.compile(
    r"og:type[\"']?\s+content=[\"']article|article:published_time|[\"']@type[\"']\s*:\s*[\"']\w*Article|"
    r"<article\b|datePublished|\bpubdate\b|<time\b",
    re.IGNORECASE,
)
_NEWS_SIGNS = re.compile(
    r"^(?:accessibility links|breaking news|press release|press statement|for immediate release|"
    r"readout of .*|statement by .*|remarks by .*)$",
    re.IGNORECASE,
)
_WIKIPEDIA_TEXT = re.compile(
    r"^From (?:.*Wikipedia)(?:, the free encyclopedia)?\s*$|\[\s*edit(?: source)?\s*\]$"
)


def sniff_news(head: Head) -> int:
    """How sure we are that the head is a news story.

    HTML that is not a MediaWiki page and says it is an article (``og:type``,
    ``article:published_time``, a NewsArticle, an ``<article>`` or ``<time>`` element): 85; other HTML
    is a page. Text with prose: 60 with a dateline, a date line or news chrome in its first lines, else
    35 (a Wikipedia page's copy, with its chrome, scores more as a page). 0 otherwise.
    """
    text = head.text[:20_000]
    if _HTML.search(text[:2000]):
        if _MEDIAWIKI.search(text) or "wikipedia" in text[:4000].lower():
            return 0
        return 85 if _NEWS_HTML.search(text) else 0
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not any(_is_prose(line) for line in lines[:200]):
        return 0
    if any(_WIKIPEDIA_TEXT.search(line) for line in lines[:200]):
        return 0
    first = lines[:12]
    if any(_NEWS_SIGNS.match(line) or is_date_line(line) or dateline_at(line) for line in first):
        return 60
    return 35


def read_news(text: str, path: str) -> Article:
    """Read one story, HTML or plain text; InputError when it has no text."""
    if _HTML.search(text[:2000]):
        return read_news_html(text, path)
    return read_story(text, path)


def read_story(
    text: str,
    path: str,
    *,
    title: bool = False,
    url: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
) -> Article:
    """Read a story in plain text in place (module doc); ``title=True`` when its first line is the
    headline for sure (a record's or a page's title). ``published`` given wins over the text's date."""
    lines = _lines(text)
    kept = _content(lines, trusted_title=title)
    spans = [k for k in kept if k[0] >= 0]
    if not any(len(text[s:e].split()) >= STORY_WORDS for s, e in spans[1:] or spans):
        raise InputError(path, "no story text found; give the story's text (a headline and paragraphs)")
    blocks = [paragraph_block(text, LEAD, start, end) for start, end in _paragraphs(text, kept)]
    blocks = [b for b in blocks if b.sentences]
    headline = _headline(text, spans, title)
    if headline is None:  # no headline: the first sentence stands for one
        first = blocks[0].sentences[0]
        headline = (first.start, first.end)
    if published is None:
        published = story_date([body for _, _, body in lines if body])
    return Article(
        path=path,
        text=text,
        title=text[headline[0] : headline[1]],
        title_start=headline[0],
        title_end=headline[1],
        infobox=(),
        blocks=tuple(blocks),
        sections=(),
        see_also=(),
        format="news",
        url=url,
        published=published,
        publisher=publisher,
    )


def read_news_html(text: str, path: str) -> Article:
    """A story's HTML: trafilatura's main text and metadata, then read as a plain story."""
    import trafilatura
    from lxml import etree

    found = trafilatura.extract(
        text,
        output_format="xml",
        with_metadata=True,
        include_tables=False,
        include_comments=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if not found:
        raise InputError(path, "no main text found in the HTML; save the story's text instead")
    doc = etree.fromstring(found.encode("utf-8"))
    title = " ".join((doc.get("title") or "").split())
    parts = [" ".join("".join(node.itertext()).split()) for node in doc.iter("p", "head", "item", "quote")]
    parts = [p for p in parts if p and p != title]
    if not parts:
        raise InputError(path, "no main text found in the HTML; save the story's text instead")
    body = "\n\n".join(([title] if title else []) + parts) + "\n"
    from dyad.read.dateline import metadata_date

    try:
        published = metadata_date(doc.get("date"))
    except ValueError:
        published = None  # a page's own date field that does not parse: look in the text instead
    return read_story(
        body,
        path,
        title=bool(title),
        url=doc.get("url") or None,
        published=published,
        publisher=doc.get("sitename") or None,
    )


# -- lines and paragraphs -------------------------------------------------------------------------

_Line = tuple[int, int, str]  # start and end of the stripped line, and its text ("" when blank)


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 1 if text.startswith("\ufeff") else 0
    for raw in text[pos:].split("\n"):
        body = raw.strip()
        start = pos + len(raw) - len(raw.lstrip())
        out.append((start, start + len(body), body) if body else (pos, pos, ""))
        pos += len(raw) + 1
    return out


def _is_prose(line: str) -> bool:
    """At least :data:`PROSE_WORDS` words that end a sentence (or twice as many: a line cut short)."""
    words = len(line.split())
    return words >= 2 * PROSE_WORDS or words >= PROSE_WORDS and bool(_ENDS_SENTENCE.search(line))


def _is_chrome(body: str) -> bool:
    low = body.lower().rstrip(": ").strip()
    if low in _CHROME or _CHROME_PATTERNS.match(body) or _BYLINE.match(body):
        return True
    return len(body.split()) < MIN_WORDS and not _ENDS_SENTENCE.search(body)


def _content(lines: list[_Line], *, trusted_title: bool) -> list[tuple[int, int]]:
    """The spans of the lines to read, in order; ``(-1, -1)`` marks a blank line."""
    kept: list[tuple[int, int]] = []
    prose_seen = False
    for start, end, body in lines:
        if not body:
            if kept and kept[-1] != (-1, -1):
                kept.append((-1, -1))
            continue
        if trusted_title and not kept:
            kept.append((start, end))
            continue
        if prose_seen and _FOOTER.match(body):
            break
        if _is_chrome(body) or is_date_line(body):
            continue
        dateline = dateline_at(body)
        if dateline is not None and dateline.place:
            start += dateline.end
        kept.append((start, end))
        prose_seen = prose_seen or _is_prose(body)
    return kept


def _headline(text: str, spans: list[tuple[int, int]], trusted_title: bool) -> tuple[int, int] | None:
    """The headline: the first line before the first prose line that reads as a title (not ending in a
    full stop or a colon, no menu pipes, at most :data:`HEADLINE_WORDS` words)."""
    if trusted_title:
        return spans[0]
    for start, end in spans:
        line = text[start:end]
        if _is_prose(line):
            return None
        if len(line.split()) <= HEADLINE_WORDS and " | " not in line and not line.endswith((".", ":")):
            return start, end
    return None


def _paragraphs(text: str, kept: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of paragraphs: the headline alone, then lines joined where a line was hard-wrapped."""
    out: list[tuple[int, int]] = []
    joinable = False
    for i, (start, end) in enumerate(kept):
        if start < 0:
            joinable = False
            continue
        line = text[start:end]
        if joinable and i > 1 and out:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        wrapped = not _ENDS_SENTENCE.search(line) and not line.endswith((":", ";"))
        nxt = kept[i + 1] if i + 1 < len(kept) else (-1, -1)
        joinable = (
            i > 0
            and wrapped
            and nxt[0] >= 0
            and (len(line) >= WRAP_CHARS or text[nxt[0] : nxt[0] + 1].islower())
        )
    return out
