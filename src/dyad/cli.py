"""The ``dyad`` command: a thin shell over the Python API.

Every command calls the library and turns a :class:`DyadError` into one line ``Error: …`` on stderr
and a non-zero exit status; nothing else is caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from . import __version__
from .cli_kb import format_in_option
from .errors import DyadError
from .model import Document, actor_key
from .pipeline import extract_items, iter_sources
from .settings import PROGRESS_MIN_FILES


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)


def progress(items: list[Any], label: str) -> Iterator[Any]:
    """Items with a progress bar on stderr, when stderr is a terminal and there are enough of them."""
    if len(items) >= PROGRESS_MIN_FILES and sys.stderr.isatty():
        from tqdm import tqdm

        yield from tqdm(items, desc=label, unit="file", file=sys.stderr, leave=False)
    else:
        yield from items


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def format_table(doc: Document) -> str:
    """A document's facts as a plain table for people: one fact a line, its first quote below."""
    rows = [("type", "actor", "target", "attrs", "when", "rule")]
    quotes = []
    for f in doc.facts:
        attrs = "; ".join(f"{k}={_cell(v)}" for k, v in f.attrs.items())
        when = f.date or "–".join(x or "?" for x in (f.start, f.end)) if (f.date or f.start or f.end) else ""
        rows.append((f.type, actor_key(f.actor), actor_key(f.target), attrs, when, f.rule))
        quotes.append(f.evidence[0].quote)
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    title = f"{doc.source.title} ({' / '.join(actor_key(p) for p in doc.parties)}) — {doc.source.path}"
    lines = [title, ""]
    for n, r in enumerate(rows):
        lines.append("  ".join(c[:w].ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if n:
            q = quotes[n - 1]
            lines.append("    “" + (q if len(q) <= 100 else q[:97] + "…") + "”")
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dyad")
def main() -> None:
    """dyad: cited, time-aware facts about pairs of countries."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default="json",
    show_default=True,
    help="json: one facts.md document per line (JSON Lines); table: a readable table.",
)
@click.option("--trace", is_flag=True, help="Add the rule that made each fact ('rule') to the JSON.")
@format_in_option
def extract(paths: tuple[str, ...], fmt: str, trace: bool, format_in: str | None) -> None:
    """Read relations articles (files or directories) and print their facts.

    Each file's format is told by its content (article, wikitext, page text or HTML, MediaWiki dump);
    --format-in forces one. A dump gives one document per bilateral-relations page.
    """
    failed = 0
    items = list(iter_sources(paths))
    for item in progress(items, "extract"):
        if isinstance(item, DyadError):
            fail(str(item))
            failed += 1
            continue
        for got in extract_items(item, format=format_in):
            if got.error is not None:
                fail(str(got.error))
                failed += 1
                continue
            doc = got.document
            assert doc is not None  # an item without an error has its document
            if fmt == "json":
                click.echo(json.dumps(doc.to_json(trace=trace), ensure_ascii=False))
            else:
                click.echo(format_table(doc) + "\n")
    if failed:
        sys.exit(1)


def _register() -> None:
    """Add the commands of the other parts of the package: knowledge base, rendering."""
    from . import cli_kb, cli_profile, cli_render, cli_web

    for module in (cli_kb, cli_profile, cli_render, cli_web):
        module.register(main)


_register()
