"""read → resolve → extract for files and directories: the entry points the CLI and the store use.

Every input goes through the reader registry (:mod:`dyad.read.formats`): its format is detected by
content unless ``format`` names one (``article``, ``wikitext``, ``page``, ``dump`` …). A file holds one
article, except a dump, which holds many; :func:`extract_items` gives each with the text its evidence
points into.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from .errors import DyadError, InputError
from .extract import extract_article, parties_of
from .model import Document
from .read.files import open_problem
from .read.formats import READERS, Head, Loaded, Reader, detect, format_names, items_of, load
from .read.types import Article
from .settings import ARTICLE_SUFFIXES

__all__ = [
    "Extracted",
    "Extractor",
    "extract_file",
    "extract_items",
    "extract_many",
    "extract_text",
    "extracted",
    "iter_sources",
    "relations_page",
]


@dataclass(frozen=True, slots=True)
class Extracted:
    """One document read from an input (or the error of one part of it), with its text and digest.

    ``key`` names the source: the path, or ``path#Title`` for a page of a dump.
    """

    key: str
    document: Document | None = None
    text: str = ""
    digest: str = ""
    error: DyadError | None = None


def extract_text(text: str, path: str = "<text>", *, format: str | None = None) -> Document:
    """Extract the facts of one article given as a string, its format detected unless given."""
    reader: Reader | None
    if format is None:
        data = text.encode("utf-8")
        reader = detect(Head(path, data[:65536], text[:65536], None))
    else:
        reader = READERS.get(format) if format in format_names() else None
        if reader is None:
            raise InputError(path, f"unknown format '{format}'; the formats are {', '.join(format_names())}")
    if reader.parse is None:
        raise InputError(path, f"a {reader.name} is read from a file; give its path instead")
    return extract_article(reader.parse(text, path))


def extract_file(path: str | os.PathLike[str], *, format: str | None = None) -> Document:
    """Extract the facts of one article file; raise InputError naming the file when it can't be read.

    A dump holds many articles: read it with :func:`extract_many` or :func:`extract_items`.
    """
    items = extract_items(os.fspath(path), format=format)
    first = next(items, None)
    if first is not None and first.error is None and next(items, None) is None:
        assert first.document is not None
        return first.document
    if first is not None and first.error is not None:
        raise first.error
    raise InputError(os.fspath(path), "holds more or fewer than one article; use dyad ingest or extract_many")


class Extractor(Protocol):
    """What turns a read article into its facts: :func:`dyad.extract.extract_article`, or another
    given to :func:`extract_items` or :class:`dyad.kb.KnowledgeBase` (tests pass their own)."""

    def __call__(self, article: Article, *, sha256: str | None = None) -> Document: ...


def extract_items(
    path: str, *, format: str | None = None, extract: Extractor = extract_article, **options: Any
) -> Iterator[Extracted]:
    """Each article in the file as an :class:`Extracted`; an error of the whole file ends the items.

    ``options`` go to a streaming reader (a dump's ``resume`` and ``progress``).
    """
    try:
        yield from extracted(load(path, format=format), extract=extract, **options)
    except InputError as e:
        yield Extracted(path, error=e)


def extracted(loaded: Loaded, *, extract: Extractor = extract_article, **options: Any) -> Iterator[Extracted]:
    """The articles of a loaded file (:func:`dyad.read.formats.load`) with their facts; an error of
    the whole file raises InputError after the items before it."""
    for item in items_of(loaded, keep=relations_page, **options):
        if item.error is not None or item.article is None:
            yield Extracted(item.key, error=item.error)
            continue
        try:
            doc = extract(item.article, sha256=item.digest)
        except DyadError as e:
            yield Extracted(item.key, error=e)
            continue
        yield Extracted(item.key, doc, item.article.text, item.digest)


def relations_page(title: str, wikitext: str) -> bool:
    """Whether a dump page is a bilateral-relations article: a title "A–B relations" whose both sides
    are states, or the bilateral-relations infobox."""
    from .read.dump import _has_infobox

    return _states_title(title) or _has_infobox(wikitext)


def _states_title(title: str) -> bool:
    if not title.endswith((" relations", " relationship")) or not any(s in title for s in "–—-"):
        return False
    gazetteer = _gazetteer()
    a, b = parties_of(title, gazetteer)
    return all(isinstance(p, str) and gazetteer.kind(p) != "organisation" for p in (a, b))


@cache
def _gazetteer() -> Any:
    from .resolve.actors import Gazetteer

    return Gazetteer.default()


def iter_sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str | InputError]:
    """Expand the given paths to input files, in order; each path or directory that cannot be read, or a
    directory that holds no input, is an InputError in its place (the others go on)."""
    for p in paths:
        name = os.fspath(p)
        if not name:
            yield InputError(name, "an empty path; name a file or a directory")
            continue
        try:
            is_dir = stat.S_ISDIR(os.stat(name).st_mode)
        except FileNotFoundError:
            missing = "a symbolic link to nothing (its target is missing)" if os.path.islink(name) else ""
            yield InputError(name, missing or "no such file or directory")
            continue
        except OSError as e:
            yield InputError(name, open_problem(name, e))
            continue
        if is_dir:
            yield from _directory(name)
        else:
            yield name


def _directory(top: str) -> Iterator[str | InputError]:
    """The input files under a directory, sorted; each folder that cannot be listed is an InputError."""
    found: list[str] = []
    unlisted: list[InputError] = []

    def unreadable(error: OSError) -> None:
        where = str(error.filename or top)
        unlisted.append(
            InputError(where, f"cannot list the directory ({error.strerror or error}); make it readable")
        )

    for folder, subfolders, names in os.walk(top, onerror=unreadable):
        subfolders.sort()
        found.extend(os.path.join(folder, n) for n in names if _suffix_ok(Path(n)))
    yield from unlisted
    if not found and not unlisted:
        yield InputError(top, f"directory has no articles (no {', '.join(ARTICLE_SUFFIXES)} files)")
    yield from sorted(found)


def _suffix_ok(path: Path) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in ARTICLE_SUFFIXES)


def extract_many(
    paths: Iterable[str | os.PathLike[str]], *, format: str | None = None
) -> Iterator[tuple[str, Document | DyadError]]:
    """Extract every article under the paths; a file that fails gives its error and the rest go on."""
    for item in iter_sources(paths):
        if isinstance(item, InputError):
            yield item.path, item
            continue
        for got in extract_items(item, format=format):
            yield got.key, got.document if got.error is None else got.error  # type: ignore[misc]
