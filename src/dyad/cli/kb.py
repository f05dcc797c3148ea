"""The knowledge-base commands: ingest, show, timeline, facts, pairs, sources, remove.

Each command is a thin shell over :mod:`dyad.kb`, :mod:`dyad.report` and :mod:`dyad.export`. Every
command takes ``--db PATH`` (or ``$DYAD_DB``); the default is dyad.duckdb in the user's data directory.
A pair with no facts is an answer, not an error: ``show`` and ``timeline`` say which sources about the
pair were read, and exit 0.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from dyad import export, report
from dyad.cli.common import db_option, fail, format_in_option, open_kb
from dyad.errors import DyadError
from dyad.ingest import IngestInterrupted, IngestReport
from dyad.model import FACT_TYPES
from dyad.settings import PROGRESS_MIN_FILES

__all__ = ["facts", "ingest", "pairs", "remove", "show", "sources", "timeline"]

#: Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


def _progress(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc="ingest",
        unit="file",
        file=sys.stderr,
        leave=False,
        disable=total < PROGRESS_MIN_FILES,
    )


class _ScanBar:
    """A progress bar for a dump's scan on stderr: bytes read, with pages seen, kept and facts."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.path = ""

    def __call__(self, path: str, state: Any, facts: int) -> None:
        from tqdm import tqdm

        if self.bar is None or self.path != path:
            self.close()
            name = Path(path).name
            self.bar = tqdm(
                total=state.total, desc=name, unit="B", unit_scale=True, file=sys.stderr, leave=False
            )
            self.path = path
        self.bar.update(state.read - self.bar.n)
        self.bar.set_postfix_str(f"{state.pages:,} pages seen, {state.kept:,} kept, {facts:,} facts")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@click.command()
@click.argument("paths", nargs=-1, required=True)
@format_in_option
@db_option
def ingest(paths: tuple[str, ...], format_in: str | None, db: Path | None) -> None:
    """Extract the facts of articles (files, directories or MediaWiki dumps) into the knowledge base.

    A file already stored and unchanged is skipped; a changed one has its facts replaced. Sources are
    written in batches, each in one transaction, so every source is fully old or fully new. A file that
    cannot be read is reported and the others are ingested. A dump (.xml, .xml.bz2, .xml.gz) is
    streamed once, keeping its bilateral-relations pages, each a source of its own; run the same command
    again to resume an interrupted scan. When the knowledge base cannot be written (a full disk), the
    run stops with a summary of what was stored.
    """
    bar = _ScanBar() if sys.stderr.isatty() else None
    with open_kb(db, read_only=False) as kb:
        where = str(kb.path)
        try:
            done = kb.ingest(
                paths,
                progress=_progress if sys.stderr.isatty() else None,
                format=format_in,
                on_scan=bar,
            )
        except IngestInterrupted as stop:
            _summary(stop.report, where)
            fail(
                f"interrupted: {stop.report.left:,} sources not stored (the batch being written was rolled "
                "back whole); run the same command again to go on"
            )
            raise SystemExit(INTERRUPTED) from None
        finally:
            if bar is not None:
                bar.close()
    _summary(done, where)
    if done.stopped is not None:
        fail(f"{done.stopped} ({done.left:,} sources not stored)")
    if not done.ok:
        raise SystemExit(1)


def _summary(done: IngestReport, where: str) -> None:
    for result in done.errors:
        fail(str(result.error))
    click.echo(report.ingest_summary(done, where), nl=False)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--at",
    "at",
    metavar="DATE",
    help="Date to show, EDTF or plain (2013, 2013-05, '20 March 1946') [default: today].",
)
@click.option(
    "--format", "fmt", type=click.Choice(list(report.SHOW_FORMATS)), default="text", show_default=True
)
@db_option
def show(a: str, b: str, at: str | None, fmt: str, db: Path | None) -> None:
    """The state of relations between A and B on a date, each line with its sources.

    A and B take names, codes or adjectives (Belgium, BEL, Belgian).
    """
    with open_kb(db, read_only=True) as kb:
        click.echo(report.SHOW_FORMATS[fmt](kb.show(a, b, at=at)), nl=False)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--format", "fmt", type=click.Choice(list(report.TIMELINE_FORMATS)), default="text", show_default=True
)
@db_option
def timeline(a: str, b: str, fmt: str, db: Path | None) -> None:
    """Every dated fact of A and B in time order, starts and ends as events; undated facts apart."""
    with open_kb(db, read_only=True) as kb:
        click.echo(report.TIMELINE_FORMATS[fmt](kb.timeline(a, b)), nl=False)


@click.command()
@click.argument("actors", nargs=-1, metavar="[A [B]]")
@click.option("--type", "type_", type=click.Choice(list(FACT_TYPES)), help="Only facts of this type.")
@click.option("--since", metavar="DATE", help="Only facts whose time reaches this date or later.")
@click.option("--until", metavar="DATE", help="Only facts whose time reaches this date or earlier.")
@click.option(
    "--format", "fmt", type=click.Choice([*export.TEXT_EXPORTS, "parquet"]), default="json", show_default=True
)
@db_option
def facts(
    actors: tuple[str, ...],
    type_: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    db: Path | None,
) -> None:
    """Export facts in the facts.md shape: JSON Lines of documents, or one row per fact (csv, parquet).

    With A, only facts involving A; with A and B, only facts between them. A time filter leaves out
    facts with no date. Facts come source by source, in the order stored, read a page at a time: an
    export of any size takes the memory of one page.
    """
    if len(actors) > 2:
        raise click.UsageError("give at most two countries")
    if fmt == "parquet" and sys.stdout.isatty():
        raise DyadError(
            "parquet output is binary; redirect it to a file (dyad facts --format parquet > facts.parquet)"
        )
    with open_kb(db, read_only=True) as kb:
        found = kb.iter_facts(*actors, type=type_, since=since, until=until)  # checks names and dates
        if fmt == "parquet":
            sys.stdout.flush()
            export.write_parquet(found, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return
        for chunk in export.TEXT_EXPORTS[fmt](found):
            click.echo(chunk, nl=False)


@click.command()
@click.option("--format", "fmt", type=click.Choice(report.LIST_FORMATS), default="text", show_default=True)
@db_option
def pairs(fmt: str, db: Path | None) -> None:
    """The pairs the knowledge base holds facts about, with fact and source counts."""
    with open_kb(db, read_only=True) as kb:
        found, names = kb.pairs(), kb.names()
    render = report.pairs_text if fmt == "text" else report.pairs_json
    click.echo(render(found, names), nl=False)


@click.command()
@click.option("--format", "fmt", type=click.Choice(report.LIST_FORMATS), default="text", show_default=True)
@click.option("--show", "show_id", type=int, metavar="ID", help="Print the text of the source with this id.")
@db_option
def sources(fmt: str, show_id: int | None, db: Path | None) -> None:
    """The sources the knowledge base holds, with their ids and fact counts.

    With --show ID, the text that source's evidence offsets point into (the article as read, the
    wikitext rendered as plain text, the page's main text).
    """
    with open_kb(db, read_only=True) as kb:
        if show_id is not None:
            click.echo(kb.source_text(show_id), nl=False)
            return
        found = kb.sources()
    click.echo((report.sources_text if fmt == "text" else report.sources_json)(found), nl=False)


@click.command()
@click.argument("refs", nargs=-1, required=True, metavar="SOURCE...")
@db_option
def remove(refs: tuple[str, ...], db: Path | None) -> None:
    """Delete sources and all their facts: each SOURCE is an id or a path it was read from.

    Each source goes in one transaction, with every path it was read from ('dyad sources' lists ids and
    paths). A SOURCE the knowledge base does not hold is reported and the others are removed.
    """
    failed = False
    with open_kb(db, read_only=False) as kb:
        for ref in refs:
            try:
                source, n = kb.remove(ref)
            except DyadError as e:
                fail(e)
                failed = True
                continue
            click.echo(report.removed_line(source, n), nl=False)
    if failed:
        raise SystemExit(1)
