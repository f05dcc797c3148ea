"""Stream many stories from one file: JSON Lines of stories, and WARC files of crawled news.

**JSON Lines** (``.jsonl``, also bzip2- or gzip-compressed): one story per line, an object with
``text`` (or ``body``/``content``) and optionally ``title``, ``date`` (or ``published``,
``published_at``, ``pubDate``, ``datePublished``), ``url`` and ``publisher`` (or ``source``, ``site``),
as crawlers and news APIs emit them. Each story is a source of its own, ``path#N`` for line N; its text
is the title, a blank line and the text, read as a plain story (:func:`dyad.read.news.read_story`).

**WARC** (``.warc``, ``.warc.gz``), read with warcio (Apache-2.0): each ``response`` or ``resource``
record of HTML or plain text is a story, ``path#N`` for record N, read as HTML news
(:func:`dyad.read.news.read_news_html`) with the record's target URI as its url when the page names
none. The crawl date is not the publication date and is not used. Other records (requests, metadata,
images, redirects, errors) are skipped.

Bad records do not stop the stream: a line that is not JSON or has no text, a date that cannot be read,
HTML with no main text are each an :class:`~dyad.read.formats.Item` with its error, naming the line or
record. A truncated or corrupt WARC ends the stream with an error naming the record it was reading,
after every story before it. ``progress`` and ``resume`` work as for dumps (:mod:`dyad.read.dump`):
an uncompressed JSON Lines file or any WARC resumes at the record where it stopped.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

from dyad.errors import InputError
from dyad.read.article import MAX_BYTES
from dyad.read.dateline import metadata_date
from dyad.read.dump import Progress
from dyad.read.formats import Head, Item
from dyad.read.news import read_news_html, read_story

__all__ = ["sniff_jsonl", "sniff_warc", "stream_jsonl", "stream_warc"]

_TEXT_KEYS = ("text", "body", "content")
_DATE_KEYS = ("date", "published", "published_at", "pubDate", "datePublished")
_PUBLISHER_KEYS = ("publisher", "source", "site")
_STORY_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
#: How often (in records) the progress callback is called.
PROGRESS_EVERY = 64


def sniff_jsonl(head: Head) -> int:
    """95 when the first non-blank line is a JSON object with a story's fields."""
    for line in head.text.splitlines():
        if not line.strip():
            continue
        try:
            first = json.loads(line)
        except ValueError:
            return 0
        keys = set(first) if isinstance(first, dict) else set()
        return 95 if keys & {*_TEXT_KEYS, "title", "url"} else 0
    return 0


def stream_jsonl(
    path: str,
    head: Head,
    *,
    resume: dict[str, Any] | None = None,
    progress: Callable[[Progress], None] | None = None,
    **_: object,
) -> Iterator[Item]:
    """Every story of a JSON Lines file, one :class:`Item` per non-blank line."""
    state = Progress(total=os.path.getsize(path))
    start = 0
    if resume and head.compression is None:
        start = int(resume.get("file", 0))
        state.pages, state.kept = int(resume.get("pages", 0)), int(resume.get("kept", 0))
    with _open(path, head.compression) as f:
        f.seek(start)
        number = int((resume or {}).get("line", 0)) if start else 0
        while True:
            raw = f.readline(MAX_BYTES + 1)
            if not raw:
                break
            number += 1
            if len(raw) > MAX_BYTES:
                key = f"{path}#{number}"
                yield Item(key, error=InputError(key, f"line {number} is over 20 MB; not read"))
                _skip_rest_of_line(f)
                continue
            if raw.strip():
                state.pages += 1
                item = _record(path, number, raw)
                state.kept += item.error is None
                yield item
            if progress and (number % PROGRESS_EVERY == 0):
                state.read = f.tell() if head.compression is None else 0
                if head.compression is None:
                    at = {"file": f.tell(), "line": number}
                    state.position = {**at, "pages": state.pages, "kept": state.kept}
                progress(state)
    if progress:
        state.read = state.total
        state.position = {"done": True, "pages": state.pages, "kept": state.kept}
        progress(state)


def _open(path: str, compression: str | None) -> IO[bytes]:
    if compression == "bz2":
        return bz2.open(path, "rb")
    if compression == "gzip":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def _skip_rest_of_line(f: IO[bytes]) -> None:
    while True:
        chunk = f.readline(MAX_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def _record(path: str, number: int, raw: bytes) -> Item:
    key = f"{path}#{number}"
    try:
        record = json.loads(raw)
    except ValueError as e:
        problem = f"line {number} is not JSON ({e}); give one story object a line"
        return Item(key, error=InputError(key, problem))
    if not isinstance(record, dict):
        return Item(key, error=InputError(key, f"line {number} is not a JSON object; give one story a line"))
    text = _first(record, _TEXT_KEYS)
    if not isinstance(text, str) or not text.strip():
        problem = f'line {number} has no text; give the story in a "text" field'
        return Item(key, error=InputError(key, problem))
    title = _first(record, ("title",))
    title = " ".join(title.split()) if isinstance(title, str) else ""
    try:
        published = metadata_date(_first(record, _DATE_KEYS))
    except ValueError as e:
        return Item(key, error=InputError(key, f"line {number}: {e}"))
    url, publisher = _first(record, ("url",)), _first(record, _PUBLISHER_KEYS)
    body = f"{title}\n\n{text.strip()}\n" if title else text.strip() + "\n"
    try:
        article = read_story(
            body,
            key,
            title=bool(title),
            url=url if isinstance(url, str) and url else None,
            published=published,
            publisher=publisher if isinstance(publisher, str) and publisher else None,
        )
    except InputError as e:
        return Item(key, error=InputError(key, f"line {number}: {e.problem}"))
    return Item(key, article, hashlib.sha256(raw.strip()).hexdigest())


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((record[k] for k in keys if record.get(k) not in (None, "")), None)


# -- WARC -----------------------------------------------------------------------------------------


def sniff_warc(head: Head) -> int:
    return 100 if head.data.startswith((b"WARC/1.", b"WARC/0.")) else 0


def stream_warc(
    path: str,
    head: Head,
    *,
    resume: dict[str, Any] | None = None,
    progress: Callable[[Progress], None] | None = None,
    **_: object,
) -> Iterator[Item]:
    """Every story of a WARC file (module doc), one :class:`Item` per story record."""
    from warcio.archiveiterator import ArchiveIterator

    state = Progress(total=os.path.getsize(path))
    number = 0
    with open(path, "rb") as f:
        if resume:
            f.seek(int(resume.get("file", 0)))
            number = int(resume.get("record", 0))
            state.pages, state.kept = int(resume.get("pages", 0)), int(resume.get("kept", 0))
        records = ArchiveIterator(f, arc2warc=True)
        it = iter(records)
        last: Any = None
        told = False  # whether the last record's problem was already reported as its item
        while True:
            if progress and number % PROGRESS_EVERY == 0:
                state.read = f.tell()  # resume at the next record: everything before it was handed out
                at = {"file": f.tell(), "record": number}
                state.position = {**at, "pages": state.pages, "kept": state.kept}
                progress(state)
            try:
                record = next(it)
            except StopIteration:
                break
            except Exception as e:  # noqa: BLE001 - warcio fails in many ways on a cut or corrupt file
                _tell(progress, state, f)
                raise InputError(path, _broken(number + 1, None, e)) from None
            if _cut_short(last) and not told:
                _tell(progress, state, f)
                raise InputError(path, _broken(number, last, None))
            number += 1
            last = record
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            item = _warc_item(path, number, uri, record)
            told = item is not None and item.error is not None
            if item is not None:
                state.pages += 1
                state.kept += item.error is None
                yield item
        if _cut_short(last) and not told:
            _tell(progress, state, f)
            raise InputError(path, _broken(number, last, None))
        if _left_over(f, records.offset, state.total):
            _tell(progress, state, f)
            raise InputError(path, _broken(number + 1, None, None))
    if progress:
        state.read = state.total
        state.position = {"done": True, "pages": state.pages, "kept": state.kept}
        progress(state)


def _tell(progress: Callable[[Progress], None] | None, state: Progress, f: IO[bytes]) -> None:
    """Report what was read before a broken record (the resume point stays where it was)."""
    if progress is not None:
        state.read = f.tell()
        progress(state)


def _cut_short(record: Any) -> bool:
    """Whether a record, read to its end, had fewer bytes than its Content-Length says."""
    from warcio.limitreader import LimitReader

    raw = getattr(record, "raw_stream", None)
    return isinstance(raw, LimitReader) and raw.limit > 0


def _left_over(f: IO[bytes], offset: int, size: int) -> bool:
    """Whether bytes other than blank lines follow the last record warcio could read (a cut header)."""
    if offset >= size:
        return False
    f.seek(offset)
    return bool(f.read(4096).strip())


def _broken(number: int, record: Any, e: Exception | None) -> str:
    """Which record is broken: ``record`` (read, cut short) or, when None, the one after the last read."""
    uri = record.rec_headers.get_header("WARC-Target-URI") if record is not None else None
    where = f"record {number}" + (f" ({uri})" if uri else "")
    # warcio's own errors and the decompressor's say something; others are its internals tripping
    said = e is not None and (isinstance(e, OSError | EOFError) or type(e).__module__.startswith("warcio"))
    why = f" ({' '.join(str(e).split())[:120] or type(e).__name__})" if said else ""
    return f"{where} is truncated or corrupt{why}; the stories before it were read"


def _warc_item(path: str, number: int, uri: str, record: Any) -> Item | None:
    """The story a record holds, its error, or None when the record is not a story."""
    if record.rec_type not in ("response", "resource"):
        return None
    http = record.http_headers
    if http is not None and http.get_statuscode() not in ("200", None):
        return None
    kind = (http.get_header("Content-Type") if http is not None else None) or record.rec_headers.get_header(
        "Content-Type"
    )
    mime, _, params = (kind or "").partition(";")
    if mime.strip().lower() not in _STORY_TYPES:
        return None
    key = f"{path}#{number}"
    data = record.content_stream().read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return Item(key, error=InputError(key, f"record {number} ({uri}) is over 20 MB; not read"))
    if _cut_short(record):
        problem = f"record {number} ({uri}) is truncated; the file ends inside it"
        return Item(key, error=InputError(key, problem))
    text = data.decode(_charset(params), errors="replace")
    try:
        if mime.strip().lower() == "text/plain":
            article = read_story(text, key, url=uri or None)
        else:
            article = read_news_html(text, key)
    except InputError as e:
        return Item(key, error=InputError(key, f"record {number} ({uri}): {e.problem}"))
    if article.url is None and uri:
        from dataclasses import replace

        article = replace(article, url=uri)
    return Item(key, article, hashlib.sha256(data).hexdigest())


def _charset(params: str) -> str:
    import codecs

    for part in params.split(";"):
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                break
    return "utf-8"
