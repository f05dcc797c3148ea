"""``dyad extract``: read articles (files or directories) and print their facts, without storing them.

Each input that cannot be read gets one ``Error:`` line and the others are read; the exit status is then
1. Nothing is written anywhere but stdout and stderr.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from dyad.cli.common import fail, format_in_option, one_line, progress
from dyad.errors import DyadError, shown
from dyad.model import Document, actor_key
from dyad.pipeline import extract_items, iter_sources

__all__ = ["extract", "format_table"]


def _cell(value: Any) -> str:
    """A value as one line of a table cell: what a source says can hold newlines and terminal codes."""
    if value is None:
        return ""
    if isinstance(value, list):
        return one_line(", ".join(str(v) for v in value))
    return one_line(str(value))


def format_table(doc: Document) -> str:
    """A document's facts as a plain table for people: one fact a line, its first quote below."""
    rows = [("type", "actor", "target", "attrs", "when", "rule")]
    quotes = []
    for f in doc.facts:
        attrs = "; ".join(f"{k}={_cell(v)}" for k, v in f.attrs.items())
        when = f.date or "–".join(x or "?" for x in (f.start, f.end)) if (f.date or f.start or f.end) else ""
        rows.append((f.type, _cell(actor_key(f.actor)), _cell(actor_key(f.target)), attrs, when, f.rule))
        quotes.append(one_line(f.evidence[0].quote))
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    parties = " / ".join(_cell(actor_key(p)) for p in doc.parties)
    title = f"{shown(doc.source.title)} ({parties}) — {shown(doc.source.path)}"
    lines = [title, ""]
    for n, r in enumerate(rows):
        lines.append("  ".join(c[:w].ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if n:
            q = quotes[n - 1]
            lines.append("    “" + (q if len(q) <= 100 else q[:97] + "…") + "”")
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1, required=True)
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
    --format-in forces one. A dump gives one document per bilateral-relations page. Only regular files
    are read: a pipe or a device is an error line, as is a file or folder that cannot be read.
    """
    failed = 0
    items = list(iter_sources(paths))
    for item in progress(items, "extract"):
        if isinstance(item, DyadError):
            fail(item)
            failed += 1
            continue
        for got in extract_items(item, format=format_in):
            if got.error is not None:
                fail(got.error)
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
