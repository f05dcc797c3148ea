"""Lay out what a reader found as the plain text the article reader parses, and keep what it cites.

Readers of other formats (wikitext, pages, dumps, news) do not each parse offsets: they hand a
:class:`Layout` their title, infobox fields, headings, paragraphs, list items, table rows and See also
entries, each as inline text that may hold markers for citations and links. :meth:`Layout.build` writes
the one plain-text layout of :mod:`dyad.read.article` (``= Title =``, ``Infobox`` with ``- Key: value``
lines, ``== Heading ==``, paragraphs, ``- item``, ``| cell | cell |``), removes the markers while noting
where they stood, and parses the result with the article reader. So every format gets the same blocks,
sentences and exact offsets, and ``Article.text`` is that plain text.

A citation marker stands right after the words its reference supports (where a ``<ref>`` or a
footnote number sits). The span it supports is the sentence (or infobox value, or table cell) it closes,
from where the previous citation inside that sentence left off.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dyad.read.article import read_text
from dyad.read.types import Article, Citation, Link

__all__ = ["APPARATUS", "Layout", "MARK", "clean_input", "inline"]

# Markers are private-use characters, removed from every input first (clean_input), so the source's own
# text can never forge one.
_OPEN, _CLOSE = "\ue000", "\ue001"
MARK = re.compile(f"{_OPEN}([rab])(\\d*){_CLOSE}")
_PRIVATE = re.compile(f"[{_OPEN}{_CLOSE}]")
_SPACE_BEFORE_PUNCT = re.compile(rf"\s+((?:{_OPEN}[rab]\d*{_CLOSE})*)(?=[,.;:!?)\]])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[])\s+")
_LINE_MARKUP = re.compile(r"^(?:[=|]+|[-*#]+(?=\s|$))\s*")
_KEY = re.compile(r"[A-Za-z][\w \-]*")

#: Section titles whose content is apparatus, not prose: never read for facts.
APPARATUS = frozenset(
    (
        "references",
        "notes",
        "citations",
        "sources",
        "bibliography",
        "footnotes",
        "external links",
        "further reading",
        "notes and references",
        "references and notes",
        "works cited",
        "explanatory notes",
    )
)


def clean_input(text: str) -> str:
    """Remove the private-use characters that :class:`Layout` uses as markers from untrusted text."""
    return _PRIVATE.sub("", text)


def inline(text: str) -> str:
    """Collapse whitespace (line breaks too) to single spaces and drop spaces before punctuation."""
    text = " ".join(text.split())
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return _SPACE_AFTER_OPEN.sub(r"\1", text)


class Layout:
    """Collects the pieces of one article in reading order, then builds the :class:`Article`."""

    def __init__(self) -> None:
        self.title = ""
        self._fields: list[tuple[str, str]] = []
        self._body: list[str] = []
        self._refs: list[Mapping[str, Any]] = []
        self._ref_index: dict[tuple[Any, ...], int] = {}
        self._targets: list[str] = []

    # -- markers --

    def cite(self, ref: Mapping[str, Any]) -> str:
        """The marker of a citation of ``ref`` (``{"url", "title", "publisher", "date"}``).

        The same reference cited twice is one entry of ``Article.references``.
        """
        ref = {k: ref.get(k) or None for k in ("url", "title", "publisher", "date")}
        key = tuple(ref.values())
        index = self._ref_index.get(key)
        if index is None:
            index = self._ref_index[key] = len(self._refs)
            self._refs.append(ref)
        return f"{_OPEN}r{index}{_CLOSE}"

    def link(self, text: str, target: str) -> str:
        """``text`` marked as a link to the page ``target``."""
        target = " ".join(target.split())
        if not text.strip() or not target:
            return text
        self._targets.append(target)
        return f"{_OPEN}a{len(self._targets) - 1}{_CLOSE}{text}{_OPEN}b{_CLOSE}"

    # -- pieces --

    def field(self, key: str, value: str) -> None:
        """An infobox field; keys that are not words and empty values are left out."""
        value = inline(value)
        key = " ".join(key.split())
        if _KEY.fullmatch(key) and MARK.sub("", value).strip(" ,|"):
            self._fields.append((key[0].upper() + key[1:], value))

    @property
    def has_fields(self) -> bool:
        return bool(self._fields)

    def heading(self, title: str, level: int = 2) -> None:
        title = MARK.sub("", inline(title)).strip("= ")
        if title:
            marks = "=" * max(2, min(level, 6))
            self._body.extend(("", f"{marks} {title} {marks}"))

    def paragraph(self, text: str) -> None:
        line = self._line(text)
        if line:
            self._body.extend(("", line))

    def item(self, text: str) -> None:
        line = self._line(text)
        if line:
            self._body.append(f"- {line}")

    def row(self, cells: list[str]) -> None:
        cells = [self._line(c).replace("|", "/") for c in cells]
        if any(MARK.sub("", c).strip() for c in cells):
            self._body.append("| " + " | ".join(cells) + " |")

    def _line(self, text: str) -> str:
        text = inline(text)
        # A paragraph must not read as markup of the layout (a heading, a row, a list item).
        while True:
            plain = MARK.sub("", text)
            m = _LINE_MARKUP.match(plain)
            if m is None or not m.group():
                break
            text = text.replace(m.group().strip(), "", 1).lstrip()
        return text if MARK.sub("", text).strip() else ""

    # -- the result --

    def build(
        self,
        path: str,
        *,
        format: str,
        url: str | None = None,
        published: str | None = None,
        publisher: str | None = None,
    ) -> Article:
        """Write the plain text, parse it with the article reader and attach citations and links."""
        title = MARK.sub("", inline(self.title)) or "Untitled"
        lines = [f"= {title} ="]
        if self._fields:
            lines.extend(("", "Infobox", *(f"- {k}: {v}" for k, v in self._fields)))
        lines.extend(self._body)
        marked = "\n".join(lines) + "\n"
        text, anchors, spans = _unmark(marked)
        article = read_text(text, path)
        links = tuple(Link(s, e, self._targets[i]) for i, s, e in spans if e > s)
        return replace(
            article,
            format=format,
            url=url,
            published=published,
            publisher=publisher,
            references=tuple(self._refs),
            citations=_citations(article, anchors),
            links=links,
        )


def _unmark(marked: str) -> tuple[str, list[tuple[int, int]], list[tuple[int, int, int]]]:
    """The text without markers, the (offset, ref) of each citation, the (target, start, end) of links."""
    out: list[str] = []
    size = 0
    at = 0
    anchors: list[tuple[int, int]] = []
    spans: list[tuple[int, int, int]] = []
    open_link: tuple[int, int] | None = None
    for m in MARK.finditer(marked):
        piece = marked[at : m.start()]
        out.append(piece)
        size += len(piece)
        at = m.end()
        kind, number = m.group(1), m.group(2)
        if kind == "r":
            anchors.append((size, int(number)))
        elif kind == "a":
            open_link = (int(number), size)
        elif open_link is not None:
            spans.append((open_link[0], open_link[1], size))
            open_link = None
    out.append(marked[at:])
    return "".join(out), anchors, spans


def _citations(article: Article, anchors: list[tuple[int, int]]) -> tuple[Citation, ...]:
    """The span each citation supports: from the start of its sentence (or from the previous citation
    inside it) up to the citation."""
    if not anchors:
        return ()
    text = article.text
    units = sorted(
        [(f.start, f.end) for f in article.infobox]
        + [(s.start, s.end) for b in article.blocks for s in b.sentences]
        + [(s.start, s.end) for s in article.see_also]
    )
    starts = [u[0] for u in units]
    out: list[Citation] = []
    last_unit, last_end, last_span = -1, -1, (0, 0)
    for offset, ref in anchors:
        while offset > 0 and text[offset - 1].isspace():
            offset -= 1  # a citation after a space supports the words before it
        i = bisect.bisect_left(starts, offset) - 1
        if i < 0:
            continue
        u_start, u_end = units[i]
        end = min(offset, u_end)
        if i == last_unit and end == last_end:
            span = last_span  # several citations in a row support the same words
        else:
            start = u_start
            if i == last_unit and last_end < end:
                start = last_end
                while start < end and not text[start].isalnum():
                    start += 1
            span = (start, end) if start < end else (u_start, end)
        if span[0] < span[1]:
            out.append(Citation(span[0], span[1], ref))
        last_unit, last_end, last_span = i, end, span
    return tuple(out)
