"""The paths the web shows: never the server's own, only enough of each to tell sources apart.

The knowledge base keeps the absolute path every source was read from (``/home/ann/corpus/en/x.txt``,
``/srv/dumps/enwiki.xml.bz2#Belgium–Syria relations``). The web app shows each as its shortest ending
that no other source of the knowledge base shares: the file name (``x.txt``), with as many folders
before it as it takes to tell it from another ``x.txt`` (``en/x.txt`` beside ``fr/x.txt``); a dump
page keeps its ``#title``. Uploads, named by their digest, show as that name.

:class:`PublicStore` is the read-only store the web reads through: every source record it returns,
alone or in a fact, carries these names in ``path`` and ``paths``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from dyad.model import SourceRecord, StoredFact
from dyad.store import Store

__all__ = ["PublicStore", "public_names", "split_path"]


def split_path(path: str) -> tuple[str, ...]:
    """A stored path as its parts: the folders and the file name, whose ``#fragment`` (a dump's page,
    a line of JSON Lines) stays with it, ``/`` and all."""
    head, mark, fragment = path.partition("#")
    parts = [p for p in head.split("/") if p]
    if not parts:
        return (path.lstrip("/") or path,)
    parts[-1] += mark + fragment
    return tuple(parts)


def public_names(paths: Iterable[str]) -> dict[str, str]:
    """Each path with its shortest ending (whole parts) that no other of ``paths`` ends with.

    A path that is itself the ending of another (``/a/x.txt`` and ``/b/a/x.txt``) shows whole but for
    its leading ``/``.
    """
    parts = {p: split_path(p) for p in dict.fromkeys(paths)}
    depth = dict.fromkeys(parts, 1)
    pending = set(parts)
    while pending:
        groups: dict[tuple[str, ...], list[str]] = {}
        for p in pending:
            groups.setdefault(parts[p][-depth[p] :], []).append(p)
        pending = set()
        for members in groups.values():
            if len(members) > 1:
                for p in members:
                    if depth[p] < len(parts[p]):
                        depth[p] += 1
                        pending.add(p)
    return {p: "/".join(parts[p][-depth[p] :]) for p in parts}


class PublicStore(Store):
    """A read-only :class:`~dyad.store.Store` whose source records show public names (module doc).

    ``names`` gives the name of every stored path; it is called when a record is first shown, so that
    the web app can compute the names once per version of the knowledge base (:func:`public_names`
    over :meth:`all_paths`).
    """

    def __init__(
        self, path: str | os.PathLike[str], names: Callable[[PublicStore], Mapping[str, str]]
    ) -> None:
        # one thread a query: the web's queries are small, and each version of the file opened would
        # start a pool of DuckDB threads of its own
        super().__init__(path, read_only=True, threads=1)
        self._names_of = names

    def all_paths(self) -> list[str]:
        """Every path a source of the knowledge base was read from (its own and the other ones)."""
        return [p for s in super().sources() for p in (s.path, *s.paths)]

    def _public(self, source: SourceRecord, seen: dict[int, SourceRecord]) -> SourceRecord:
        shown = seen.get(id(source))
        if shown is None:
            names = self._names_of(self)
            shown = dataclasses.replace(
                source,
                path=names.get(source.path) or split_path(source.path)[-1],
                paths=tuple(names.get(p) or split_path(p)[-1] for p in source.paths),
            )
            seen[id(source)] = shown
        return shown

    def _facts_shown(self, facts: list[StoredFact]) -> list[StoredFact]:
        seen: dict[int, SourceRecord] = {}
        return [StoredFact(sf.id, sf.fact, self._public(sf.source, seen)) for sf in facts]

    def _sources_shown(self, sources: list[SourceRecord]) -> list[SourceRecord]:
        seen: dict[int, SourceRecord] = {}
        return [self._public(s, seen) for s in sources]

    def pair_facts(self, a: Any, b: Any) -> list[StoredFact]:
        return self._facts_shown(super().pair_facts(a, b))

    def source_facts(self, *source_ids: int) -> list[StoredFact]:
        return self._facts_shown(super().source_facts(*source_ids))

    def facts(self, **filters: Any) -> list[StoredFact]:  # type: ignore[override]
        return self._facts_shown(super().facts(**filters))

    def iter_facts(self, **filters: Any) -> Iterator[StoredFact]:  # type: ignore[override]
        seen: dict[int, SourceRecord] = {}
        for sf in super().iter_facts(**filters):
            yield StoredFact(sf.id, sf.fact, self._public(sf.source, seen))

    def sources(self) -> list[SourceRecord]:
        return self._sources_shown(super().sources())

    def source(self, path_or_id: str | int) -> SourceRecord | None:
        found = super().source(path_or_id)
        return None if found is None else self._public(found, {})

    def sources_about(self, a: Any, b: Any) -> list[SourceRecord]:
        return self._sources_shown(super().sources_about(a, b))
