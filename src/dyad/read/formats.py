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
import stat
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyad.errors import InputError
from dyad.read.article import MAX_BYTES, _decode, _too_large, check_text_bytes, read_text
from dyad.read.types import Article

__all__ = [
    "HEAD_BYTES",
    "READERS",
    "Head",
    "Item",
    "Reader",
    "detect",
    "format_names",
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
    try:
        info = Path(name).stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(name, "is a directory")
        with open(name, "rb") as f:
            raw = f.read(HEAD_BYTES)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied; make the file readable") from None
    except OSError as error:
        raise InputError(name, f"cannot read the file ({error.strerror or error})") from None
    if not raw:
        raise InputError(name, "empty file: nothing to read")
    compression = next((kind for magic, kind in _MAGIC.items() if raw.startswith(magic)), None)
    data = raw
    if compression is not None:
        data = _decompressed_head(name, compression)
        if not data:
            raise InputError(name, f"the {compression} file ends before any of its content; it is truncated")
    return Head(name, data, data.decode("utf-8", errors="replace"), compression)


def _decompressed_head(name: str, compression: str) -> bytes:
    """The first bytes of a compressed file's content; a truncated file gives what it has (the reader
    reports the truncation with where it happened)."""

    def new() -> Any:
        return bz2.BZ2Decompressor() if compression == "bz2" else zlib.decompressobj(wbits=31)

    decompressor = new()
    out = b""
    try:
        with open(name, "rb") as f:
            while len(out) < HEAD_BYTES:
                raw = f.read(HEAD_BYTES)
                if not raw:
                    break
                while raw and len(out) < HEAD_BYTES:
                    out += decompressor.decompress(raw)
                    raw = decompressor.unused_data if decompressor.eof else b""
                    if decompressor.eof:  # the next stream (multistream) or member (gzip)
                        decompressor = new()
    except (OSError, EOFError, zlib.error) as e:
        raise InputError(name, f"cannot decompress the {compression} file ({e})") from None
    return out[:HEAD_BYTES]


def detect(head: Head) -> Reader:
    """The reader surest of the head; InputError when none recognises it."""
    _load()
    best, score = None, 0
    for reader in READERS.values():
        s = reader.sniff(head)
        if s > score:
            best, score = reader, s
    if best is None:
        labels = tuple(r.label or r.name for r in READERS.values())
        raise InputError(
            head.path, f"unknown format: not {_or(labels)}; force one with --format-in {'|'.join(READERS)}"
        )
    return best


def read_input(path: str, *, format: str | None = None, **options: object) -> Iterator[Item]:
    """Every article in the file at ``path``, read by the reader of ``format`` or the one detected.

    A file of one article gives one :class:`Item`; a stream (a dump) gives one per article it keeps,
    and ``options`` (such as ``resume`` and ``progress`` for dumps) go to its reader. A problem with the
    whole file raises :class:`~dyad.errors.InputError`, after the items read before it.
    """
    _load()
    head = read_head(path)
    if head.compression is None and (format or "") not in _stream_names():
        size = Path(path).stat().st_size
        streamed = format is None and any(r.sniff(head) for r in READERS.values() if r.stream is not None)
        if size > MAX_BYTES and not streamed:
            raise InputError(path, _too_large(size))
        if not streamed:  # a stream (a WARC) may hold binary records
            check_text_bytes(head.data, path)
    if format is not None:
        reader = READERS.get(format)
        if reader is None:
            raise InputError(path, f"unknown format '{format}'; the formats are {', '.join(READERS)}")
    else:
        reader = detect(head)
    if reader.stream is not None:
        yield from reader.stream(path, head, **options)
        return
    if head.compression is not None:
        raise InputError(
            path, f"a {head.compression} file that is not a dump, JSON Lines or WARC; decompress it first"
        )
    data = _read_whole(path)
    assert reader.parse is not None
    article = reader.parse(_decode(data, path), path)
    yield Item(path, article, hashlib.sha256(data).hexdigest())


def _stream_names() -> set[str]:
    return {name for name, reader in READERS.items() if reader.stream is not None}


def _read_whole(name: str) -> bytes:
    size = Path(name).stat().st_size
    if size > MAX_BYTES:
        raise InputError(name, _too_large(size))
    try:
        data = Path(name).read_bytes()
    except OSError as error:
        raise InputError(name, f"cannot read the file ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise InputError(name, _too_large(len(data)))
    return data


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
        )
    )
    register(
        Reader(
            "wikitext",
            lambda h: wikitext.sniff_wikitext(h.text),
            parse=wikitext.read_wikitext,
            label="wikitext",
        )
    )
    register(Reader("page", page.sniff_page, parse=page.read_page, label="a web page's text or HTML"))
    register(Reader("dump", dump.sniff_dump, stream=dump.stream_dump, label="a MediaWiki XML dump"))
    register(Reader("news", news.sniff_news, parse=news.read_news, label="a news story"))
    register(Reader("jsonl", feeds.sniff_jsonl, stream=feeds.stream_jsonl, label="JSON Lines of stories"))
    register(Reader("warc", feeds.sniff_warc, stream=feeds.stream_warc, label="a WARC file"))
