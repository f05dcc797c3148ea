"""What a reader gives the extractor: an :class:`Article` with exact offsets into its own text.

Every reader (:mod:`dyad.read.formats`) produces the same shape whatever it read: a title, infobox
fields, blocks of sentences under headings, See also entries, and what it knows of the source (format,
url, published, publisher, the source's own references and which span of text each one supports).
Every offset is a code point index into ``Article.text``, so ``text[start:end]`` gives each piece back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Article", "Block", "Citation", "Field", "Link", "Section", "Sentence"]


@dataclass(frozen=True, slots=True)
class Field:
    """One infobox line ``- Key: value``, its value cleaned of template residue.

    ``text[start:end]`` is the tightest raw span covering the value; ``value`` may differ from it when
    cleaning collapsed doubled commas, pipes or whitespace inside. In an ``Envoytitle`` line a person's
    name after the title ("Ambassador Irit Lillian") moves to ``person`` with its own span.
    """

    key: str
    value: str
    start: int
    end: int
    person: str | None = None
    person_start: int | None = None
    person_end: int | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A stripped span of text: a sentence, a table cell or a See also entry."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, a list item or a table row, with the headings it sits under.

    ``kind`` is ``'paragraph'``, ``'item'`` (the text after the ``- `` marker) or ``'row'`` (the whole
    line, pipes included; ``cells`` and ``sentences`` both hold its non-empty cells).
    """

    kind: str
    section: str
    path: tuple[str, ...]
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]
    cells: tuple[Sentence, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading: its text span and its depth (2 for ``==X==``, 3 for ``===X===`` …)."""

    title: str
    level: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    """One article: title, infobox, blocks in text order, headings and the See also list.

    What the reader knew of the source rides along: ``format`` (the reader's name, facts.md
    ``source.format``), ``url``, ``published`` (EDTF), ``publisher``, the source's own ``references``
    (``{"url", "title", "publisher", "date"}`` each) and ``citations``, the spans of text each of them
    supports. ``links`` are the spans that linked to another page, with the page's title.
    """

    path: str
    text: str
    title: str
    title_start: int
    title_end: int
    infobox: tuple[Field, ...]
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    see_also: tuple[Sentence, ...]
    format: str = "article"
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    references: tuple[Mapping[str, Any], ...] = ()
    citations: tuple[Citation, ...] = ()
    links: tuple[Link, ...] = ()

    def field(self, key: str) -> Field | None:
        """Return the first infobox field named ``key`` (any case), or None."""
        key = key.lower()
        return next((f for f in self.infobox if f.key.lower() == key), None)

    def ref_for(self, start: int, end: int) -> Mapping[str, Any] | None:
        """The reference that supports most of ``text[start:end]``, or None when none covers any of it.

        Of two references covering as much, the one cited first wins.
        """
        best, best_overlap = None, 0
        for c in self.citations:
            overlap = min(end, c.end) - max(start, c.start)
            if overlap > best_overlap:
                best, best_overlap = c, overlap
        return self.references[best.ref] if best is not None else None

    def fields(self, prefix: str) -> list[Field]:
        """Return the fields named ``prefix`` or ``prefix`` plus digits, any case, in file order.

        ``fields("Envoy")`` gives Envoy1 and Envoy2 but not Envoytitle1.
        """
        prefix = prefix.lower()
        size = len(prefix)
        return [
            f
            for f in self.infobox
            if f.key.lower().startswith(prefix) and (len(f.key) == size or f.key[size:].isdigit())
        ]


@dataclass(frozen=True, slots=True)
class Citation:
    """A span of text that the source's reference ``references[ref]`` supports."""

    start: int
    end: int
    ref: int


@dataclass(frozen=True, slots=True)
class Link:
    """A span of text that linked to another page, and that page's title."""

    start: int
    end: int
    target: str
