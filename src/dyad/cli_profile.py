"""The profile commands: ``dyad profile`` (an article about a pair) and ``dyad chart`` (its timeline).

Thin shells over :mod:`dyad.render.profile` and :mod:`dyad.render.chart`; :func:`register` adds them to
the ``dyad`` group. Both take ``--db PATH`` (or ``$DYAD_DB``) like the knowledge-base commands, and turn a
:class:`~dyad.errors.DyadError` into one line ``Error: <message>`` on stderr and exit status 1.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from dyad.cli_kb import _db_option, _errors, _open
from dyad.errors import DyadError
from dyad.render import chart as chart_api
from dyad.render import profile as profile_api

__all__ = ["PROFILE_FORMATS", "chart", "profile", "register"]

#: The formats of ``dyad profile``: the flattened article format (which ``dyad extract`` reads back),
#: Markdown, and one self-contained HTML page with the map, the chart and the cited facts.
PROFILE_FORMATS = ("article", "markdown", "html")


def _map_svg(a: str, b: str) -> str | None:
    """The pair's locator map, when dyad.render.maps is there and knows both countries."""
    try:
        maps = importlib.import_module("dyad.render.maps")
    except ImportError:
        return None
    try:
        return str(maps.locator_svg(a, b))
    except DyadError:
        return None  # a former state or an organisation has no outline: the page goes without a map


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise DyadError(f"{output}: cannot write the file ({e.strerror or e})") from None


def _no_facts(a: str, b: str) -> DyadError:
    return DyadError(
        f"no facts about {a} and {b} in the knowledge base; 'dyad pairs' lists the pairs it holds"
    )


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--at",
    "at",
    metavar="DATE",
    help="Write the article as of this date, EDTF or plain (2013, '20 March 1946').",
)
@click.option(
    "--format", "fmt", type=click.Choice(PROFILE_FORMATS), default="article", show_default=True,
    help="article: the flattened article format; markdown; html: one self-contained page.",
)  # fmt: skip
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout."
)
@_db_option
@_errors
def profile(a: str, b: str, at: str | None, fmt: str, output: Path | None, db: Path | None) -> None:
    """An article about the relations of A and B, every sentence written from facts and cited.

    A and B take names, codes or adjectives (Belgium, BEL, Belgian).
    """
    with _open(db, read_only=True) as kb:
        p = profile_api.profile(kb, a, b, at=at)
    if p.empty:
        raise _no_facts(p.name(p.a), p.name(p.b))
    if fmt == "article":
        text = profile_api.to_article(p)
    elif fmt == "markdown":
        text = profile_api.to_markdown(p)
    else:
        chart_svg = chart_api.chart_svg(p, title=p.title)
        text = profile_api.to_html(p, map_svg=_map_svg(str(p.a), str(p.b)), chart_svg=chart_svg)
    _write(text, output)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.svg, not stdout."
)
@_db_option
@_errors
def chart(a: str, b: str, output: Path | None, db: Path | None) -> None:
    """The timeline of A and B as an SVG picture: bars for what lasts, marks for events."""
    with _open(db, read_only=True) as kb:
        timeline = kb.timeline(a, b)
    if not timeline.events and not timeline.undated:
        raise _no_facts(
            timeline.names.get(timeline.a, timeline.a), timeline.names.get(timeline.b, timeline.b)
        )
    names = timeline.names
    title = f"{names.get(timeline.a, timeline.a)}–{names.get(timeline.b, timeline.b)} relations"
    _write(chart_api.chart_svg(timeline, title=title), output)


def register(group: click.Group) -> None:
    """Add the profile commands to ``group``."""
    for command in (profile, chart):
        group.add_command(command)
