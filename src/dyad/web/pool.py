"""Read-only knowledge bases for the web app's threads, writes that never stop them, and the caches.

Every query of the web app runs on a read-only DuckDB connection, one per thread (DuckDB connections
are not shared across threads; the connections of a process to one path share one database instance,
so opening one per thread is cheap). Source records come through :class:`~dyad.web.paths.PublicStore`,
which shows paths without the server's folders.

**Without ingest** nothing can change the file while the server runs: DuckDB locks it against writers
from other processes as long as a read-only connection is open. Connections stay open.

**With ingest** (``writable``), a write never makes a reader wait. :meth:`ReadPool.write` copies the
file to a temporary one beside it (``cp --reflink=auto``: a clone where the file system can), writes
the copy, and renames it over the file. Requests in flight go on reading the file they opened, which
lives on while it is open; each request first checks (one ``stat``) whether the file was replaced, and
reads the new one if so. DuckDB keeps one database per path in a process, so each version of the file
is opened through a hard link of its own (``.<name>.read-<pid>-<n>``); the connections to an older
version are closed, and its link removed, once no request uses them. Writers take turns through a lock
file (``.<name>.lock``): the threads of one process and the processes of ``dyad serve --workers N``.

The file being copied is never written in place: other processes cannot write it (the read-only
connections lock it, and the last writer keeps a connection to the file it renamed in place until the
next write), and this process copies it with ``cp`` so that closing the copied file does not drop the
process's DuckDB locks (POSIX locks are the process's, and any close of the file lets go of them all).

Caches: :meth:`ReadPool.cached` keeps encoded answers (bytes, str), bounded by bytes
(:class:`~dyad.web.cache.ByteCache`); :meth:`ReadPool.kept` keeps the few whole lists that every page
reads (pairs, countries, sources), one each. Both hold answers of the version they were computed from.
"""

from __future__ import annotations

import ctypes
import fcntl
import itertools
import os
import secrets
import subprocess
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from dyad import kb as kb_api
from dyad.errors import StoreError
from dyad.kb import KnowledgeBase
from dyad.store import Store
from dyad.web.cache import ByteCache
from dyad.web.paths import PublicStore, public_names

__all__ = ["CACHE_BYTES", "ReadPool"]

T = TypeVar("T")

#: Bytes of encoded answers (pages and JSON) the pool keeps: some fifty pair pages, for the questions
#: asked again (a pair in the news, the date control going back and forth); a bigger cache serves few
#: more of them, random pairs being seldom asked twice (bench/serve.py), and the server's memory grows
#: by all of it (with 16 MB here and for maps, two workers grew 11 % from their first minute in
#: bench/soak.py).
CACHE_BYTES = 8 * 1024 * 1024


@dataclass(eq=False)
class _Version:
    """One state of the knowledge base file, and the hard link this process reads it through."""

    number: int
    ident: tuple[int, int, int, int]
    link: Path
    connections: int = 0


@dataclass(eq=False)
class _Connection:
    """A thread's knowledge base. ``lock`` is held while a request uses it, so that another thread may
    close it (``dead``) only while it is idle."""

    kb: KnowledgeBase
    version: _Version | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    dead: bool = False


def _ident(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)


class ReadPool:
    """Read-only :class:`KnowledgeBase` objects for the threads of a web app, and its caches.

    ``writable`` pools (the app allows ingest) take writes through :meth:`write` (module doc).
    ``gazetteer`` replaces the default one (tests and benchmarks); ``cache_bytes`` bounds
    :meth:`cached`.
    """

    def __init__(
        self, path: Path, *, writable: bool = False, gazetteer: Any = None, cache_bytes: int = CACHE_BYTES
    ) -> None:
        self.path = path
        self.writable = writable
        self.cache = ByteCache(cache_bytes)
        self._gazetteer = gazetteer
        self._local = threading.local()
        self._lock = threading.Lock()  # the versions and the list of connections
        self._connections: list[_Connection] = []
        self._version: _Version | None = None
        self._old: list[_Version] = []
        self._numbers = itertools.count(1)
        self._kept: dict[Hashable, Any] = {}
        self._write_lock = threading.Lock()
        self._guard: Store | None = None
        self._closed = False
        if writable:
            self._prepare()
        with self.read() as kb:  # fail now, not at the first request, when the file cannot be opened
            # One gazetteer for every thread, built now: threads that each found it missing at their
            # first request would all build it at once (seconds of CPU, under the first load).
            self._gazetteer = kb.gazetteer

    @property
    def generation(self) -> int:
        """The number of the version this thread reads (0 when the pool takes no writes)."""
        conn = getattr(self._local, "conn", None)
        return conn.version.number if conn is not None and conn.version is not None else 0

    # -- reading --

    @contextmanager
    def read(self) -> Iterator[KnowledgeBase]:
        """A read-only knowledge base for this thread, for the length of one request."""
        conn = self._checkout()
        try:
            yield conn.kb
        finally:
            conn.lock.release()
            if self._old:
                self._sweep()

    def _checkout(self) -> _Connection:
        """This thread's connection, locked, on the current version (opened when missing or older)."""
        conn: _Connection | None = getattr(self._local, "conn", None)
        current = self._current() if self.writable else None
        if conn is not None:
            conn.lock.acquire()
            if not conn.dead and conn.version is current:
                return conn
            if not conn.dead:
                self._drop(conn)
            conn.lock.release()
        conn = self._connect()
        conn.lock.acquire()
        self._local.conn = conn
        return conn

    def _connect(self) -> _Connection:
        if not self.writable:
            kb = self._open(self.path)
            conn = _Connection(kb, None)
            with self._lock:
                self._connections.append(conn)
            return conn
        with self._lock:  # counted before it is opened, so that no sweep removes its link meanwhile
            version = self._current_locked()
            version.connections += 1
        try:
            kb = self._open(version.link)
        except BaseException:
            with self._lock:
                version.connections -= 1
            raise
        conn = _Connection(kb, version)
        with self._lock:
            self._connections.append(conn)
        return conn

    def _open(self, path: Path) -> KnowledgeBase:
        store = PublicStore(path, self._public_names)
        return KnowledgeBase(store, gazetteer=self._gazetteer)

    def _public_names(self, store: PublicStore) -> Mapping[str, str]:
        return self.kept("public-names", lambda: public_names(store.all_paths()))

    def _stat(self) -> tuple[int, int, int, int]:
        try:
            return _ident(os.stat(self.path))
        except OSError as e:
            raise StoreError(f"{self.path.name}: the knowledge base file is gone ({e.strerror})") from e

    def _current(self) -> _Version:
        version = self._version
        if version is not None and version.ident == self._stat():
            return version
        with self._lock:
            return self._current_locked()

    def _current_locked(self) -> _Version:
        """The version the file is now; a new one (and its link) when it was replaced. Holds _lock."""
        version = self._version
        if version is not None and version.ident == self._stat():
            return version
        number = next(self._numbers)
        link = self.path.with_name(f".{self.path.name}.read-{os.getpid()}-{number}")
        try:
            os.link(self.path, link)
        except OSError as e:
            raise StoreError(
                f"{self.path.name}: cannot open the knowledge base to read ({e.strerror})"
            ) from e
        new = _Version(number, _ident(os.stat(link)), link)
        if version is not None:
            self._old.append(version)
        self._version = new
        self.cache.clear()
        self._kept.clear()
        return new

    def _drop(self, conn: _Connection) -> None:
        """Close an idle connection (its lock held) and, with its version's last one, the link."""
        conn.dead = True
        conn.kb.close()
        with self._lock:
            self._connections.remove(conn)
            version = conn.version
            if version is None:
                return
            version.connections -= 1
            gone = version.connections == 0 and version is not self._version
            if gone:
                version.link.unlink(missing_ok=True)
                self._old.remove(version)
        if gone:
            _give_back()

    def _sweep(self) -> None:
        """Close the idle connections to versions older than the current one."""
        with self._lock:
            stale = [c for c in self._connections if c.version is not self._version]
            empty = [v for v in self._old if v.connections == 0]
            for v in empty:
                v.link.unlink(missing_ok=True)
                self._old.remove(v)
        for conn in stale:
            if conn.lock.acquire(blocking=False):
                try:
                    if not conn.dead:
                        self._drop(conn)
                finally:
                    conn.lock.release()

    # -- caches --

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` (bytes or str: an encoded answer), kept under ``key`` for the version this
        thread reads, within the pool's bound of bytes. Call it inside :meth:`read`."""
        return self.cache.get((self.generation, key), compute)

    def kept(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept under ``key`` for the version this thread reads: for the few answers every
        page needs whole (the lists of pairs, countries and sources), whose keys are a fixed few. Call it
        inside :meth:`read`."""
        full = (self.generation, key)
        try:
            return self._kept[full]  # type: ignore[no-any-return]
        except KeyError:
            value = self._kept[full] = compute()
            return value

    # -- writing --

    @contextmanager
    def write(self) -> Iterator[KnowledgeBase]:
        """A read-write knowledge base on a copy of the file, renamed over it when the block ends.

        Readers do not wait (module doc). An error in the block leaves the file as it was. Raises
        :class:`~dyad.errors.StoreError` when the copy cannot be made (a full disk).
        """
        if not self.writable:
            raise RuntimeError("this pool was made without writable=True")
        with self._write_lock, self._file_lock():
            copy = self.path.with_name(f".{self.path.name}.write-{os.getpid()}-{secrets.token_hex(4)}")
            try:
                _clone(self.path, copy)
                kb = KnowledgeBase(Store(copy), gazetteer=self._gazetteer)
            except BaseException:
                _remove(copy)
                raise
            try:
                yield kb
                kb.close()
                guard = Store(copy, read_only=True)  # keeps other processes from writing the new file
                os.replace(copy, self.path)
            except BaseException:
                kb.close()
                _remove(copy)
                raise
            _sync_folder(self.path.parent)
            old, self._guard = self._guard, guard
            if old is not None:
                old.close()

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _prepare(self) -> None:
        """Make the file ready to be copied: created when missing, its write-ahead log (left by a writer
        that stopped) folded in; and remove what stopped writers and servers left beside it."""
        with self._file_lock():
            if not self.path.exists() or self.path.with_name(self.path.name + ".wal").exists():
                kb_api.open(self.path).close()
            for left in self.path.parent.glob(f".{self.path.name}.*-*"):
                kind, _, rest = left.name[len(self.path.name) + 2 :].partition("-")
                pid = rest.partition("-")[0]
                if kind in ("read", "write") and pid.isdigit() and not _alive(int(pid)):
                    _remove(left)

    def close(self) -> None:
        """Close every connection the pool opened and remove its links (threads reopen if used again)."""
        with self._lock:
            conns, self._connections = self._connections, []
            versions = [*self._old, *([self._version] if self._version else [])]
            self._old, self._version = [], None
        for conn in conns:
            conn.dead = True
            conn.kb.close()
        for version in versions:
            version.link.unlink(missing_ok=True)
        if self._guard is not None:
            self._guard.close()
            self._guard = None


def _give_back() -> None:
    """Hand the memory an old version's database held back to the system (glibc's ``malloc_trim``).

    Each version of the file is a DuckDB database of its own; closing it frees its memory to the C
    allocator, which keeps it for the process. Without this a worker's resident size rose for minutes
    after start (bench/soak.py). Where the C library has no ``malloc_trim`` this does nothing.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


_MALLOC_TRIM = getattr(ctypes.CDLL(None), "malloc_trim", None)


def _clone(source: Path, target: Path) -> None:
    """Copy ``source`` to the new file ``target`` in another process (module doc: POSIX locks)."""
    done = subprocess.run(
        ["cp", "--reflink=auto", "--", str(source), str(target)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        problem = done.stderr.strip().rpartition(": ")[2] or f"cp exited with {done.returncode}"
        raise StoreError(f"{source.name}: cannot copy the knowledge base to write it ({problem})")


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        with suppress(OSError):
            p.unlink()


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
