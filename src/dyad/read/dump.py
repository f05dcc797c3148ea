"""Stream a MediaWiki XML dump (``.xml``, ``.xml.bz2`` incl. multistream, ``.xml.gz``) once, memory flat.

The file is read in chunks, decompressed (bzip2 or gzip, any number of streams or members) and fed to
expat, which calls back per element; nothing is kept of a page once it has been looked at. A page is
kept when it is in the main namespace, not a redirect, and ``keep(title, wikitext)`` says so (the
caller's test: a bilateral-relations title or the infobox; :func:`relations_candidate` by default).
Each kept page is rendered as wikitext with its title, its site's name as publisher, the revision's
timestamp as ``published`` and a link to that revision as ``url``.

Progress and resuming: ``progress`` is called after every chunk with a :class:`Progress` whose
``position`` is a point from which a later scan can resume (``resume=position``) without missing a
page that was not yet handed out: the start of the page being read, or for a multistream bzip2 file
the start of its compressed stream, so a resumed scan seeks there instead of reading the file again.

Errors in the file as a whole (truncated compressed data, XML cut inside a page, malformed XML) raise
:class:`~dyad.errors.InputError` naming the page and the byte offset, after every page before it was
handed out. A page that cannot be rendered is an :class:`~dyad.read.formats.Item` with its error.
"""

from __future__ import annotations

import bz2
import hashlib
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from dyad.errors import InputError
from dyad.read.formats import Head, Item
from dyad.read.wikitext import render_wikitext

__all__ = ["CHUNK_BYTES", "Progress", "relations_candidate", "sniff_dump", "stream_dump"]

#: Bytes read from the file at a time.
CHUNK_BYTES = 1 << 20
#: The largest page text rendered (a larger page is reported, not read).
MAX_PAGE_CHARS = 20 * 1024 * 1024

_INFOBOX = re.compile(r"\{\{\s*infobox[ _]+bilateral", re.IGNORECASE)
_RELATIONS_TITLE = re.compile(r"^.+?\s*[–—-]\s*.+? relations$")
_FIELDS = frozenset({"title", "ns", "id", "timestamp", "text", "sitename", "base"})


def sniff_dump(head: Head) -> int:
    return 100 if b"<mediawiki" in head.data[:8192] else 0


def relations_candidate(title: str, wikitext: str) -> bool:
    """The default test of a page: an "A–B relations" title, or the bilateral-relations infobox."""
    return bool(_RELATIONS_TITLE.match(title)) or _has_infobox(wikitext)


def _has_infobox(wikitext: str) -> bool:
    at = wikitext.find("ilateral")  # a rare word: look closer only where it occurs
    while at >= 0:
        if _INFOBOX.search(wikitext, max(0, at - 40), at + 10):
            return True
        at = wikitext.find("ilateral", at + 1)
    return False


@dataclass(slots=True)
class Progress:
    """Where a scan stands: pages seen and kept, file bytes read (of ``total``), and a resume point."""

    pages: int = 0
    kept: int = 0
    read: int = 0
    total: int = 0
    xml_bytes: int = 0
    position: dict[str, Any] = field(default_factory=dict)


class _Pages:
    """Expat handlers: collect the few fields of each page, hand finished pages to a list."""

    def __init__(self, keep: Callable[[str, str], bool]) -> None:
        self.keep = keep
        self.ready: list[dict[str, Any]] = []
        self.site: dict[str, str] = {}
        self.page: dict[str, Any] | None = None
        self.page_start: int | None = None
        self.last_end = -1  # where the last page ended
        self.pages = 0
        self.depth_in_revision = 0
        self._field: str | None = None
        self._buf: list[str] = []
        self.parser: Any = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        name = name.rpartition(" ")[2]  # expat joins namespace and name with a space
        if name == "page":
            self.page = {"redirect": False}
            self.page_start = self.parser.CurrentByteIndex
            self.pages += 1
        elif name == "redirect" and self.page is not None:
            self.page["redirect"] = True
        elif name == "revision" and self.page is not None:
            self.depth_in_revision += 1
        if name in _FIELDS and self._wanted(name):
            self._field, self._buf = name, []

    def _wanted(self, name: str) -> bool:
        page = self.page
        if page is None:
            return name in ("sitename", "base")
        if name == "text":
            return page.get("ns") == "0" and not page["redirect"]
        if name == "id":
            return self.depth_in_revision == 1 and "revid" not in page
        return name not in page

    def data(self, text: str) -> None:
        if self._field is not None:
            self._buf.append(text)

    def end(self, name: str) -> None:
        name = name.rpartition(" ")[2]
        if self._field == name:
            value = "".join(self._buf)
            if self.page is None:
                self.site[name] = value.strip()
            elif name == "id":
                self.page["revid"] = value.strip()
            else:
                self.page[name] = value if name == "text" else value.strip()
            self._field, self._buf = None, []
        if name == "revision":
            self.depth_in_revision -= 1
        elif name == "page" and self.page is not None:
            page, self.page, self.page_start = self.page, None, None
            self.last_end = self.parser.CurrentByteIndex
            text = page.get("text")
            if text is None or text.lstrip()[:9].upper() == "#REDIRECT":
                return
            if self.keep(page.get("title", ""), text):
                self.ready.append(page)


class _Source:
    """The file's bytes, decompressed, in chunks; remembers where each compressed stream began."""

    def __init__(self, path: str, compression: str | None, start: int, skip: int, base: int) -> None:
        self.file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.file.seek(start)
        self.read = start
        self.compression = compression
        self.decompressor = self._new()
        self.fed = False  # whether the current decompressor has had input (so may be left unfinished)
        self.streams: list[tuple[int, int]] = []  # (XML offset, file offset) where a stream began
        self.skip = skip  # XML bytes to decompress and drop first (resuming a single-stream file)
        self.out = base  # XML bytes handed out, counted as the parser counts them
        self.stream_begins: int | None = start

    def _new(self) -> Any:
        if self.compression == "bz2":
            return bz2.BZ2Decompressor()
        if self.compression == "gzip":
            return zlib.decompressobj(wbits=31)
        return None

    def chunks(self, name: str) -> Iterator[bytes]:
        while True:
            raw = self.file.read(CHUNK_BYTES)
            if not raw:
                if self.decompressor is not None and self.fed and not _finished(self.decompressor):
                    raise InputError(name, "truncated")
                return
            self.read += len(raw)
            if self.decompressor is None:
                self.out += len(raw)
                yield raw
                continue
            yield from self._decompress(raw, name)

    def _decompress(self, raw: bytes, name: str) -> Iterator[bytes]:
        offset = self.read - len(raw)
        while raw:
            self.fed = True
            try:
                data = self.decompressor.decompress(raw)
            except (OSError, EOFError, zlib.error, ValueError) as e:
                raise InputError(name, f"corrupt {self.compression} data ({e})") from None
            if data and self.skip:
                dropped = min(self.skip, len(data))
                data, self.skip = data[dropped:], self.skip - dropped
                self.stream_begins = None  # a stream begun in what is dropped is no point to seek to
            if data:
                if self.stream_begins is not None:
                    self.streams.append((self.out, self.stream_begins))
                    self.stream_begins = None
                self.out += len(data)
                yield data
            if _finished(self.decompressor):
                rest = self.decompressor.unused_data
                offset += len(raw) - len(rest)
                raw = rest
                self.decompressor, self.fed = self._new(), False
                self.stream_begins = offset
            else:
                raw = b""

    def close(self) -> None:
        self.file.close()


def _finished(decompressor: Any) -> bool:
    return bool(decompressor.eof)


def stream_dump(
    path: str,
    head: Head,
    *,
    keep: Callable[[str, str], bool] = relations_candidate,
    resume: dict[str, Any] | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> Iterator[Item]:
    """Every page of the dump that ``keep`` accepts, as an :class:`Item` of its rendered article."""
    import os

    state = Progress(total=os.path.getsize(path))
    start, skip, prefix, xml = 0, 0, b"", 0
    if resume:
        state.pages, state.kept = int(resume.get("pages", 0)), int(resume.get("kept", 0))
        prefix = _header(path, head)
        start = int(resume.get("file", 0))
        skip = int(resume.get("skip", 0))
        xml = int(resume.get("xml", start))
    source = _Source(path, head.compression, start, skip, len(prefix))
    pages = _Pages(keep)
    pages.pages = state.pages
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text, parser.buffer_size = True, 1 << 20
    parser.StartElementHandler, parser.EndElementHandler = pages.start, pages.end
    parser.CharacterDataHandler = pages.data
    pages.parser = parser
    shift = xml - len(prefix)  # parser byte index + shift = offset in the dump's XML
    try:
        if prefix:
            parser.Parse(prefix, False)
        for chunk in source.chunks(path):
            try:
                parser.Parse(chunk, False)
            except expat.ExpatError as e:
                raise _xml_error(path, pages, shift, e) from None
            yield from _finished_pages(path, pages, state)
            _report(state, pages, source, shift, head.compression, progress)
        try:
            parser.Parse(b"", True)
        except expat.ExpatError:
            raise InputError(path, f"the XML ends{_where(pages, shift)}; the dump is cut short") from None
        yield from _finished_pages(path, pages, state)
        state.position = {"done": True, "pages": pages.pages, "kept": state.kept}
        state.pages, state.read = pages.pages, source.read
        if progress:
            progress(state)
    except InputError as e:
        if e.problem == "truncated":
            where = _where(pages, shift)
            raise InputError(path, f"the compressed data ends early{where}; the file is truncated") from None
        raise
    finally:
        source.close()


def _finished_pages(path: str, pages: _Pages, state: Progress) -> Iterator[Item]:
    ready, pages.ready = pages.ready, []
    for page in ready:
        state.kept += 1
        yield _item(path, page, pages.site)


def _item(path: str, page: dict[str, Any], site: dict[str, str]) -> Item:
    title = page.get("title", "")
    key = f"{path}#{title}"
    text = page["text"]
    if len(text) > MAX_PAGE_CHARS:
        return Item(key, error=InputError(key, f"page too large ({len(text):,} characters)"))
    base = site.get("base", "")
    root = base.split("/wiki/")[0] if "/wiki/" in base else None
    url = f"{root}/w/index.php?oldid={page['revid']}" if root and page.get("revid") else None
    try:
        article = render_wikitext(
            text, key, title=title, url=url, published=page.get("timestamp") or None,
            publisher=site.get("sitename") or None,
        )  # fmt: skip
    except InputError as e:
        return Item(key, error=e)
    return Item(key, article, hashlib.sha256(text.encode("utf-8")).hexdigest())


def _report(
    state: Progress,
    pages: _Pages,
    source: _Source,
    shift: int,
    compression: str | None,
    progress: Callable[[Progress], None] | None,
) -> None:
    state.pages, state.read, state.xml_bytes = pages.pages, source.read, source.out
    if progress is None:
        return
    # Resume at the page being read (none of it handed out), or after everything fed.
    at_page = pages.page_start + shift if pages.page_start is not None else source.out + shift
    seen = pages.pages - (1 if pages.page_start is not None else 0)
    if compression is None:
        state.position = {"file": at_page, "xml": at_page, "pages": seen, "kept": state.kept}
    else:
        # A stream that began after the last finished page and at or before the page being read is a
        # point to seek to (multistream files); otherwise a resumed scan decompresses up to the point.
        streams = source.streams
        fit = [i for i, (x, _) in enumerate(streams) if pages.last_end + shift < x + shift <= at_page]
        if fit:
            x, f = streams[fit[-1]]
            state.position = {"file": f, "xml": x + shift, "stream": True, "pages": seen, "kept": state.kept}
            del streams[: fit[-1]]
        else:
            state.position = {"file": 0, "skip": at_page, "xml": at_page, "pages": seen, "kept": state.kept}
    progress(state)


def _header(path: str, head: Head) -> bytes:
    """The dump's opening (``<mediawiki …>`` and siteinfo) up to its first page, to resume after it."""
    at = head.data.find(b"<page>")
    if at < 0:
        raise InputError(path, "cannot resume: no page within the first 64 KB of the dump")
    return head.data[:at]


def _where(pages: _Pages, shift: int) -> str:
    if pages.page_start is None:
        return f" after page {pages.pages:,}"
    title = (pages.page or {}).get("title") or "?"
    return f" inside page '{title}' (XML byte {pages.page_start + shift:,})"


def _xml_error(path: str, pages: _Pages, shift: int, e: expat.ExpatError) -> InputError:
    if e.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS] or "no element found" in str(e):
        return InputError(path, f"the XML ends{_where(pages, shift)}; the dump is cut short")
    return InputError(path, f"malformed XML{_where(pages, shift)}: {expat.errors.messages[e.code]}")
