"""The store's one error boundary: every duckdb or file-system error becomes dyad's own, here.

:func:`guard` wraps each public method of :class:`dyad.store.Store` (a generator too); inside it, a
``duckdb.Error`` or an ``OSError`` becomes :func:`store_error`'s :class:`~dyad.errors.StoreError` (one
line: the knowledge base, what was being done, what to do), a file another process holds
:class:`~dyad.errors.StoreBusy`, and DuckDB's "Query interrupted" (Ctrl-C inside a statement) a
KeyboardInterrupt again. A guarded method carries ``guarded``, what it does, so a test can check that
none was left out.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from dyad.errors import StoreBusy, StoreError

__all__ = ["guard", "holder", "store_error"]

F = TypeVar("F", bound=Callable[..., Any])

# DuckDB's words for a file another process holds, and the process it names.
_LOCKED = re.compile(r"Could not set lock|Conflicting lock", re.I)
_LOCK_PID = re.compile(r"\(PID (\d+)\)")
_DISK_FULL = re.compile(r"No space left on device|disk is full|ENOSPC", re.I)


def store_error(path: Path, doing: str, error: BaseException) -> StoreError:
    """The one translation of a database or file-system error into dyad's own: a one-line message
    naming the knowledge base, what was being done, and what to do."""
    text = " ".join(str(error).split())  # DuckDB's messages run over several lines
    if isinstance(error, OSError) and not isinstance(error, duckdb.Error):
        text = error.strerror or text
        if error.errno == 28:  # ENOSPC
            text = "No space left on device"
    if _LOCKED.search(text):
        return StoreBusy(f"{path}: {holder(text)} is using the knowledge base; try again when it is done")
    if _DISK_FULL.search(text):
        return StoreError(f"{path}: the disk is full; cannot {doing}. Free some space and run again")
    text = re.sub(r"\s*See also https?://\S+", "", text)
    return StoreError(f"{path}: cannot {doing} ({text})")


def holder(text: str) -> str:
    """Who holds the file, from DuckDB's message about the lock."""
    pid = _LOCK_PID.search(text)
    return f"another dyad process (PID {pid[1]})" if pid else "another dyad process"


def _interrupt(error: RuntimeError) -> BaseException:
    """Ctrl-C inside a DuckDB statement: DuckDB stops it and raises RuntimeError('Query interrupted'),
    which is an interrupt (KeyboardInterrupt) again; any other RuntimeError is left as it is."""
    return KeyboardInterrupt() if str(error) == "Query interrupted" else error


def guard(doing: str) -> Callable[[F], F]:
    """Run a Store method inside the error boundary: duckdb and OS errors become :func:`store_error`."""

    def wrap(method: F) -> F:
        if inspect.isgeneratorfunction(method):

            @functools.wraps(method)
            def generator(self: Any, *args: Any, **kwargs: Any) -> Any:
                try:
                    yield from method(self, *args, **kwargs)
                except (duckdb.Error, OSError) as e:
                    raise store_error(self.path, doing, e) from e
                except RuntimeError as e:
                    raise _interrupt(e) from None

            generator.guarded = doing  # type: ignore[attr-defined]
            return generator  # type: ignore[return-value]

        @functools.wraps(method)
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (duckdb.Error, OSError) as e:
                raise store_error(self.path, doing, e) from e
            except RuntimeError as e:
                raise _interrupt(e) from None

        call.guarded = doing  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return wrap
