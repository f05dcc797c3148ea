"""A cache of answers bounded by the bytes it holds, not by how many it holds.

The web app caches what a request asked for (a page of facts as JSON, a pair's page as HTML, a locator
map as SVG), keyed by the request's parameters. Those keys are the client's to choose: a cache bounded
by entries let 400 distinct ``/api/facts?since=YEAR`` calls hold 400 full results (a gigabyte). Here
every entry is counted by its size (the value's ``len``, plus its key and :data:`ENTRY_OVERHEAD`), and
the least recently used entries go as soon as the total passes ``max_bytes``. A value larger than a
quarter of the bound is returned but not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sized
from typing import Any, TypeVar

__all__ = ["ENTRY_OVERHEAD", "ByteCache", "size_of"]

T = TypeVar("T")

#: Bytes counted for each entry beyond its value and key: the dictionary slot, the key tuple, the
#: size record (about 200 bytes in CPython), rounded up.
ENTRY_OVERHEAD = 256
#: The largest share of the bound one value may take and still be kept.
LARGEST_SHARE = 4


def size_of(value: Any) -> int:
    """The bytes a cached value is counted for: its length when it has one (bytes, str), else 0.

    Values kept here are encoded answers (bytes of JSON or HTML, str of SVG), for which ``len`` is their
    size to within the object header; a tuple counts each of its items, ``None`` nothing.
    """
    if isinstance(value, tuple):
        return sum(size_of(v) for v in value)
    if isinstance(value, (bytes, str, bytearray)):
        return len(value)
    if isinstance(value, Sized):
        raise TypeError(f"cache values are bytes or str, not {type(value).__name__}")
    return 0


def _key_size(key: Hashable) -> int:
    if isinstance(key, tuple):
        return sum(_key_size(k) for k in key)
    return len(key) if isinstance(key, (str, bytes)) else 8


class ByteCache:
    """A thread-safe least-recently-used map holding at most ``max_bytes`` (see the module doc).

    ``bytes`` is what it holds now, by the same count that bounds it; ``len()`` how many entries.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def sizes(self) -> dict[Hashable, int]:
        """Each key with the bytes it is counted for (their sum is :attr:`bytes`)."""
        with self._lock:
            return {k: n for k, (_, n) in self._items.items()}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under ``key``, computed by ``compute()`` and kept when missing.

        Two threads missing the same key both compute it; the later one's value is kept.
        """
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found[0]  # type: ignore[no-any-return]
        value = compute()
        size = size_of(value) + _key_size(key) + ENTRY_OVERHEAD
        if size * LARGEST_SHARE > self.max_bytes:
            return value
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, freed) = self._items.popitem(last=False)
                self.bytes -= freed
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0
