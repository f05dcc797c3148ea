"""What the commands share: the ``--db`` and ``--format-in`` options, opening the knowledge base, one-line
error messages, progress bars and writing a file or stdout."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from dyad import kb as kb_api
from dyad.errors import DyadError, shown
from dyad.read.formats import format_names
from dyad.settings import DB_ENV, PROGRESS_MIN_FILES

__all__ = ["db_option", "fail", "format_in_option", "one_line", "open_kb", "progress", "write_output"]

F = TypeVar("F", bound=Callable[..., Any])


def one_line(message: str) -> str:
    """A message as one line: any control character escaped (a newline in a file name must not split
    the line it is named in)."""
    return shown(message) if message else message


def fail(message: str | DyadError) -> None:
    """Print ``Error: <message>`` on stderr, as one line."""
    click.echo(f"Error: {one_line(str(message))}", err=True)


def db_option(f: F) -> F:
    """``--db PATH`` (or ``$DYAD_DB``): the knowledge base file."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar=DB_ENV,
        show_envvar=True,
        help="Knowledge base file [default: dyad.duckdb in the user data directory].",
    )(f)


def format_in_option(f: F) -> F:
    """``--format-in NAME``: read every input as this format instead of telling it by content."""
    return click.option(
        "--format-in",
        type=click.Choice(format_names()),
        help="Read the inputs as this format instead of telling it from their content.",
    )(f)


def _waiting(message: str) -> None:
    click.echo(f"dyad: {one_line(message)}", err=True)


@contextmanager
def open_kb(db: Path | None, *, read_only: bool) -> Iterator[kb_api.KnowledgeBase]:
    """The knowledge base at ``db`` (or the default), closed at the end; while another process holds
    it, one line on stderr says so and the open waits (then fails with one line)."""
    kb = kb_api.open(db, read_only=read_only, on_wait=_waiting)
    try:
        yield kb
    finally:
        kb.close()


def progress(items: list[Any], label: str) -> Iterator[Any]:
    """Items with a progress bar on stderr, when stderr is a terminal and there are enough of them."""
    if len(items) >= PROGRESS_MIN_FILES and sys.stderr.isatty():
        from tqdm import tqdm

        yield from tqdm(items, desc=label, unit="file", file=sys.stderr, leave=False)
    else:
        yield from items


def write_output(text: str | Iterable[str], output: Path | None) -> None:
    """Write text to ``output``, or to stdout when it is None; a file that cannot be written is a
    DyadError naming it."""
    chunks = [text] if isinstance(text, str) else text
    if output is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    try:
        with output.open("w", encoding="utf-8") as f:
            for chunk in chunks:
                f.write(chunk)
    except OSError as e:
        raise DyadError(f"{shown(str(output))}: cannot write the file ({e.strerror or e})") from None
