"""Extraction of uploaded articles in a process of its own, one at a time, and cancellable.

An upload is read and extracted exactly as ``dyad ingest`` does (:func:`dyad.pipeline.extract_items`),
but not in the server's process: there it would hold the interpreter's lock for seconds (a 20 MB
article), slowing every request, and could not be stopped. Each upload is extracted in a child
process forked from a server process (multiprocessing's ``forkserver``) that has dyad's reader,
extractor and gazetteer loaded already (:mod:`dyad.web.warm`), so a child starts in milliseconds and
its memory goes back to the system when it ends. Cancelling :meth:`Extractor.extract` (the client went
away) kills the child.

One extraction runs at a time per server process (:data:`PARALLEL`); the others wait their turn.
Like every process multiprocessing starts, a child first imports the server's main module from its
file (the ``dyad`` script): a server run from standard input (``python -``) cannot extract.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.to_thread

from dyad.errors import DyadError, InputError
from dyad.pipeline import Extracted

__all__ = ["PARALLEL", "Extractor", "ExtractorFailed"]

#: Extractions that run at once in one server process.
PARALLEL = 1
#: How much lower than the server an extraction process runs (``nice``): an upload waits for the
#: readers, not the readers for it.
NICENESS = 10
#: Seconds an extraction process that answered has to end before it is killed.
JOIN_SECONDS = 10.0
#: Module the child processes' parent (the fork server) imports first: it loads what extraction needs.
WARM_MODULE = "dyad.web.warm"


class ExtractorFailed(RuntimeError):
    """The extraction process ended without an answer (killed by the system, or a crash): a bug or a
    machine out of memory, not bad input."""


@dataclass(frozen=True, slots=True)
class _Error:
    """A DyadError in a form that crosses processes (InputError's arguments do not pickle back)."""

    path: str | None
    problem: str

    def error(self) -> DyadError:
        return InputError(self.path, self.problem) if self.path is not None else DyadError(self.problem)

    @classmethod
    def of(cls, e: DyadError) -> _Error:
        return cls(e.path, e.problem) if isinstance(e, InputError) else cls(None, str(e))


def _child(path: str, format: str | None, answer: multiprocessing.connection.Connection) -> None:
    """In the child: extract every item of ``path`` and send them back, readers first: the child runs
    at a lower priority (:data:`NICENESS`), so the server's processes get the cores before it."""
    from dyad.pipeline import extract_items

    os.nice(NICENESS)
    items = []
    for got in extract_items(path, format=format):
        error = _Error.of(got.error) if got.error is not None else None
        items.append((got.key, got.document, got.text, got.digest, error))
    answer.send(items)
    answer.close()


class Extractor:
    """Runs :func:`dyad.pipeline.extract_items` on uploads in child processes (module doc)."""

    def __init__(self) -> None:
        self._context: Any = None
        self._turns = anyio.Semaphore(PARALLEL)
        self._threads = anyio.CapacityLimiter(PARALLEL + 2)
        self.running = 0  # children alive now (tests look at it)
        self.cancelled = 0  # children killed because their request was cancelled

    def _start(self, path: str, format: str | None) -> tuple[Any, multiprocessing.connection.Connection]:
        if self._context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([WARM_MODULE])
            self._context = context
        receive, send = self._context.Pipe(duplex=False)
        process = self._context.Process(target=_child, args=(path, format, send), daemon=True)
        process.start()
        send.close()
        return process, receive

    async def extract(self, path: str, *, format: str | None = None) -> list[Extracted]:
        """Every item of the file at ``path`` (one for an article), read and extracted in a child.

        Cancellation kills the child. Raises :class:`ExtractorFailed` when the child dies unanswered.
        """
        async with self._turns:
            process, receive = await anyio.to_thread.run_sync(
                self._start, path, format, limiter=self._threads
            )
            self.running += 1
            try:
                items = await anyio.to_thread.run_sync(
                    receive.recv, abandon_on_cancel=True, limiter=self._threads
                )
            except EOFError:
                receive.close()
                raise ExtractorFailed(f"the extraction of {path} ended without an answer") from None
            except BaseException:
                # Cancelled: the thread left waiting in recv() sees the pipe close when the child dies,
                # and the pipe is closed when that thread lets go of it (closing it under the thread
                # could hand its descriptor to another file).
                self.cancelled += 1
                process.kill()
                raise
            else:
                receive.close()
            finally:
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(process.join, JOIN_SECONDS, limiter=self._threads)
                if process.exitcode is None:  # answered but did not end: it is of no more use
                    process.kill()
                self.running -= 1
        return [
            Extracted(key, document, text, digest, error.error() if error is not None else None)
            for key, document, text, digest, error in items
        ]
