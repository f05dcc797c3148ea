"""Read a relations article (Wikipedia flattened to text) into an :class:`Article` with exact offsets.

The format, as the articles carry it::

    = Belgium–Syria relations =          the title line, first non-empty line
    Infobox                              optional: "- Key: value" lines up to a blank line
    - Mission1: Belgian Embassy, Damascus,

    Lead paragraph, separated by blank lines.
    ==Historical background==            headings of any depth, "== X ==" or "==X=="
    Text may follow a heading directly.
    - a list item
    | a table | row |
    ==See also==
    - Foreign relations of Belgium       See also items go to Article.see_also, not to blocks

Every offset is a code point index into ``Article.text``, the whole file decoded as UTF-8 with its line
endings and any byte-order mark kept, so ``text[start:end]`` gives back each block, sentence and cell.
Infobox values are cleaned (see :class:`Field`), so only their spans are raw.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from dyad.errors import InputError
from dyad.read.files import MAX_BYTES, open_regular, read_rest
from dyad.read.sentences import sentence_spans
from dyad.read.types import Article, Block, Field, Section, Sentence

__all__ = [
    "MAX_BYTES",
    "Article",
    "Block",
    "Field",
    "Section",
    "Sentence",
    "paragraph_block",
    "read_article",
    "read_text",
]

LEAD = "Lead"
NO_TITLE = "no title line: the first line must read '= A–B relations ='"

_BINARY_SAMPLE = 8 * 1024
_BINARY_CONTROL_SHARE = 0.30
# Bytes that count as control characters when sniffing for binary content; tab, line feed, vertical
# tab, form feed and carriage return are text.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 0x09 or 0x0E <= b < 0x20 or b == 0x7F))


def read_article(path: str | os.PathLike[str]) -> Article:
    """Read one article file; raise :class:`InputError` naming the path when it cannot be read.

    Only a regular file is read, and never more than the size limit plus one byte
    (:mod:`dyad.read.files`), so an oversized file never enters memory.
    """
    name = os.fspath(path)
    with open_regular(name) as f:
        data = read_rest(f, name, b"")
    return read_text(_decode(data, name), name)


def read_text(text: str, path: str = "<text>") -> Article:
    """Parse an article already decoded; raise :class:`InputError` when it has no title line."""
    with _collector_paused():
        return _parse(text, path)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing.

    A large article builds hundreds of thousands of small objects, none in a cycle; the collector's
    passes over them cost about a quarter of the parse.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _parse(text: str, path: str) -> Article:
    lines = _lines(text)
    at = _skip_blank(lines, 0)
    title = _title(lines[at]) if at < len(lines) else None
    if title is None:
        raise InputError(path, NO_TITLE)
    title_start = lines[at][0] + title[0]
    infobox, at = _read_infobox(text, lines, at + 1)
    blocks, sections, see_also = _read_body(text, lines, at)
    return Article(
        path=path,
        text=text,
        title=title[2],
        title_start=title_start,
        title_end=title_start + len(title[2]),
        infobox=infobox,
        blocks=blocks,
        sections=sections,
        see_also=see_also,
    )


# --- reading the bytes -------------------------------------------------------------------------------


def check_text_bytes(data: bytes, name: str) -> None:
    """Raise InputError when the start of a file is empty, UTF-16 or UTF-32, binary, or text whose lines
    end with a carriage return alone, rather than UTF-8 text."""
    if not data:
        raise InputError(name, "empty file: nothing to read")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputError(name, "not UTF-8 text (a UTF-32 byte-order mark); convert it to UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(name, "not UTF-8 text (a UTF-16 byte-order mark); convert it to UTF-8")
    sample = data[:_BINARY_SAMPLE]
    if b"\0" in sample or len(sample.translate(None, _NOT_CONTROL)) > _BINARY_CONTROL_SHARE * len(sample):
        raise InputError(name, "binary file, not an article")
    if b"\r" in data and b"\n" not in data:
        raise InputError(
            name,
            "its lines end with a carriage return alone (old Mac line endings); convert them to line feeds",
        )


def _decode(data: bytes, name: str) -> str:
    """Decode UTF-8 after the empty and binary checks; keep a byte-order mark as U+FEFF."""
    check_text_bytes(data, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        problem = f"not UTF-8 text (byte 0x{byte:02X} at offset {error.start}); convert it to UTF-8"
        raise InputError(name, problem) from None
    if not text.lstrip("\ufeff").strip():
        raise InputError(name, "empty file: nothing to read")
    return text


# --- lines, title and infobox ------------------------------------------------------------------------

_Line = tuple[int, int, str]  # start and end of the stripped content, the content ("" when blank)

_HEADING = re.compile(r"(=+)[ \t]*(.*?)[ \t]*(=+)")
_INFOBOX_FIELD = re.compile(r"[-*][ \t]+([A-Za-z][\w \-]*?)[ \t]*:")
_VALUE_PIECE = re.compile(r"[^,|]+")
_VALUE_WORD = re.compile(r"[^\s,|]+")


def _lines(text: str) -> list[_Line]:
    """Split on line feeds only (so offsets stay exact), skipping a leading byte-order mark."""
    lines: list[_Line] = []
    pos = 1 if text.startswith("\ufeff") else 0
    size = len(text)
    while pos <= size:
        eol = text.find("\n", pos)
        if eol < 0:
            eol = size
        line = text[pos:eol]
        body = line.strip()
        if body:
            start = pos + len(line) - len(line.lstrip())
            lines.append((start, start + len(body), body))
        else:
            lines.append((pos, pos, ""))
        pos = eol + 1
    return lines


def _skip_blank(lines: list[_Line], at: int) -> int:
    while at < len(lines) and not lines[at][2]:
        at += 1
    return at


def _title(line: _Line) -> tuple[int, int, str] | None:
    """Return the title's offsets within the line and its text, when the line reads ``= X =``."""
    m = _HEADING.fullmatch(line[2])
    if m is None or len(m.group(1)) != 1 or len(m.group(3)) != 1 or not m.group(2):
        return None
    return m.start(2), m.end(2), m.group(2)


def _read_infobox(text: str, lines: list[_Line], at: int) -> tuple[tuple[Field, ...], int]:
    """Read an ``Infobox`` line and its ``- Key: value`` lines; return the fields and the next line.

    The infobox ends at a blank line or at the first line that is not ``- Key: value``.
    """
    head = _skip_blank(lines, at)
    if head >= len(lines) or lines[head][2].rstrip(":").strip().lower() != "infobox":
        return (), at
    fields: list[Field] = []
    at = head + 1
    while at < len(lines):
        start, end, body = lines[at]
        m = _INFOBOX_FIELD.match(body)
        if m is None:
            break
        found = _field(text, m.group(1), start + m.end(), end)
        if found is not None:
            fields.append(found)
        at += 1
    return tuple(fields), at


def _field(text: str, key: str, start: int, end: int) -> Field | None:
    """Clean one infobox value; None when nothing but commas, pipes and whitespace is left.

    Template residue splits a value into pieces at commas and pipes: empty pieces go, the others are
    joined with ", " and their inner whitespace collapsed, so "Embassy of X,, Lima" and "|Pakistan|China"
    read "Embassy of X, Lima" and "Pakistan, China".
    """
    pieces: list[str] = []
    first = last = -1
    for m in _VALUE_PIECE.finditer(text, start, end):
        raw = m.group()
        words = raw.split()
        if not words:
            continue
        if first < 0:
            first = m.start() + len(raw) - len(raw.lstrip())
        last = m.start() + len(raw.rstrip())
        pieces.append(" ".join(words))
    if not pieces:
        return None
    key = key.strip()
    if key.lower().startswith("envoytitle"):
        split = _split_person(text, first, last)
        if split is not None:
            return Field(key, *split)
    return Field(key, ", ".join(pieces), first, last)


# Words of diplomatic titles; a person's name follows them in some Envoytitle lines.
_TITLE_WORDS = frozenset(
    """
    ambassador ambassador-designate designate envoy special extraordinary plenipotentiary
    high commissioner high-commissioner chargé chargée charge d'affaires d’affaires a.i. ad interim
    nuncio pro-nuncio internuncio apostolic legate minister minister-counsellor counsellor counselor
    consul consul-general vice-consul general representative permanent resident non-resident head
    mission chief deputy acting delegate secretary first second third attaché attache honorary
    """.split()
)
# Words that join title words ("Head of Mission", "Extraordinary and Plenipotentiary").
_TITLE_JOINERS = frozenset({"of", "and"})
# Lower-case words that may sit inside a person's name.
_NAME_PARTICLES = frozenset(
    "de da di del della dos das du van von der den ter bin binti ibn al el la le y".split()
)


def _split_person(text: str, start: int, end: int) -> tuple[str, int, int, str, int, int] | None:
    """Split "Ambassador Irit Lillian" into the title and the person's name, with their spans.

    The title runs from the first word up to the end of the title words; what follows is a name when
    its words are capitalised (name particles aside), it does not start with "to"/"of"/"in" … (as in
    "Indian Ambassador to Japan") and it is not a country's name.
    """
    words = [(m.start(), m.end(), m.group()) for m in _VALUE_WORD.finditer(text, start, end)]
    lowered = [w[2].lower() for w in words]
    at = next((i for i, w in enumerate(lowered) if w in _TITLE_WORDS), None)
    if at is None:
        return None
    while at < len(words):
        if lowered[at] in _TITLE_WORDS:
            at += 1
        elif lowered[at] in _TITLE_JOINERS and at + 1 < len(words) and lowered[at + 1] in _TITLE_WORDS:
            at += 2
        else:
            break
    name = words[at:]
    if not name or not name[0][2][0].isupper() or not name[-1][2][0].isupper():
        return None
    if not all(w[2][0].isupper() or w[2].lower() in _NAME_PARTICLES for w in name):
        return None
    person = " ".join(w[2] for w in name)
    if person.upper() in _country_names():
        return None
    title = " ".join(w[2] for w in words[:at])
    return title, words[0][0], words[at - 1][1], person, name[0][0], name[-1][1]


@cache
def _country_names() -> frozenset[str]:
    """Upper-case country names, so "Ambassador Japan" is not read as a person called Japan."""
    import iso3166  # a declared dependency; imported late as only Envoytitle lines need it

    return frozenset(iso3166.countries_by_name) | frozenset(iso3166.countries_by_apolitical_name)


# --- the body ----------------------------------------------------------------------------------------

_CELL = re.compile(r"[^|]+")
_CELL_RULE = re.compile(r":?-{3,}:?")  # a Markdown header rule, not content


def _read_body(
    text: str, lines: list[_Line], at: int
) -> tuple[tuple[Block, ...], tuple[Section, ...], tuple[Sentence, ...]]:
    """Read lead and sections: blocks, headings and See also entries, each in file order."""
    blocks: list[Block] = []
    sections: list[Section] = []
    see_also: list[Sentence] = []
    stack: list[tuple[int, str]] = []
    path: tuple[str, ...] = ()
    section, in_see_also = LEAD, False
    para_start = para_end = -1

    def close_paragraph() -> None:
        nonlocal para_start
        if para_start >= 0:
            blocks.append(_block("paragraph", text, section, path, para_start, para_end))
            para_start = -1

    for start, end, body in lines[at:]:
        if not body:
            close_paragraph()
            continue
        lead = body[0]
        if lead == "=":
            heading = _HEADING.fullmatch(body)
            if heading is not None and heading.group(2):
                close_paragraph()
                level = min(len(heading.group(1)), len(heading.group(3)))
                section = heading.group(2)
                sections.append(Section(section, level, start + heading.start(2), start + heading.end(2)))
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, section))
                path = tuple(title for _, title in stack)
                in_see_also = any(title.lower() == "see also" for title in path)
                continue
        elif lead == "|":
            close_paragraph()
            row = _row(text, section, path, start, end)
            if row is not None:
                blocks.append(row)
            continue
        elif lead in "-*" and body[1:2] in ("", " ", "\t"):
            close_paragraph()
            item_start = end - len(body[1:].lstrip())
            if item_start == end:
                continue
            if in_see_also:
                see_also.append(Sentence(item_start, end, text[item_start:end]))
            else:
                blocks.append(_block("item", text, section, path, item_start, end))
            continue
        if para_start < 0:
            para_start = start
        para_end = end
    close_paragraph()
    return tuple(blocks), tuple(sections), tuple(see_also)


def paragraph_block(text: str, section: str, start: int, end: int) -> Block:
    """A paragraph block of ``text[start:end]`` with its sentences, for readers that read text in place."""
    return _block("paragraph", text, section, (), start, end)


def _block(kind: str, text: str, section: str, path: tuple[str, ...], start: int, end: int) -> Block:
    sentences = tuple([Sentence(s, e, text[s:e]) for s, e in sentence_spans(text, start, end)])
    return Block(kind, section, path, start, end, text[start:end], sentences)


def _row(text: str, section: str, path: tuple[str, ...], start: int, end: int) -> Block | None:
    """Read a ``| a | b |`` line; None when it has no cell with content (or only header rules)."""
    cells: list[Sentence] = []
    for m in _CELL.finditer(text, start, end):
        raw = m.group()
        content = raw.strip()
        if content and not _CELL_RULE.fullmatch(content):
            cell_start = m.start() + len(raw) - len(raw.lstrip())
            cells.append(Sentence(cell_start, cell_start + len(content), content))
    if not cells:
        return None
    spans = tuple(cells)
    return Block("row", section, path, start, end, text[start:end], spans, spans)
