"""One interface for every input format, and the registry that picks a reader by content.

A :class:`Reader` has a name (recorded as ``source.format`` unless the reader says otherwise), a
``sniff`` that scores how sure it is that a file's head is its format, and either ``parse`` (one decoded
text in, one article out: the article, wikitext, page and news formats) or ``stream`` (a file in, many
articles out, streaming: dumps, feeds). :func:`read_input` sniffs every registered reader on the file's
head and uses the surest, unless a format is forced; adding a format is one :func:`register` call::

    register(Reader("news", sniff=sniff_story, parse=read_story))

Detection looks at content, not the suffix: a compressed file is looked at through its decompressor,
HTML by its tags, an article by its ``= Title =`` line, wikitext by its markup, a copied page by its
site chrome, a news story by its prose and its dateline or date line, JSON Lines by their first object,
a WARC file by its first line. A file no reader claims is an :class:`~dyad.errors.InputError`
naming the formats.
"""

from __future__ import annotations

import bz2
import hashlib
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from dyad.errors import InputError
from dyad.read.article import _decode, check_text_bytes, read_text
from dyad.read.files import MAX_BYTES, open_regular, read_rest, read_start, too_large
from dyad.read.types import Article

__all__ = [
    "HEAD_BYTES",
    "READERS",
    "Head",
    "Item",
    "Loaded",
    "Reader",
    "detect",
    "format_names",
    "items_of",
    "load",
    "read_head",
    "read_input",
    "register",
]

#: How much of a file (decompressed) the readers' sniffs see.
HEAD_BYTES = 64 * 1024

_MAGIC = {b"BZh": "bz2", b"\x1f\x8b": "gzip"}


@dataclass(frozen=True, slots=True)
class Head:
    """The start of a file as the sniffs see it: its bytes (decompressed), as text, and its compression."""

    path: str
    data: bytes
    text: str
    compression: str | None


@dataclass(frozen=True, slots=True)
class Item:
    """One article read from an input, or the error of one part of it; the rest of the input goes on.

    ``key`` names the source: the path for a file, ``path#Title`` for a page of a dump. ``digest`` is
    the sha256 of the bytes the article was read from (a changed source has a new one).
    """

    key: str
    article: Article | None = None
    digest: str = ""
    error: InputError | None = None


@dataclass(frozen=True, slots=True)
class Reader:
    """One input format: how to recognise it and how to read it (``parse`` or ``stream``)."""

    name: str
    sniff: Callable[[Head], int]
    parse: Callable[[str, str], Article] | None = None
    stream: Callable[..., Iterator[Item]] | None = None
    label: str = ""  # what the format is, for the message about a file of no known format
    surest: int = 100  # the highest score ``sniff`` gives: detection asks no reader that cannot win


#: The registered readers by name, in registration order (the order breaks ties between sniffs).
READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    """Add (or replace) a reader; it takes part in detection and in ``--format-in`` at once."""
    if (reader.parse is None) == (reader.stream is None):
        raise ValueError(f"reader {reader.name!r} needs exactly one of parse and stream")
    READERS[reader.name] = reader
    return reader


def format_names() -> tuple[str, ...]:
    """The names ``--format-in`` accepts."""
    _load()
    return tuple(READERS)


def read_head(path: str) -> Head:
    """The first :data:`HEAD_BYTES` of a file, decompressed when it is bzip2 or gzip."""
    name = os.fspath(path)
    with open_regular(name) as f:
        return _head(f, name, read_start(f, name, HEAD_BYTES))


def _head(f: BinaryIO, name: str, raw: bytes) -> Head:
    """The head of the open file ``f`` whose first bytes are ``raw``."""
    if not raw:
        raise InputError(name, "empty file: nothing to read")
    compression = next((kind for magic, kind in _MAGIC.items() if raw.startswith(magic)), None)
    data = raw
    if compression is not None:
        data = _decompressed_head(f, name, compression)
        if not data:
            raise InputError(name, f"the {compression} file ends before any of its content; it is truncated")
    return Head(name, data, data.decode("utf-8", errors="replace"), compression)


def _decompressed_head(f: BinaryIO, name: str, compression: str) -> bytes:
    """The first bytes of a compressed file's content; a truncated file gives what it has (the reader
    reports the truncation with where it happened). Reads ``f`` from its start and leaves it there."""

    def new() -> Any:
        return bz2.BZ2Decompressor() if compression == "bz2" else zlib.decompressobj(wbits=31)

    decompressor = new()
    out = b""
    try:
        f.seek(0)
        while len(out) < HEAD_BYTES:
            raw = f.read(HEAD_BYTES)
            if not raw:
                break
            while raw and len(out) < HEAD_BYTES:
                out += decompressor.decompress(raw)
                raw = decompressor.unused_data if decompressor.eof else b""
                if decompressor.eof:  # the next stream (multistream) or member (gzip)
                    decompressor = new()
        f.seek(0)
    except (OSError, EOFError, zlib.error) as e:
        raise InputError(name, f"cannot decompress the {compression} file ({e})") from None
    return out[:HEAD_BYTES]


def detect(head: Head) -> Reader:
    """The reader surest of the head; InputError when none recognises it."""
    _load()
    best, score = None, 0
    for reader in READERS.values():
        if reader.surest <= score:
            continue  # it could not beat the best so far (a tie goes to the reader registered first)
        s = reader.sniff(head)
        if s > score:
            best, score = reader, s
    if best is None:
        labels = tuple(r.label or r.name for r in READERS.values())
        raise InputError(
            head.path, f"unknown format: not {_or(labels)}; force one with --format-in {'|'.join(READERS)}"
        )
    return best


@dataclass(frozen=True, slots=True)
class Loaded:
    """A file read once: its head, the reader for it and, for a format of one article, all its bytes.

    ``data`` is None for a stream (a dump, JSON Lines, WARC), which its reader reads itself; for the
    others it is the file as read, so the text hashed and stored is the text the facts come from.
    """

    path: str
    head: Head
    reader: Reader
    data: bytes | None = None

    @property
    def digest(self) -> str:
        """The sha256 of ``data`` (of a one-article file): what identifies the source."""
        return hashlib.sha256(self.data or b"").hexdigest()

    def article(self) -> Article:
        """The one article of a file that is not a stream, read from ``data``."""
        assert self.reader.parse is not None and self.data is not None
        return self.reader.parse(_decode(self.data, self.path), self.path)


def load(path: str, *, format: str | None = None) -> Loaded:
    """Open the file at ``path`` once: its head, its reader (``format``'s, or the one detected) and, unless
    the reader streams, every byte of it. InputError when it cannot be read as an input."""
    _load()
    if format is not None and format not in READERS:
        raise InputError(path, f"unknown format '{format}'; the formats are {', '.join(READERS)}")
    with open_regular(path) as f:
        raw = read_start(f, path, HEAD_BYTES)
        head = _head(f, path, raw)
        if head.compression is None and (format or "") not in _stream_names():
            size = os.fstat(f.fileno()).st_size
            streamed = format is None and any(r.sniff(head) for r in READERS.values() if r.stream is not None)
            if size > MAX_BYTES and not streamed:
                raise InputError(path, too_large(size))
            if not streamed:  # a stream (a WARC) may hold binary records
                check_text_bytes(head.data, path)
        reader = READERS[format] if format is not None else detect(head)
        if reader.stream is not None:
            return Loaded(path, head, reader)
        if head.compression is not None:
            raise InputError(
                path, f"a {head.compression} file that is not a dump, JSON Lines or WARC; decompress it first"
            )
        return Loaded(path, head, reader, read_rest(f, path, raw))


def read_input(path: str, *, format: str | None = None, **options: object) -> Iterator[Item]:
    """Every article in the file at ``path``, read by the reader of ``format`` or the one detected.

    A file of one article gives one :class:`Item` (read once: see :func:`load`); a stream (a dump)
    gives one per article it keeps, and ``options`` (such as ``resume`` and ``progress`` for dumps) go
    to its reader. A problem with the whole file raises :class:`~dyad.errors.InputError`, after the
    items read before it.
    """
    loaded = load(path, format=format)
    yield from items_of(loaded, **options)


def items_of(loaded: Loaded, **options: object) -> Iterator[Item]:
    """The articles of a loaded file: its one article, or what its stream reader reads."""
    if loaded.reader.stream is not None:
        yield from loaded.reader.stream(loaded.path, loaded.head, **options)
        return
    yield Item(loaded.path, loaded.article(), loaded.digest)


def _stream_names() -> set[str]:
    return {name for name, reader in READERS.items() if reader.stream is not None}


def _or(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


def _sniff_article(head: Head) -> int:
    """The flattened article: its first non-empty line reads ``= Title =``."""
    first = next((line.strip() for line in head.text.lstrip("\ufeff").splitlines() if line.strip()), "")
    return 90 if len(first) > 2 and first[0] == first[-1] == "=" and first[1] != "=" else 0


def _read_article(text: str, path: str) -> Article:
    return read_text(text, path)


_loaded = False


def _load() -> None:
    """Register the built-in readers (once, late: their parsers load only when first needed)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from dyad.read import dump, feeds, news, page, wikitext

    register(
        Reader(
            "article",
            _sniff_article,
            parse=_read_article,
            label="an article (first line '= A–B relations =')",
            surest=90,
        )
    )
    register(
        Reader(
            "wikitext",
            lambda h: wikitext.sniff_wikitext(h.text),
            parse=wikitext.read_wikitext,
            label="wikitext",
            surest=70,
        )
    )
    register(
        Reader("page", page.sniff_page, parse=page.read_page, label="a web page's text or HTML", surest=80)
    )
    register(Reader("dump", dump.sniff_dump, stream=dump.stream_dump, label="a MediaWiki XML dump"))
    register(Reader("news", news.sniff_news, parse=news.read_news, label="a news story", surest=85))
    register(
        Reader(
            "jsonl", feeds.sniff_jsonl, stream=feeds.stream_jsonl, label="JSON Lines of stories", surest=95
        )
    )
    register(Reader("warc", feeds.sniff_warc, stream=feeds.stream_warc, label="a WARC file"))
