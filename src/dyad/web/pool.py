"""Read-only knowledge bases for the web app, one per worker thread, and the lock that lets ingest in.

Every query of the web app runs on a read-only DuckDB connection. Each worker thread keeps its own
connection (DuckDB connections are not shared across threads; a second read-only connection to a file
the process has open reuses the same database instance, so opening one per thread is cheap).

While the server runs, nothing else can write the file: DuckDB locks it against writers from other
processes for as long as a read-only connection is open. So what the knowledge base holds changes only
through the app's own ingest, and answers that are costly to compute (the list of pairs, the countries)
are cached until then. Ingest takes the lock exclusively: it waits for the requests in flight, closes
every read-only connection, writes through a read-write one, and bumps :attr:`ReadPool.generation`,
which empties the caches and makes each thread reopen its connection.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from dyad import kb as kb_api
from dyad.kb import KnowledgeBase
from dyad.store import Store

__all__ = ["ReadPool"]

T = TypeVar("T")

#: How many computed answers (country summaries, pages of facts) the pool keeps per generation.
CACHE_SIZE = 512
#: How many answers about one pair (a state in JSON, a page's profile and pictures) it keeps apart, so
#: that a stream of pairs cannot push the costly lists above out of the cache. A state is some 20 kB.
PAIR_CACHE_SIZE = 256


class _Gate:
    """Many readers at once, or one writer; a waiting writer goes before readers that come later."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class _Lru:
    """A thread-safe map that forgets the least recently used of more than ``size`` entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class ReadPool:
    """Read-only :class:`KnowledgeBase` objects for the threads of a web app, and a cache of answers.

    ``writable`` pools (the app allows ingest) guard reads with a readers-writer lock so that
    :meth:`write` can close them all; other pools skip the lock. ``gazetteer`` replaces the default
    one (tests and benchmarks).
    """

    def __init__(self, path: Path, *, writable: bool = False, gazetteer: Any = None) -> None:
        self.path = path
        self.writable = writable
        self.generation = 0
        self._gazetteer = gazetteer
        self._local = threading.local()
        self._opened: list[KnowledgeBase] = []
        self._opened_lock = threading.Lock()
        self._gate = _Gate() if writable else None
        self._cache = _Lru(CACHE_SIZE)
        self._pair_cache = _Lru(PAIR_CACHE_SIZE)
        if writable and not path.exists():
            kb_api.open(path).close()  # an empty knowledge base to ingest into
        kb = self._own()  # fail now, not at the first request, when the file cannot be opened
        # One gazetteer for every thread, built now: threads that each found it missing at their first
        # request would all build it at once (seconds of CPU, under the first load).
        self._gazetteer = kb.gazetteer

    def _own(self) -> KnowledgeBase:
        """This thread's read-only knowledge base, opened when missing or older than the generation."""
        local = self._local
        kb = getattr(local, "kb", None)
        if kb is None or local.generation != self.generation:
            kb = self._open(read_only=True)
            local.kb, local.generation = kb, self.generation
            with self._opened_lock:
                self._opened.append(kb)
        return kb

    @contextmanager
    def read(self) -> Iterator[KnowledgeBase]:
        """A read-only knowledge base for this thread, for the length of one request."""
        if self._gate is None:
            yield self._own()
            return
        with self._gate.shared():
            yield self._own()

    @contextmanager
    def write(self) -> Iterator[KnowledgeBase]:
        """A read-write knowledge base, once every read in flight has finished; readers wait meanwhile."""
        if self._gate is None:
            raise RuntimeError("this pool was made without writable=True")
        with self._gate.exclusive():
            self._close_all()
            self.generation += 1
            self._cache.clear()
            self._pair_cache.clear()
            kb = self._open(read_only=False)
            try:
                yield kb
            finally:
                kb.close()

    def _open(self, *, read_only: bool) -> KnowledgeBase:
        return KnowledgeBase(Store(self.path, read_only=read_only), gazetteer=self._gazetteer)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` until the knowledge base changes."""
        return self._cache.get((self.generation, key), compute)

    def cached_pair(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Like :meth:`cached`, for an answer about one pair: kept in a cache of its own."""
        return self._pair_cache.get((self.generation, key), compute)

    def _close_all(self) -> None:
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for kb in opened:
            kb.close()

    def close(self) -> None:
        """Close every connection the pool opened (threads reopen theirs if used again)."""
        self._close_all()
        self.generation += 1
