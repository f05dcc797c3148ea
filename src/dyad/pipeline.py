"""read → resolve → extract for files and directories: the entry points the CLI and the store use."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import DyadError, InputError
from .extract import extract_article
from .model import Document
from .read.article import read_article, read_text
from .settings import ARTICLE_SUFFIXES

__all__ = ["extract_text", "extract_file", "iter_sources", "extract_many"]


def extract_text(text: str, path: str = "<text>") -> Document:
    """Extract the facts of an article given as a string."""
    return extract_article(read_text(text, path))


def extract_file(path: str | os.PathLike[str]) -> Document:
    """Extract the facts of one article file; raise InputError naming the file when it can't be read."""
    article = read_article(path)
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    return extract_article(article, sha256=digest)


def iter_sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str | InputError]:
    """Expand the given paths to article files, in order; a path that yields none is an InputError."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(str(f) for f in path.rglob("*") if f.is_file() and f.suffix in ARTICLE_SUFFIXES)
            if not found:
                yield InputError(
                    str(p), f"directory has no articles (no {', '.join(ARTICLE_SUFFIXES)} files)"
                )
            yield from found
        elif not path.exists():
            yield InputError(str(p), "no such file or directory")
        else:
            yield str(p)


def extract_many(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, Document | DyadError]]:
    """Extract every article under the paths; a file that fails gives its error and the rest go on."""
    for item in iter_sources(paths):
        if isinstance(item, InputError):
            yield item.path, item
            continue
        try:
            yield item, extract_file(item)
        except DyadError as e:
            yield item, e
